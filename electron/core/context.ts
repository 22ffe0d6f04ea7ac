import type { EventEmitter } from 'node:events';
import type { CoreEvent } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { OcrService } from './documents/analysis/ocr';
import type { Logger } from './log';
import type { TaskRegistry } from './tasks/task';
import type { KdfCost } from './vault/keys';
import type { Vault } from './vault/vault';

/** Everything a service needs: where the vault lives, the unlocked vault (if any), a clock, events. */
export interface CoreContext {
  readonly vaultDir: string;
  /** Default folder for backups when the caller gives no destination. */
  readonly backupDir: string;
  /** Default folder for PDFs and packets the person creates. */
  readonly exportDir: string;
  readonly now: () => Date;
  readonly log: Logger;
  /** Argon2id cost for new passphrases; undefined means the secure default. Only tests lower it. */
  readonly kdf: KdfCost | undefined;
  vault: Vault | null;
  /** OCR workers, started on first need and closed when the vault locks. */
  ocr: OcrService | null;
  /** Long operations in progress, for cancellation. */
  readonly tasks: TaskRegistry;
  emit(event: CoreEvent): void;
  readonly events: EventEmitter;
}

/** The unlocked vault, or a LOCKED error a patient understands. */
export function requireVault(ctx: CoreContext): Vault {
  if (!ctx.vault) throw new AppError('LOCKED');
  return ctx.vault;
}
