// The preload's logic, free of Electron so it can be tested with a fake ipcRenderer: exactly the contract's
// methods and events, nothing generic. index.ts passes the real ipcRenderer and exposes the result.
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isEventName, isMethodName } from '../shared/names';
import type {
  ContractError,
  EventName,
  EventPayload,
  LatentLabApi,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../shared/contract';

/** The slice of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** A failed contract call. (Over Electron's contextBridge only `message` survives; see the report.) */
export class ContractCallError extends Error {
  readonly code: string;
  constructor({ code, message }: ContractError) {
    super(message);
    this.name = 'ContractCallError';
    this.code = code;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function unwrap(method: string, reply: unknown): unknown {
  if (isRecord(reply) && reply.ok === true && 'value' in reply) return reply.value;
  if (isRecord(reply) && reply.ok === false && isRecord(reply.error)) {
    const { code, message } = reply.error;
    throw new ContractCallError({
      code: typeof code === 'string' ? code : 'INTERNAL',
      message: typeof message === 'string' ? message : `${method} failed.`,
    });
  }
  throw new ContractCallError({ code: 'BAD_REPLY', message: `${method}: the main process sent an invalid reply.` });
}

export function createApi(ipc: IpcRendererLike): LatentLabApi {
  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      if (!isMethodName(method)) {
        throw new ContractCallError({ code: 'UNKNOWN_METHOD', message: `Unknown method ${String(method)}.` });
      }
      const reply = await ipc.invoke(IPC_INVOKE_CHANNEL, method, input);
      return unwrap(method, reply) as MethodOutput<M>;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) throw new ContractCallError({ code: 'UNKNOWN_EVENT', message: `Unknown event ${String(event)}.` });
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
