import os from 'node:os';
import path from 'node:path';

/**
 * Where the vault and backups live when nobody says otherwise. The desktop app and the CLI use the same
 * function so both find the same vault. Follows each OS's convention for per-user application data.
 */
export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Second Opinion', 'Vault');
  }
  if (platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'Second Opinion', 'Vault');
  }
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'second-opinion', 'vault');
}

/** Backups go beside the user's documents, not inside the vault: a backup must survive losing the vault folder. */
export function defaultBackupDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SECOND_OPINION_BACKUP_DIR) return env.SECOND_OPINION_BACKUP_DIR;
  return path.join(os.homedir(), 'Documents', 'Second Opinion backups');
}

/** PDFs and packets the person creates (comparisons, prep sheets) go here unless they choose a place. */
export function defaultExportDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SECOND_OPINION_EXPORT_DIR) return env.SECOND_OPINION_EXPORT_DIR;
  return path.join(os.homedir(), 'Documents', 'Second Opinion');
}
