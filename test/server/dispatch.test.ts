import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, type Handlers } from '../../src/shared/contract';
import { dispatch, toContractError } from '../../src/server/dispatch';

const summary = {
  path: '/data/x',
  imageCount: 0,
  labeled: false,
  classes: [],
  width: 28,
  height: 28,
  channels: 1 as const,
  preview: [],
  failures: [],
  fromCache: false,
  loadMs: 1,
};

function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const fail = async (): Promise<never> => {
    throw new Error('not in this test');
  };
  const all = Object.fromEntries(METHOD_NAMES.map((m) => [m, fail])) as unknown as Handlers;
  return { ...all, 'trials.list': async () => [], ...overrides };
}

describe('dispatch', () => {
  it('refuses unknown methods, including prototype names', async () => {
    const handlers = fakeHandlers();
    for (const method of ['nope', 'toString', '__proto__', 42, undefined]) {
      const env = await dispatch(handlers, method, {});
      expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('refuses bad input with a message naming the field, without calling the handler', async () => {
    const open = vi.fn(async () => summary);
    const env = await dispatch(fakeHandlers({ 'dataset.open': open }), 'dataset.open', {
      path: '',
      imageSize: 28,
      channels: 1,
    });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('INVALID_INPUT');
    expect(env.error.message).toContain('dataset.open');
    expect(env.error.message).toContain('path: Choose an image folder first.');
    expect(open).not.toHaveBeenCalled();
  });

  it('names nested fields with a dotted path', async () => {
    const env = await dispatch(fakeHandlers(), 'training.start', { datasetPath: '/x', params: { latentSize: 0 } });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.message).toMatch(/params\.latentSize/);
  });

  it('refuses extra keys on empty inputs', async () => {
    const env = await dispatch(fakeHandlers(), 'trials.list', { evil: true });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.message).toContain('evil');
  });

  it('passes the parsed input and wraps the result', async () => {
    const open = vi.fn(async () => summary);
    const env = await dispatch(fakeHandlers({ 'dataset.open': open }), 'dataset.open', {
      path: '/data/x',
      imageSize: 28,
      channels: 1,
    });
    expect(env).toEqual({ ok: true, value: summary });
    expect(open).toHaveBeenCalledWith({ path: '/data/x', imageSize: 28, channels: 1 });
  });

  it('keeps the code of a failing handler', async () => {
    const err = Object.assign(new Error('Trial 7 does not exist.'), { code: 'NOT_FOUND' });
    const env = await dispatch(
      fakeHandlers({ 'trials.get': async () => Promise.reject(err) }),
      'trials.get',
      { trialId: 7 },
    );
    expect(env).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Trial 7 does not exist.' } });
  });

  it('turns unexpected failures into INTERNAL and reports them', async () => {
    const onUnexpectedError = vi.fn();
    const env = await dispatch(
      fakeHandlers({
        'trials.list': async () => {
          throw new TypeError('x is undefined');
        },
      }),
      'trials.list',
      {},
      { onUnexpectedError },
    );
    expect(env).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'x is undefined' } });
    expect(onUnexpectedError).toHaveBeenCalledWith('trials.list', expect.any(TypeError));
  });

  it('never throws, even for non-Error throws or missing handlers', async () => {
    const handlers = fakeHandlers({ 'trials.list': () => Promise.reject('plain string') });
    await expect(dispatch(handlers, 'trials.list', {})).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'plain string' },
    });
    const partial = { ...fakeHandlers() } as Partial<Handlers>;
    delete partial['app.info'];
    const env = await dispatch(partial as Handlers, 'app.info', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'NOT_IMPLEMENTED' } });
  });

  it('toContractError ignores non-string codes', () => {
    expect(toContractError(Object.assign(new Error('m'), { code: 5 }))).toEqual({ code: 'INTERNAL', message: 'm' });
    expect(toContractError({ weird: true })).toEqual({ code: 'INTERNAL', message: 'Unexpected error.' });
  });
});
