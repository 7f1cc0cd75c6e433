// One contract call, transport-agnostic: check the method name, validate the input with the contract's zod
// schema, run the handler, and wrap the outcome in an Envelope. Never throws. Shared by the Electron IPC
// handler (ipc.ts) and the HTTP bridge (src/bridge), so it must not import Electron.
import type { z } from 'zod';
import {
  isMethodName,
  methods,
  type ContractError,
  type Envelope,
  type Handlers,
  type MethodName,
} from '../shared/contract';

export const ErrorCodes = {
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  INTERNAL: 'INTERNAL',
  FORBIDDEN: 'FORBIDDEN',
} as const;

export interface DispatchOptions {
  /** Called with failures that carry no code of their own (unexpected bugs), e.g. to log them. */
  onUnexpectedError?: (method: MethodName, error: unknown) => void;
}

export function errorEnvelope(code: string, message: string): { ok: false; error: ContractError } {
  return { ok: false, error: { code, message } };
}

/** "path: Choose an image folder first." / "params.latentSize: Too small: ..." for the first few issues. */
export function describeInputError(method: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
    return `${field}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid input for ${method}: ${parts.join('; ')}${more}`;
}

/** Any thrown value -> ContractError. An Error with a non-empty string `code` keeps that code. */
export function toContractError(error: unknown): ContractError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      code: typeof code === 'string' && code.length > 0 ? code : ErrorCodes.INTERNAL,
      message: error.message || error.name,
    };
  }
  return { code: ErrorCodes.INTERNAL, message: typeof error === 'string' ? error : 'Unexpected error.' };
}

function hasCode(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

export async function dispatch(
  handlers: Handlers,
  method: unknown,
  input: unknown,
  opts: DispatchOptions = {},
): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 80)) : typeof method;
    return errorEnvelope(ErrorCodes.UNKNOWN_METHOD, `Unknown method ${shown}.`);
  }
  const parsed = methods[method].input.safeParse(input);
  if (!parsed.success) {
    return errorEnvelope(ErrorCodes.INVALID_INPUT, describeInputError(method, parsed.error));
  }
  const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method] : undefined;
  if (typeof handler !== 'function') {
    return errorEnvelope(ErrorCodes.NOT_IMPLEMENTED, `${method} is not available in this build.`);
  }
  try {
    // The map is keyed by the same name, so the parsed input matches this handler's parameter.
    const value: unknown = await (handler as (input: unknown) => Promise<unknown>)(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (!hasCode(error)) opts.onUnexpectedError?.(method, error);
    return { ok: false, error: toContractError(error) };
  }
}
