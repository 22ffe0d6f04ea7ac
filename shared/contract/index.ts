import type { z } from 'zod';
import type { Result } from '../result';
import type { CoreEvent } from './events';
import { appointmentOperations } from './appointments';
import { documentOperations } from './documents';
import { exportOperations } from './export';
import { imagingOperations } from './imaging';
import { opinionOperations } from './opinions';
import { taskOperations } from './tasks';
import { vaultOperations } from './vault';

/**
 * The one API contract. Every operation the UI, the CLI or a script can ask of the core is listed here with
 * its input and output schema. Electron IPC, the CLI and the test bridge all go through `dispatch`, which
 * validates against these schemas, so a new operation is added in exactly one place (plus its handler).
 */
export interface OperationDefinition {
  summary: string;
  /** When true, `dispatch` refuses the call with LOCKED unless the vault is unlocked. */
  needsUnlock: boolean;
  input: z.ZodType;
  output: z.ZodType;
}

export const contract = {
  ...vaultOperations,
  ...taskOperations,
  ...documentOperations,
  ...opinionOperations,
  ...imagingOperations,
  ...exportOperations,
  ...appointmentOperations,
} as const satisfies Record<string, OperationDefinition>;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type InputOf<N extends OperationName> = z.input<Contract[N]['input']>;
export type ParsedInputOf<N extends OperationName> = z.output<Contract[N]['input']>;
export type OutputOf<N extends OperationName> = z.output<Contract[N]['output']>;

export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/**
 * What the preload script (Electron) or the bridge client (browser tests) puts on `window.vault`:
 * one function per operation, each resolving to a Result envelope, plus `onEvent`. Nothing else.
 */
export type ContractFunctions = {
  [N in OperationName]: (input: InputOf<N>) => Promise<Result<OutputOf<N>>>;
};
export type WindowApi = ContractFunctions & {
  onEvent(listener: (event: CoreEvent) => void): () => void;
};

export { coreEvent } from './events';
export type { CoreEvent } from './events';
export * from './vault';
export * from './common';
export * from './documents';
export * from './opinions';
export * from './imaging';
export * from './export';
export * from './appointments';
