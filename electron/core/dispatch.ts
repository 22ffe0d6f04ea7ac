import { z } from 'zod';
import { contract, isOperationName, type OperationName, type OutputOf, type ParsedInputOf } from '../../shared/contract';
import { DEFAULT_MESSAGES, type AppErrorShape } from '../../shared/errors';
import { fail, ok, type Result } from '../../shared/result';
import type { CoreContext } from './context';
import { toAppError } from './errors';
import { operationHandlers } from './operations';

export type Handler<N extends OperationName> = (ctx: CoreContext, input: ParsedInputOf<N>) => Promise<OutputOf<N>>;
export type Handlers = { [N in OperationName]: Handler<N> };

/**
 * The single entry point of the core. Electron IPC, the CLI and the test bridge all call this.
 * It refuses locked-vault calls, validates the input against the contract, runs the handler,
 * and validates the output (which also strips fields the contract does not promise).
 * It never throws: every outcome is a Result envelope with a patient-readable error.
 */
export async function dispatch(ctx: CoreContext, operation: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isOperationName(operation)) {
    return fail({ code: 'UNKNOWN_OPERATION', message: DEFAULT_MESSAGES.UNKNOWN_OPERATION });
  }
  const definition = contract[operation];
  // Locked first: a locked vault answers every guarded call the same way, whatever the input.
  if (definition.needsUnlock && !ctx.vault) {
    return fail({ code: 'LOCKED', message: DEFAULT_MESSAGES.LOCKED });
  }
  const parsedInput = definition.input.safeParse(input ?? {});
  if (!parsedInput.success) {
    return fail(invalidInput(operation, parsedInput.error.issues));
  }
  try {
    const handler = operationHandlers[operation] as Handler<OperationName>;
    const value = await handler(ctx, parsedInput.data as never);
    const parsedOutput = definition.output.safeParse(value);
    if (!parsedOutput.success) {
      ctx.log.error('dispatch.output-invalid', { operation });
      return fail({ code: 'INTERNAL', message: DEFAULT_MESSAGES.INTERNAL });
    }
    return ok(parsedOutput.data);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') {
      ctx.log.error('dispatch.unexpected-error', { operation, name: errorName(error) });
    }
    return fail(appError.toJSON());
  }
}

/**
 * Names the fields that are wrong, never their values (a value could be a passphrase or a patient name). A path can
 * hold keys the caller chose (records such as an opinion's provenance are keyed by the input), so only the field names
 * the contract itself defines, and list positions, are named; any other key is shown as '…'.
 */
function invalidInput(operation: OperationName, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): AppErrorShape {
  const names = contractFieldNames(operation);
  const segment = (key: PropertyKey) => (typeof key === 'number' || (typeof key === 'string' && names.has(key)) ? String(key) : '…');
  const fields = [...new Set(issues.map((issue) => issue.path.map(segment).join('.') || 'input'))].slice(0, 5);
  return {
    code: 'INVALID_INPUT',
    message: `${DEFAULT_MESSAGES.INVALID_INPUT} (Check: ${fields.join(', ')}.)`,
  };
}

function errorName(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return typeof error;
}

const fieldNamesCache = new Map<OperationName, ReadonlySet<string>>();

/** Every property name an operation's input schema defines (at any depth), computed once per operation. */
function contractFieldNames(operation: OperationName): ReadonlySet<string> {
  let names = fieldNamesCache.get(operation);
  if (!names) {
    const found = new Set<string>();
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        node.forEach(walk);
        return;
      }
      for (const [key, child] of Object.entries(node)) {
        if (key === 'properties' && child && typeof child === 'object') for (const name of Object.keys(child)) found.add(name);
        walk(child);
      }
    };
    try {
      walk(z.toJSONSchema(contract[operation].input, { io: 'input', unrepresentable: 'any' }));
    } catch {
      // No names: every path segment is shown as '…', which says less but never repeats the input.
    }
    names = found;
    fieldNamesCache.set(operation, names);
  }
  return names;
}
