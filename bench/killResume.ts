// kill -9 at random moments (not a test): a real `latent-lab search` (budget 3, one trainer, tiny images,
// EPOCHS epochs so a trial lasts a few seconds) is killed with its trainer at a random moment after it created
// its study, then resumed at once; repeated N times, it prints what was found. Moments before the study
// exists only lose the start-up (nothing is stored yet); they are left out.
// Run: node --import tsx bench/killResume.ts [--runs 50] [--seed 1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/shared/rng';
import { completeSnapshot, finishedCount, killGroup, makeCrashWorld, runCli, startCli, storedTrials, type RunningCli } from '../test/helpers/crash';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } } });
const RUNS = Number(values.runs);
const BUDGET = 3;
const EPOCHS = 60;
const rng = createRng(Number(values.seed));
const world = await makeCrashWorld(fs.mkdtempSync(path.join(os.tmpdir(), 'll-killbench-')));
const flags = (name: string): string[] => ['--db', `${name}.sqlite`, '--data-dir', 'home'];

/** Starts a search and resolves when it has created its study (or ended): the clock for kill moments starts there. */
async function startSearch(name: string): Promise<{ cli: RunningCli; ended: () => boolean }> {
  const cli = startCli(world.dir, ['search', '--spec', world.spec(name, BUDGET, EPOCHS), ...flags(name)]);
  let ended = false;
  void cli.exited.then(() => (ended = true));
  while (!ended && !/^Study ".*" created in /m.test(cli.output())) await new Promise((r) => setTimeout(r, 20));
  return { cli, ended: () => ended };
}

// How long an undisturbed search runs after creating its study: kill moments are drawn from 0 to a little past it.
const calibration = await startSearch('calibration');
const t0 = Date.now();
if ((await calibration.cli.exited) !== 0) throw new Error(`the calibration search failed:\n${calibration.cli.output()}`);
const fullMs = Date.now() - t0;
console.log(
  `undisturbed search of ${BUDGET} trials x ${EPOCHS} epochs: ${(fullMs / 1000).toFixed(1)} s after creating its study; ` +
    `killing at uniform random moments in 0-${((fullMs * 1.1) / 1000).toFixed(1)} s after that (load average ${os.loadavg()[0].toFixed(1)})`,
);

const counts = {
  runs: 0,
  killedWithTrialRunning: 0,
  killedWithNoTrialRunning: 0,
  killedAfterSearchEnded: 0,
  resumeExit0: 0,
  staleFailed: 0,
  staleRetriedOnceAndComplete: 0,
  completeLostOrChanged: 0,
  finishedEqualsBudget: 0,
  leftRunningOrWaiting: 0,
};

for (let i = 0; i < RUNS; i++) {
  const name = `run-${i}`;
  const delay = rng.next() * fullMs * 1.1;
  const { cli, ended: endedFn } = await startSearch(name);
  await new Promise((r) => setTimeout(r, delay));
  const ended = endedFn();
  if (ended) counts.killedAfterSearchEnded++;
  await killGroup(cli);
  const dbPath = path.join(world.dir, `${name}.sqlite`);
  const before = storedTrials(dbPath, name);
  const kept = completeSnapshot(before);
  const running = before.filter((t) => t.state === 'RUNNING');
  const resume = runCli(world.dir, ['resume', name, ...flags(name)]);
  counts.runs++;
  if (resume.code === 0) counts.resumeExit0++;
  if (!ended) counts[running.length > 0 ? 'killedWithTrialRunning' : 'killedWithNoTrialRunning']++;
  const after = storedTrials(dbPath, name);
  const stillKept = completeSnapshot(after.filter((t) => t.id in kept));
  if (JSON.stringify(stillKept) !== JSON.stringify(kept)) counts.completeLostOrChanged++;
  for (const r of running) {
    const t = after.find((x) => x.id === r.id);
    if (t?.state === 'FAILED' && /^stale: /.test(t.failReason ?? '')) counts.staleFailed++;
    const retries = after.filter((x) => x.retryOf === r.id);
    if (retries.length === 1 && retries[0].state === 'COMPLETE') counts.staleRetriedOnceAndComplete++;
  }
  if (finishedCount(after) === BUDGET) counts.finishedEqualsBudget++;
  if (after.some((t) => t.state === 'RUNNING' || t.state === 'WAITING')) counts.leftRunningOrWaiting++;
  const states = after.map((t) => `#${t.number}${t.state[0]}${t.retryOf !== null ? `<${before.find((b) => b.id === t.retryOf)?.number ?? '?'}` : ''}`).join(' ');
  const at = ended ? 'after the search ended' : `${running.length} running, ${Object.keys(kept).length} COMPLETE at the kill`;
  console.log(`#${i} at +${(delay / 1000).toFixed(1)} s: ${at}; resume exit ${resume.code}: ${states}${resume.code === 0 ? '' : `\n${resume.stderr.trim()}`}`);
}

console.log('\ncounts:');
for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(28)} ${v}`);
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
fs.rmSync(world.dir, { recursive: true, force: true });
