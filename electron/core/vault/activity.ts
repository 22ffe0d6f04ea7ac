import type { Vault } from './vault';

/**
 * The vault's own history of maintenance (backups, checks). Details are counts, flags and paths chosen by the
 * user — never record content.
 */
export type ActivityKind = 'backup' | 'verify';
export type ActivityDetail = Record<string, string | number | boolean>;

export function recordActivity(vault: Vault, at: Date, kind: ActivityKind, detail: ActivityDetail): void {
  vault.db
    .prepare('INSERT INTO activity (at, kind, detail) VALUES (?, ?, ?)')
    .run(at.toISOString(), kind, JSON.stringify(detail));
}

export function latestActivity(vault: Vault, kind: ActivityKind): { at: string; detail: ActivityDetail } | null {
  const row = vault.db
    .prepare('SELECT at, detail FROM activity WHERE kind = ? ORDER BY id DESC LIMIT 1')
    .get(kind) as { at: string; detail: string } | undefined;
  if (!row) return null;
  return { at: row.at, detail: JSON.parse(row.detail) as ActivityDetail };
}
