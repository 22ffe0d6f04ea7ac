// Types for build/security/check-package.mjs, so its tests (TypeScript) can import it.
export declare const SHIPPED_BUNDLES: string[];
export declare const FORBIDDEN_MARKERS: Array<[string, string]>;
export declare const REVIEWED_ENV: Record<string, string>;
export declare const MUST_EXCLUDE: string[];
export declare const MUST_INCLUDE: string[];
export declare function markersIn(name: string, text: string, markers?: Array<[string, string]>): string[];
export declare function unreviewedEnv(name: string, text: string): string[];
export declare function forbiddenSources(name: string, sources: string[]): string[];
export declare function filesFilter(patterns: string[], minimatch?: unknown): (relative: string) => boolean;
export declare function builderProblems(patterns: string[], distFiles: string[], minimatch?: unknown): string[];
