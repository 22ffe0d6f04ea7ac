// Types for build/security/electronegativity.mjs, so the gate's tests (TypeScript) can import it.
export interface Finding {
  rule: string;
  level: string;
  file: string;
  line: number;
  column: number;
  message: string;
  snippet: string;
  fingerprint: string;
}
export interface AllowEntry {
  rule: string;
  file: string;
  snippet: string;
  fingerprint: string;
  reason: string;
  reviewed?: string;
  count?: number;
}
export interface AllowList {
  findings: AllowEntry[];
}
export declare const ALLOW_LIST_PATH: string;
export declare const SCANNED: string[];
export declare function normalizeSnippet(text: string): string;
export declare function fingerprint(rule: string, file: string, snippet: string): string;
export declare function findingsFromSarif(sarif: unknown, readSource: (file: string) => string | null): Finding[];
export declare function validateAllowList(allowList: unknown): string[];
export declare function compareFindings(findings: Finding[], allowList: AllowList): { allowed: Finding[]; fresh: Finding[]; stale: AllowEntry[] };
export declare function readScanSummary(stdout: string): { errors: Array<{ file: string; message: string; tolerable: boolean }>; issues: number };
export declare function parseErrorFinding(error: { file: string; message: string }): Finding;
