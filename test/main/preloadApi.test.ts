import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type PreloadApi } from '../../src/shared/contract';
import { createApi, type IpcRendererLike } from '../../src/preload/createApi';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(reply: unknown = { ok: true, value: [] }) {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]) => reply),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    }),
  } satisfies IpcRendererLike;
  const emit = (channel: string, message: unknown): void => {
    for (const l of [...(listeners.get(channel) ?? [])]) l({ sender: 'fake' }, message);
  };
  const count = (channel: string): number => listeners.get(channel)?.size ?? 0;
  return { ipc, emit, count };
}

// Calls the api the way untyped main-world code could.
const loose = (api: PreloadApi) =>
  api as unknown as {
    invoke(method: string, input: unknown): Promise<unknown>;
    on(event: string, listener: (p: unknown) => void): () => void;
  };

describe('createApi (preload)', () => {
  it('sends known methods on the invoke channel and passes the envelope through', async () => {
    const { ipc } = fakeIpc({ ok: true, value: [{ id: 1 }] });
    const api = createApi(ipc);
    await expect(api.invoke('trials.list', {})).resolves.toEqual({ ok: true, value: [{ id: 1 }] });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'trials.list', {});
  });

  it('refuses methods outside the contract without touching IPC', async () => {
    const { ipc } = fakeIpc();
    const api = loose(createApi(ipc));
    for (const m of ['shell.exec', 'constructor', '__proto__']) {
      await expect(api.invoke(m, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  // Resolving (not rejecting) keeps the code: contextBridge copies only an Error's message.
  it('resolves error envelopes with message, code and parameters intact', async () => {
    const { ipc } = fakeIpc({ ok: false, error: { code: 'TRIAL_NOT_FOUND', params: { trialId: 9 }, message: 'Trial 9 does not exist.' } });
    await expect(createApi(ipc).invoke('trials.get', { trialId: 9 })).resolves.toEqual({
      ok: false,
      error: { message: 'Trial 9 does not exist.', code: 'TRIAL_NOT_FOUND', params: { trialId: 9 } },
    });
  });

  it('does not pass on a code outside the ErrorCode list', async () => {
    const { ipc } = fakeIpc({ ok: false, error: { code: 'ENOENT', message: 'no such file' } });
    await expect(createApi(ipc).invoke('trials.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REPLY' } });
  });

  it('turns a failed IPC call into an error envelope', async () => {
    const { ipc } = fakeIpc();
    ipc.invoke.mockRejectedValueOnce(new Error('channel closed'));
    await expect(createApi(ipc).invoke('trials.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'IPC_FAILED' } });
  });

  it('rejects malformed replies', async () => {
    const { ipc } = fakeIpc({ something: 'else' });
    await expect(createApi(ipc).invoke('trials.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REPLY' } });
  });

  it('refuses unknown events', () => {
    const { ipc } = fakeIpc();
    expect(() => loose(createApi(ipc)).on('process.env', () => undefined)).toThrow(/Unknown event/);
    expect(ipc.on).not.toHaveBeenCalled();
  });

  it('delivers only the subscribed event and unsubscribes its own listener', () => {
    const { ipc, emit, count } = fakeIpc();
    const api = createApi(ipc);
    const epochs = vi.fn();
    const states = vi.fn();
    const offEpoch = api.on('trial.epoch', epochs);
    const offState = api.on('trial.state', states);
    expect(count(IPC_EVENT_CHANNEL)).toBe(2);

    const payload = { trialId: 1, metrics: { epoch: 1, trainLoss: 1, valLoss: 1, seconds: 1, samplesPerSec: 1 } };
    emit(IPC_EVENT_CHANNEL, { event: 'trial.epoch', payload });
    expect(epochs).toHaveBeenCalledWith(payload);
    expect(states).not.toHaveBeenCalled();

    offEpoch();
    offEpoch(); // idempotent
    expect(count(IPC_EVENT_CHANNEL)).toBe(1);
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    emit(IPC_EVENT_CHANNEL, { event: 'trial.epoch', payload });
    expect(epochs).toHaveBeenCalledTimes(1);

    offState();
    expect(count(IPC_EVENT_CHANNEL)).toBe(0);
  });
});
