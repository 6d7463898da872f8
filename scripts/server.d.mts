import type { IncomingMessage, RequestListener } from "node:http";

export declare const PEER_ADDRESS_HEADER: string;
export declare const SERVED_BY_APP_SERVER_KEY: string;
export declare function stampPeerAddress(req: IncomingMessage): void;
export declare function withPeerAddress(listener: RequestListener): RequestListener;
export declare function adoptBuildConfig(dir: string): void;
