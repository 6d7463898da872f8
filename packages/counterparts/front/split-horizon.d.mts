// Types of ./split-horizon.mjs (plain JavaScript: it is preloaded into the app's production process).
export declare function installSplitHorizon(routes: Readonly<Record<string, string>>): void;
export declare function parseRoutes(value: string | undefined): Record<string, string>;
