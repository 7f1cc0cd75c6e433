import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { proposalsBySampler } from './proposals';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('reproducibility across processes', () => {
  it('a second Node process proposes exactly the same params for the same spec, seed and history', () => {
    const seed = 1234;
    const n = 12;
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'proposals.ts'), String(seed), String(n)], {
      cwd: path.resolve(here, '../..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const theirs = JSON.parse(child.stdout) as ReturnType<typeof proposalsBySampler>;
    const ours = proposalsBySampler(seed, n);
    expect(Object.keys(theirs)).toEqual(['random', 'tpe', 'gp', 'grid']);
    for (const name of Object.keys(ours)) {
      expect(theirs[name], name).toHaveLength(n);
      expect(theirs[name], name).toEqual(ours[name]);
    }
  });
});
