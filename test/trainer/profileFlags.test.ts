// The developer switch that profiles every trainer: flags only when asked, and a real trainer writes its profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnNodeTrainer, TRAINER_CPU_PROF_ENV, trainerProfileFlags } from '../../src/core/trainer/nodeSpawn';

describe('trainer CPU profiles (LATENT_LAB_TRAINER_CPU_PROF)', () => {
  it('adds --cpu-prof with an absolute folder only when the variable names one', () => {
    expect(trainerProfileFlags({})).toEqual([]);
    expect(trainerProfileFlags({ [TRAINER_CPU_PROF_ENV]: '' })).toEqual([]);
    expect(trainerProfileFlags({ [TRAINER_CPU_PROF_ENV]: 'prof' })).toEqual(['--cpu-prof', `--cpu-prof-dir=${path.resolve('prof')}`]);
  });

  it('a trainer started with it writes a .cpuprofile when it shuts down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-prof-'));
    const before = process.env[TRAINER_CPU_PROF_ENV];
    process.env[TRAINER_CPU_PROF_ENV] = dir;
    try {
      const channel = spawnNodeTrainer();
      const exited = new Promise<number | null>((resolve) => channel.onExit((info) => resolve(info.code)));
      await new Promise<void>((resolve) => channel.onMessage((m) => m.type === 'ready' && resolve()));
      channel.send({ type: 'shutdown' });
      expect(await exited).toBe(0);
    } finally {
      if (before === undefined) delete process.env[TRAINER_CPU_PROF_ENV];
      else process.env[TRAINER_CPU_PROF_ENV] = before;
    }
    const profiles = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    expect(profiles.length).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, profiles[0]), 'utf8')).samples.length).toBeGreaterThan(0);
  }, 60_000);
});
