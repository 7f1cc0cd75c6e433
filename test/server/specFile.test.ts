// Study spec files opened from the desktop (.latentlab association): found on a command line, read with
// their relative paths resolved next to the file (never the app's working folder), refused clearly when bad.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SPEC_FILE_BYTES, readSpecFile, specFilesIn } from '../../src/server/specFile';
import { AppError } from '../../src/shared/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latent-lab-specfile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, body: string | object): string => {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('spec files from the desktop', () => {
  it('takes only .latentlab files from a command line, absolute against the launch folder', () => {
    const argv = ['/opt/Latent Lab/latent-lab', '--no-sandbox', '.', 'runs/mnist.latentlab', '/home/a/b.LATENTLAB', 'notes.json', '--x=y.latentlab'];
    expect(specFilesIn(argv, '/home/a')).toEqual([path.resolve('/home/a/runs/mnist.latentlab'), path.resolve('/home/a/b.LATENTLAB')]);
  });

  it('resolves a relative dataset folder and targets CSV next to the file, and leaves the others alone', async () => {
    const file = write('project/study.latentlab', {
      name: 's',
      dataset: { path: 'images', targetsCsv: './targets.csv', imageSize: 8 },
      budget: { trials: 1 },
    });
    const spec = (await readSpecFile(file)) as { name: string; dataset: Record<string, unknown>; budget: unknown };
    expect(spec.dataset.path).toBe(path.join(tmp, 'project', 'images'));
    expect(spec.dataset.targetsCsv).toBe(path.join(tmp, 'project', 'targets.csv'));
    expect(spec.dataset.imageSize).toBe(8);
    expect(spec.budget).toEqual({ trials: 1 });

    for (const kept of ['sample:mnist', '/data/images', '~/images']) {
      const other = write(`kept-${kept.replace(/\W/g, '')}.latentlab`, { name: 's', dataset: { path: kept } });
      expect(((await readSpecFile(other)) as { dataset: { path: string } }).dataset.path).toBe(kept);
    }
  });

  it('refuses a missing, oversized, folder-shaped or non-JSON file with a clear error', async () => {
    expect(await codeOf(readSpecFile(path.join(tmp, 'missing.latentlab')))).toBe('SPEC_FILE_UNREADABLE');
    fs.mkdirSync(path.join(tmp, 'dir.latentlab'));
    expect(await codeOf(readSpecFile(path.join(tmp, 'dir.latentlab')))).toBe('SPEC_FILE_UNREADABLE');
    expect(await codeOf(readSpecFile(write('big.latentlab', ' '.repeat(MAX_SPEC_FILE_BYTES + 1))))).toBe('SPEC_FILE_UNREADABLE');
    const notJson = write('bad.latentlab', '{ "name": ');
    await expect(readSpecFile(notJson)).rejects.toThrow(/bad\.latentlab is not valid JSON/);
    expect(await codeOf(readSpecFile(notJson))).toBe('INVALID_SPEC');
  });
});
