// The contract over HTTP + server-sent events, for browser mode (the page is served by the bridge in
// src/bridge on 127.0.0.1). Protocol:
//   sign-in: the launch address the bridge printed (/launch/<key>) set an HttpOnly session cookie; the
//            page holds no secret and the browser sends the cookie with every same-origin request.
//   invoke:  POST /api/invoke/<method>, JSON body = input (content-type application/json);
//            the response body is always an Envelope ({ok:true,value} | {ok:false,error:{code,params,message}}).
//   events:  one EventSource('/api/events'); each message is `event: <name>` + `data: <json>`.
// Only structural types are used here so the module also runs (and is tested) under plain Node.
import type {
  Envelope,
  EventName,
  EventPayload,
  LatentLabApi,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../shared/contract';
import { errorParamsFrom } from '../../shared/errors';
import { ApiError } from './apiError';

export interface FetchResponseLike {
  status: number;
  text(): Promise<string>;
}
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; credentials: 'same-origin' },
) => Promise<FetchResponseLike>;

export interface EventSourceLike {
  addEventListener(type: string, listener: (ev: { data?: unknown }) => void): void;
  close(): void;
}

export interface BridgeClientOptions {
  /** False when the page was not served by the bridge (e.g. opened from a file): calls report NO_BRIDGE. */
  served: boolean;
  /** Prefix for the API paths; '' means the page's own origin. */
  baseUrl?: string;
  fetch?: FetchLike;
  createEventSource?: (url: string) => EventSourceLike;
}

export interface BridgeClient extends LatentLabApi {
  /** Closes the event stream (tests, page teardown). */
  close(): void;
}

type AnyListener = (payload: unknown) => void;

export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const base = options.baseUrl ?? '';
  const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const createEventSource =
    options.createEventSource ??
    ((url: string) => {
      const ctor = (globalThis as { EventSource?: new (url: string) => EventSourceLike }).EventSource;
      if (!ctor) throw ApiError.of('NO_EVENTSOURCE');
      return new ctor(url);
    });

  const listeners = new Map<string, Set<AnyListener>>();
  const wired = new Set<string>();
  let source: EventSourceLike | null = null;

  function dispatch(event: string, ev: { data?: unknown }): void {
    const set = listeners.get(event);
    if (!set || set.size === 0 || typeof ev.data !== 'string') return;
    let payload: unknown;
    try {
      payload = JSON.parse(ev.data);
    } catch {
      return; // a malformed frame is dropped; the next one will do
    }
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`Latent Lab: a listener for "${event}" failed`, err);
      }
    }
  }

  function ensureWired(event: string): void {
    if (!options.served) return; // no bridge behind this page: invoke reports it, events stay silent
    if (!source) source = createEventSource(`${base}/api/events`);
    if (wired.has(event)) return;
    wired.add(event);
    source.addEventListener(event, (ev) => dispatch(event, ev));
  }

  async function invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    if (!options.served) {
      throw ApiError.of('NO_BRIDGE');
    }
    let response: FetchResponseLike;
    try {
      response = await doFetch(`${base}/api/invoke/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      throw ApiError.of('BRIDGE_UNREACHABLE');
    }
    const text = await response.text();
    let envelope: Envelope<MethodOutput<M>>;
    try {
      envelope = JSON.parse(text) as Envelope<MethodOutput<M>>;
    } catch {
      throw ApiError.of('BRIDGE_BAD_RESPONSE', { status: response.status });
    }
    if (envelope && envelope.ok === true) return envelope.value;
    if (envelope && envelope.ok === false && envelope.error && typeof envelope.error.message === 'string') {
      const { code, params } = envelope.error as { code?: unknown; params?: unknown };
      throw new ApiError(envelope.error.message, typeof code === 'string' ? code : 'BAD_REPLY', errorParamsFrom(params));
    }
    throw ApiError.of('BRIDGE_BAD_RESPONSE', { status: response.status });
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const wrapped = listener as AnyListener;
    set.add(wrapped);
    ensureWired(event);
    return () => {
      set.delete(wrapped);
    };
  }

  function close(): void {
    source?.close();
    source = null;
    wired.clear();
  }

  return { invoke, on, close };
}
