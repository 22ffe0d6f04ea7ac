import { settings as settingsSchema, type Settings } from '../../../shared/contract';
import type { Vault } from '../vault/vault';

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 10 };

/**
 * Settings live inside the encrypted database (one JSON value per key). While the vault is locked only the
 * defaults are known, which is what the lock screen needs.
 */
export function readSettings(vault: Vault | null): Settings {
  if (!vault) return DEFAULT_SETTINGS;
  const rows = vault.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored = Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
  const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export function writeSettings(vault: Vault, changes: Partial<Settings>): Settings {
  const upsert = vault.db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  vault.db.transaction(() => {
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value));
    }
  })();
  return readSettings(vault);
}
