export declare const DEMO_VISITOR_HEADER: "x-demo-visitor";
export declare const VISITOR_ID_PATTERN: RegExp;
export declare function parseVisitorId(value: unknown): string | undefined;
export declare function newVisitorId(): string;
