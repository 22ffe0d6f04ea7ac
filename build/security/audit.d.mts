// Types for build/security/audit.mjs, so its tests (TypeScript) can import it.
export interface Advisory {
  package: string;
  id: string;
  severity: string;
  title: string;
  url: string;
  range: string;
}
export interface AuditException {
  package: string;
  advisory: string;
  severity?: string;
  reason: string;
  reviewed?: string;
  expires?: string;
}
export type AuditOutcome =
  | { kind: 'report'; advisories: Advisory[]; counts: Record<string, number> }
  | { kind: 'unreachable'; why: string }
  | { kind: 'error'; why: string };
export declare const EXCEPTIONS_PATH: string;
export declare const GATED_SEVERITIES: string[];
export declare function advisoryId(via: unknown): string;
export declare function readAuditOutput(stdout: string): AuditOutcome;
export declare function validateExceptions(file: unknown): string[];
export declare function compareAdvisories(
  advisories: Advisory[],
  file: { exceptions: AuditException[] },
  today?: Date,
): { excepted: Advisory[]; fresh: Advisory[]; stale: AuditException[]; expired: AuditException[] };
