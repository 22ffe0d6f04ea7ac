import path from 'node:path';
import { defaultVaultDir } from '../platform/paths';

export interface HostConfig {
  vaultDir: string;
  /** Undefined lets the core choose (SECOND_OPINION_BACKUP_DIR, then ~/Documents/Second Opinion backups). */
  backupDir?: string;
}

/**
 * Where the hosted core keeps the vault. Main passes `--vault-dir=<path>` (and optionally `--backup-dir=<path>`);
 * without them the same environment variable as the CLI (SECOND_OPINION_VAULT) and then the OS default apply,
 * so the desktop app and the CLI find the same vault.
 */
export function hostConfigFrom(argv: readonly string[], env: NodeJS.ProcessEnv): HostConfig {
  const flag = (name: string): string | undefined => {
    const prefix = `--${name}=`;
    const found = argv.find((arg) => arg.startsWith(prefix));
    const value = found?.slice(prefix.length);
    return value ? value : undefined;
  };
  const vaultDir = path.resolve(flag('vault-dir') ?? env.SECOND_OPINION_VAULT ?? defaultVaultDir(env));
  const backupDir = flag('backup-dir');
  return backupDir ? { vaultDir, backupDir: path.resolve(backupDir) } : { vaultDir };
}

/** The arguments main gives the core process; the inverse of hostConfigFrom. */
export function hostArgs(config: HostConfig): string[] {
  const args = [`--vault-dir=${config.vaultDir}`];
  if (config.backupDir) args.push(`--backup-dir=${config.backupDir}`);
  return args;
}
