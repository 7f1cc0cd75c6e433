// One contract call, transport-agnostic: check the method name, validate the input with the contract's zod
// schema, run the handler, and wrap the outcome in an Envelope. Never throws. Shared by the Electron IPC
// handler (src/main/ipc.ts) and the HTTP bridge (src/bridge), so it must not import Electron.
import type { z } from 'zod';
import { isMethodName, methods, type ContractError, type Envelope, type Handlers } from '../shared/contract';
import { errorMessage, isAppError, type ErrorCode, type ErrorParams } from '../shared/errors';
import { humanErrorMap, issueLines } from '../shared/issueLines';
import type { ErrorLog } from './errorLog';

export function contractError<C extends ErrorCode>(code: C, params: ErrorParams<C>): ContractError {
  const values = params as Record<string, string | number>;
  return { code, params: values, message: errorMessage(code, values) };
}

export function errorEnvelope<C extends ErrorCode>(code: C, params: ErrorParams<C>): { ok: false; error: ContractError } {
  return { ok: false, error: contractError(code, params) };
}

/** "path: Choose an image folder first." / "params.latentSize: Too small: ..." for the first few problems. */
export function describeInputIssues(error: z.ZodError): string {
  const lines = issueLines(error.issues, { root: '(input)' });
  const more = lines.length > 3 ? ` (and ${lines.length - 3} more)` : '';
  return `${lines.slice(0, 3).join('; ')}${more}`;
}

/**
 * Any thrown value -> ContractError. An AppError keeps its code and parameters; anything else (a bug, or a
 * Node/SQLite error nobody turned into an AppError, such as ENOENT or SQLITE_BUSY) is logged with its stack
 * and reaches the user as INTERNAL with the log's location.
 */
export function toContractError(error: unknown, log: ErrorLog, context: string): ContractError {
  if (isAppError(error)) return { code: error.code, params: { ...error.params }, message: error.message };
  log.error(context, error);
  return contractError('INTERNAL', { logFile: log.file });
}

export async function dispatch(handlers: Handlers, method: unknown, input: unknown, log: ErrorLog): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 80)) : typeof method;
    return errorEnvelope('UNKNOWN_METHOD', { method: shown });
  }
  const parsed = methods[method].input.safeParse(input, { error: humanErrorMap });
  if (!parsed.success) {
    return errorEnvelope('INVALID_INPUT', { method, details: describeInputIssues(parsed.error) });
  }
  const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method] : undefined;
  if (typeof handler !== 'function') {
    return errorEnvelope('NOT_IMPLEMENTED', { method });
  }
  try {
    // The map is keyed by the same name, so the parsed input matches this handler's parameter.
    const value: unknown = await (handler as (input: unknown) => Promise<unknown>)(parsed.data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toContractError(error, log, method) };
  }
}
