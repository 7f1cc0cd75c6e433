// The preload's logic, free of Electron so it can be tested with a fake ipcRenderer: exactly the contract's
// methods and events, nothing generic. index.ts passes the real ipcRenderer and exposes the result.
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isEventName, isMethodName } from '../shared/names';
import { errorMessage, errorParamsFrom, isErrorCode, type ErrorCode, type ErrorParamValues } from '../shared/errors';
import type {
  Envelope,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
  PreloadApi,
} from '../shared/contract';

/** The slice of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const fail = (code: ErrorCode, params: ErrorParamValues, message = errorMessage(code, params)): Envelope<never> => ({
  ok: false,
  error: { code, params, message },
});

/** Passes a well-formed Envelope through; anything else becomes an error Envelope. */
function checkReply<T>(method: string, reply: unknown): Envelope<T> {
  if (isRecord(reply) && reply.ok === true && 'value' in reply) return reply as Envelope<T>;
  if (isRecord(reply) && reply.ok === false && isRecord(reply.error)) {
    const { code, params, message } = reply.error;
    if (isErrorCode(code)) {
      const values = errorParamsFrom(params);
      return fail(code, values, typeof message === 'string' ? message : errorMessage(code, values));
    }
  }
  return fail('BAD_REPLY', { method });
}

export function createApi(ipc: IpcRendererLike): PreloadApi {
  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
      if (!isMethodName(method)) return fail('UNKNOWN_METHOD', { method: String(method) });
      try {
        return checkReply<MethodOutput<M>>(method, await ipc.invoke(IPC_INVOKE_CHANNEL, method, input));
      } catch (err) {
        return fail('IPC_FAILED', { details: err instanceof Error ? err.message : String(err) });
      }
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}.`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const onMessage = (_event: unknown, message: unknown): void => {
        if (isRecord(message) && message.event === event) listener(message.payload as EventPayload<E>);
      };
      ipc.on(IPC_EVENT_CHANNEL, onMessage);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(IPC_EVENT_CHANNEL, onMessage);
      };
    },
  };
}
