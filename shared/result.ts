import type { AppErrorShape } from './errors';

/**
 * Every transport (Electron IPC, the test bridge, the CLI) carries this envelope instead of thrown errors,
 * so a typed `{ code, message }` survives serialisation unchanged.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: AppErrorShape): Result<T> {
  return { ok: false, error };
}
