import { errorMessage, isErrorCode, type ErrorCode, type ErrorParamValues } from '../../shared/errors';
import { i18n } from '../i18n';

/** A failed contract call: `code` is machine-readable (src/shared/errors.ts), `params` fill its message. */
export class ApiError extends Error {
  readonly code: string;
  readonly params: ErrorParamValues;

  constructor(message: string, code: string, params: ErrorParamValues = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.params = params;
  }

  /** An error the client itself raises (no engine reply), with the code's English message. */
  static of(code: ErrorCode, params: ErrorParamValues = {}): ApiError {
    return new ApiError(errorMessage(code, params), code, params);
  }
}

export interface ErrorInfo {
  message: string;
  code: string | null;
}

// Electron prefixes errors that cross ipcRenderer.invoke; the user should only see the engine's message.
const IPC_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/**
 * Turns anything thrown by a contract call into a message + code fit to show inline. A known code is shown
 * in the user's language (errors.<CODE> with the error's parameters); anything else in its own words.
 */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (isErrorCode(code)) {
      const params = err instanceof ApiError ? err.params : {};
      return { message: i18n.global.t(`errors.${code}`, params), code };
    }
    return {
      message: err.message.replace(IPC_PREFIX, '') || 'Something went wrong.',
      code: typeof code === 'string' ? code : null,
    };
  }
  if (typeof err === 'string') return { message: err, code: null };
  return { message: 'Something went wrong.', code: null };
}
