import type { InputOf, OperationName, OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Core } from '../core/core';
import { readSecret } from './secrets';

/** What a command gets: the core, the output mode, and helpers that turn Results into thrown AppErrors. */
export interface CliSession {
  readonly core: Core;
  readonly json: boolean;
  call<N extends OperationName>(operation: N, input: InputOf<N>): Promise<OutputOf<N>>;
  /** Unlocks with SECOND_OPINION_RECOVERY_KEY if set, else the passphrase (environment or prompt). */
  unlock(): Promise<void>;
  print(human: string, machine: unknown): void;
}

export function createSession(core: Core, json: boolean): CliSession {
  const call = async <N extends OperationName>(operation: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const result = await core.call(operation, input);
    if (!result.ok) throw new AppError(result.error.code, result.error.message);
    return result.value as OutputOf<N>;
  };
  return {
    core,
    json,
    call,
    async unlock() {
      await call('vault.unlock', await readProof());
    },
    print(human, machine) {
      process.stdout.write(json ? `${JSON.stringify(machine, null, 2)}\n` : `${human}\n`);
    },
  };
}

/** The secret proving who is asking: the recovery key when one is provided, else the passphrase. */
export async function readProof(): Promise<{ passphrase: string } | { recoveryKey: string }> {
  const recoveryKey = process.env.SECOND_OPINION_RECOVERY_KEY;
  if (recoveryKey) return { recoveryKey };
  return { passphrase: await readSecret('SECOND_OPINION_PASSPHRASE', 'Passphrase') };
}
