// Types for build/electron-native.mjs, so TypeScript files (the Electron end-to-end tests) can import it.
export declare const SQLITE_BINDING_ENV: 'SECOND_OPINION_SQLITE_BINDING';
export declare const SQLITE_PACKAGE: 'better-sqlite3-multiple-ciphers';
export declare const ELECTRON_HEADERS_URL: string;
export declare function electronVersion(root: string): string | null;
export declare function electronAbi(root: string): string | null;
export declare function electronBinaryPath(root: string): string | null;
export declare function addonMatchesAbi(file: string, abi: string): boolean;
export declare function ensureSqliteBinding(options: {
  root: string;
  target?: string;
  distUrl?: string | null;
  abi?: string | null;
  arch?: string;
  cacheDir?: string;
  nodedir?: string;
  log?: (line: string) => void;
}): string;
