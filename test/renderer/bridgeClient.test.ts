import { describe, expect, it, vi } from 'vitest';
import {
  createBridgeClient,
  type EventSourceLike,
  type FetchLike,
} from '../../src/renderer/api/bridgeClient';
import { ApiError, toErrorInfo } from '../../src/renderer/api/apiError';

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: Parameters<FetchLike>[1] }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return { status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
  return { fetch, calls };
}

class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  handlers = new Map<string, ((ev: { data?: unknown }) => void)[]>();
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (ev: { data?: unknown }) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: string): void {
    for (const h of this.handlers.get(type) ?? []) h({ data });
  }
}

const appInfo = {
  appVersion: '0.1.0',
  mode: 'browser',
  dataDir: '/d',
  dbPath: '/d/t.sqlite',
  backend: 'wasm',
  backendNote: '',
  backendNotes: [],
  tfjsVersion: '4.22.0',
  platform: 'linux',
  canPickFolder: false,
};

describe('bridge client invoke', () => {
  it('POSTs the input as JSON with the session cookie (no secret in the page) and unwraps an ok envelope', async () => {
    const { fetch, calls } = fakeFetch(200, { ok: true, value: appInfo });
    const client = createBridgeClient({ served: true, fetch });
    await expect(client.invoke('app.info', {})).resolves.toEqual(appInfo);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/api/invoke/app.info');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(Object.keys(calls[0].init.headers)).toEqual(['content-type']);
    expect(calls[0].init.headers['content-type']).toBe('application/json');
    expect(JSON.parse(calls[0].init.body)).toEqual({});
  });

  it('sends method input verbatim', async () => {
    const { fetch, calls } = fakeFetch(200, { ok: true, value: { cancelled: true } });
    const client = createBridgeClient({ served: true, fetch, baseUrl: 'http://127.0.0.1:9' });
    await client.invoke('training.cancel', { trialId: 7 });
    expect(calls[0].url).toBe('http://127.0.0.1:9/api/invoke/training.cancel');
    expect(JSON.parse(calls[0].init.body)).toEqual({ trialId: 7 });
  });

  it('throws an ApiError carrying the engine message and code for an error envelope (any HTTP status)', async () => {
    const { fetch } = fakeFetch(400, { ok: false, error: { code: 'NOT_FOUND', message: 'Folder not found: /x' } });
    const client = createBridgeClient({ served: true, fetch });
    const err = await client.invoke('dataset.open', { path: '/x', imageSize: 28, channels: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ message: 'Folder not found: /x', code: 'NOT_FOUND' });
    expect(toErrorInfo(err)).toEqual({ message: 'Folder not found: /x', code: 'NOT_FOUND' });
  });

  it('reports a non-JSON reply', async () => {
    const { fetch } = fakeFetch(502, '<html>Bad gateway</html>');
    const client = createBridgeClient({ served: true, fetch });
    await expect(client.invoke('trials.list', {})).rejects.toMatchObject({ code: 'BRIDGE_BAD_RESPONSE' });
  });

  it('reports a JSON reply that is not an envelope', async () => {
    const { fetch } = fakeFetch(200, { hello: 'world' });
    const client = createBridgeClient({ served: true, fetch });
    await expect(client.invoke('trials.list', {})).rejects.toMatchObject({ code: 'BRIDGE_BAD_RESPONSE' });
  });

  it('reports an unreachable server', async () => {
    const client = createBridgeClient({
      served: true,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(client.invoke('trials.list', {})).rejects.toMatchObject({ code: 'BRIDGE_UNREACHABLE' });
  });

  it('refuses to call from a page the bridge did not serve', async () => {
    const { fetch, calls } = fakeFetch(200, { ok: true, value: [] });
    const client = createBridgeClient({ served: false, fetch });
    await expect(client.invoke('trials.list', {})).rejects.toMatchObject({ code: 'NO_BRIDGE' });
    expect(calls).toHaveLength(0);
  });
});

describe('bridge client events', () => {
  it('multiplexes listeners over one EventSource, with no secret in the URL', () => {
    FakeEventSource.instances = [];
    const client = createBridgeClient({
      served: true,
      fetch: fakeFetch(200, {}).fetch,
      createEventSource: (url) => new FakeEventSource(url),
    });
    const a = vi.fn();
    const b = vi.fn();
    const c = vi.fn();
    client.on('trial.epoch', a);
    client.on('trial.epoch', b);
    client.on('trial.state', c);
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0];
    expect(es.url).toBe('/api/events');
    expect(es.handlers.get('trial.epoch')).toHaveLength(1); // one native listener per event name

    const payload = { trialId: 1, metrics: { epoch: 1, trainLoss: 1, valLoss: 1, seconds: 1, samplesPerSec: 1 } };
    es.emit('trial.epoch', JSON.stringify(payload));
    expect(a).toHaveBeenCalledWith(payload);
    expect(b).toHaveBeenCalledWith(payload);
    expect(c).not.toHaveBeenCalled();
  });

  it('stops calling a listener after unsubscribe, and survives bad frames and throwing listeners', () => {
    FakeEventSource.instances = [];
    const client = createBridgeClient({ served: true, createEventSource: (url) => new FakeEventSource(url) });
    const errSpy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const thrower = vi.fn(() => {
      throw new Error('boom');
    });
    const kept = vi.fn();
    const off = client.on('trial.state', thrower);
    client.on('trial.state', kept);
    const es = FakeEventSource.instances[0];
    es.emit('trial.state', 'not json');
    expect(kept).not.toHaveBeenCalled();
    es.emit('trial.state', JSON.stringify({ trialId: 1, state: 'RUNNING', reason: null, backend: null }));
    expect(thrower).toHaveBeenCalledTimes(1);
    expect(kept).toHaveBeenCalledTimes(1);
    off();
    es.emit('trial.state', JSON.stringify({ trialId: 1, state: 'COMPLETE', reason: null, backend: null }));
    expect(thrower).toHaveBeenCalledTimes(1);
    expect(kept).toHaveBeenCalledTimes(2);
    errSpy.mockRestore();
    client.close();
    expect(es.closed).toBe(true);
  });

  it('opens no event stream from a page the bridge did not serve', () => {
    FakeEventSource.instances = [];
    const client = createBridgeClient({ served: false, createEventSource: (url) => new FakeEventSource(url) });
    client.on('trial.state', () => {});
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});

describe('toErrorInfo', () => {
  it('strips the Electron IPC prefix', () => {
    const e = Object.assign(new Error("Error invoking remote method 'latent-lab:invoke': Error: Folder not found"), { code: 'NOT_FOUND' });
    expect(toErrorInfo(e)).toEqual({ message: 'Folder not found', code: 'NOT_FOUND' });
  });
  it('handles non-errors', () => {
    expect(toErrorInfo('nope')).toEqual({ message: 'nope', code: null });
    expect(toErrorInfo(42).message).toBeTruthy();
  });
});
