import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, type Handlers } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { dispatch, toContractError } from '../../src/server/dispatch';
import type { ErrorLog } from '../../src/server/errorLog';

/** Records what dispatch logs instead of writing a file. */
function fakeLog(): ErrorLog & { errors: Array<[string, unknown]> } {
  const errors: Array<[string, unknown]> = [];
  return { file: '/data/logs/latent-lab.log', errors, error: (context, error) => errors.push([context, error]), warn: () => undefined };
}
const log = fakeLog();

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
      const env = await dispatch(handlers, method, {}, log);
      expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('refuses bad input with a message naming the field, without calling the handler', async () => {
    const open = vi.fn(async () => summary);
    const env = await dispatch(fakeHandlers({ 'dataset.open': open }), 'dataset.open', {
      path: '',
      imageSize: 28,
      channels: 1,
    }, log);
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('INVALID_INPUT');
    expect(env.error.message).toContain('dataset.open');
    expect(env.error.message).toContain('path: Choose an image folder first.');
    expect(open).not.toHaveBeenCalled();
  });

  it('names nested fields with a dotted path', async () => {
    const env = await dispatch(fakeHandlers(), 'training.start', { datasetPath: '/x', params: { latentSize: 0 } }, log);
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.message).toMatch(/params\.latentSize/);
  });

  it('refuses extra keys on empty inputs', async () => {
    const env = await dispatch(fakeHandlers(), 'trials.list', { evil: true }, log);
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.message).toContain('evil');
  });

  it('passes the parsed input and wraps the result', async () => {
    const open = vi.fn(async () => summary);
    const env = await dispatch(fakeHandlers({ 'dataset.open': open }), 'dataset.open', {
      path: '/data/x',
      imageSize: 28,
      channels: 1,
    }, log);
    expect(env).toEqual({ ok: true, value: summary });
    expect(open).toHaveBeenCalledWith({ path: '/data/x', imageSize: 28, channels: 1 });
  });

  it('keeps the code and parameters of an AppError', async () => {
    const env = await dispatch(
      fakeHandlers({ 'trials.get': async () => Promise.reject(new AppError('TRIAL_NOT_FOUND', { trialId: 7 })) }),
      'trials.get',
      { trialId: 7 },
      log,
    );
    expect(env).toEqual({ ok: false, error: { code: 'TRIAL_NOT_FOUND', params: { trialId: 7 }, message: 'Trial 7 does not exist.' } });
  });

  it('does not pass a Node or SQLite error code as a contract code: INTERNAL with the log file, stack logged', async () => {
    const local = fakeLog();
    for (const code of ['ENOENT', 'SQLITE_BUSY', 'NOT_FOUND']) {
      const err = Object.assign(new Error(`${code}: something low-level`), { code });
      const env = await dispatch(fakeHandlers({ 'trials.list': async () => Promise.reject(err) }), 'trials.list', {}, local);
      expect(env).toEqual({
        ok: false,
        error: { code: 'INTERNAL', params: { logFile: local.file }, message: expect.stringContaining(local.file) },
      });
      expect(local.errors.at(-1)).toEqual(['trials.list', err]);
    }
  });

  it('turns unexpected failures into INTERNAL and logs them', async () => {
    const local = fakeLog();
    const boom = new TypeError('x is undefined');
    const env = await dispatch(fakeHandlers({ 'trials.list': async () => Promise.reject(boom) }), 'trials.list', {}, local);
    expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL', params: { logFile: local.file } } });
    expect(local.errors).toEqual([['trials.list', boom]]);
  });

  it('never throws, even for non-Error throws or missing handlers', async () => {
    const handlers = fakeHandlers({ 'trials.list': () => Promise.reject('plain string') });
    await expect(dispatch(handlers, 'trials.list', {}, log)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const partial = { ...fakeHandlers() } as Partial<Handlers>;
    delete partial['app.info'];
    const env = await dispatch(partial as Handlers, 'app.info', {}, log);
    expect(env).toMatchObject({ ok: false, error: { code: 'NOT_IMPLEMENTED', params: { method: 'app.info' } } });
  });

  it('toContractError logs anything that is not an AppError', () => {
    const local = fakeLog();
    expect(toContractError(Object.assign(new Error('m'), { code: 5 }), local, 'x')).toMatchObject({ code: 'INTERNAL' });
    expect(toContractError({ weird: true }, local, 'y')).toMatchObject({ code: 'INTERNAL' });
    expect(local.errors.map(([c]) => c)).toEqual(['x', 'y']);
  });
});

describe('error log', () => {
  it('writes each unexpected error with its stack into the data folder, and caps the file by rotation', async () => {
    const { createErrorLog, logFileIn } = await import('../../src/server/errorLog');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-log-'));
    try {
      const errorLog = createErrorLog(dir, { maxBytes: 4096, echo: false });
      expect(errorLog.file).toBe(logFileIn(dir));
      expect(errorLog.file.startsWith(dir)).toBe(true);
      const err = Object.assign(new Error('disk went away'), { code: 'EIO' });
      errorLog.error('trials.list', err);
      const text = fs.readFileSync(errorLog.file, 'utf8');
      expect(text).toMatch(/ERROR \[trials\.list\] Error: disk went away\n\s+at /);
      expect(text).toContain('code: EIO');
      if (process.platform !== 'win32') expect(fs.statSync(errorLog.file).mode & 0o077).toBe(0);
      for (let i = 0; i < 50; i++) errorLog.error('loop', new Error(`error ${i}`));
      const names = fs.readdirSync(path.dirname(errorLog.file)).sort();
      expect(names).toEqual(['latent-lab.1.log', 'latent-lab.log']);
      for (const n of names) expect(fs.statSync(path.join(path.dirname(errorLog.file), n)).size).toBeLessThanOrEqual(4096);
      expect(fs.readFileSync(errorLog.file, 'utf8')).toContain('error 49');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
