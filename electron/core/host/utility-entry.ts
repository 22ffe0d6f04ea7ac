/**
 * Entry of the core process. Electron's main starts it with `utilityProcess.fork(dist/electron/core-host.cjs)`,
 * so opening the database, key derivation, encryption and imports never run on Electron's main thread.
 * It also runs under plain Node via `child_process.fork(..., { serialization: 'advanced' })`.
 * This file never imports electron: `process.parentPort` is only read structurally.
 */
import { createCore } from '../core';
import { createLogger } from '../log';
import { hostConfigFrom } from './config';
import { runHost } from './host';
import { fromChildProcess, fromParentPort, type ParentPortLike } from './port';
import type { HostMessage } from './protocol';

const log = createLogger();
const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
const port = parentPort ? fromParentPort<HostMessage>(parentPort) : fromChildProcess<HostMessage>(process);

const config = hostConfigFrom(process.argv, process.env);
const core = createCore(config);

let exiting = false;
const exitAfterClose = (code: number) => {
  if (exiting) return;
  exiting = true;
  const timer = setTimeout(() => process.exit(code), 5_000);
  timer.unref();
  core.close().then(
    () => process.exit(code),
    () => process.exit(code),
  );
};

runHost(core, port, { log, onClosed: () => process.exit(0) });

process.on('SIGTERM', () => exitAfterClose(0));
process.on('SIGINT', () => exitAfterClose(0));
// Under child_process: the parent went away, so nobody can ask us to lock any more. Lock and leave.
process.on('disconnect', () => exitAfterClose(0));
process.on('unhandledRejection', (reason) => {
  log.error('host.unhandled-rejection', { name: reason instanceof Error ? reason.name : typeof reason });
});
process.on('uncaughtException', (error) => {
  log.error('host.uncaught-exception', { name: error.name });
  exitAfterClose(1);
});
