/** A failed contract call: `message` is the engine's words for the user, `code` is machine-readable. */
export class ApiError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export interface ErrorInfo {
  message: string;
  code: string | null;
}

// Electron prefixes errors that cross ipcRenderer.invoke; the user should only see the engine's message.
const IPC_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

/** Turns anything thrown by a contract call into a message + code fit to show inline. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      message: err.message.replace(IPC_PREFIX, '') || 'Something went wrong.',
      code: typeof code === 'string' ? code : null,
    };
  }
  if (typeof err === 'string') return { message: err, code: null };
  return { message: 'Something went wrong.', code: null };
}
