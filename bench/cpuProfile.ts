// Where a process's time went, from V8 CPU profiles (not a test). Make them with `node --cpu-prof`, or for every
// trainer of a study with LATENT_LAB_TRAINER_CPU_PROF=<folder> (src/core/trainer/nodeSpawn.ts), e.g.
//   LATENT_LAB_TRAINER_CPU_PROF=/tmp/prof node --import tsx bench/studyTimeline.ts
//   node --import tsx bench/cpuProfile.ts /tmp/prof/*.cpuprofile [--match 'fitLogistic|explorerPoints'] [--top 30]
// Prints per profile the seconds of samples (wall time while the thread ran, so inflated when the machine is
// shared: compare shares, not seconds), the functions with the most time including their callees, and the
// most time in a function's own code. Functions are named as "name file:line" (wasm functions by index).
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const match = argOf('match');
const top = Number(argOf('top') ?? 25);
const files = process.argv.slice(2).filter((a, i, all) => a.endsWith('.cpuprofile') && !['--match', '--top'].includes(all[i - 1]));
if (!files.length) {
  console.error('usage: node --import tsx bench/cpuProfile.ts <file.cpuprofile>... [--match <regex>] [--top N]');
  process.exit(2);
}

const nameOf = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const table = (m: Map<string, number>, filter?: RegExp): string =>
  [...m]
    .filter(([k]) => !filter || filter.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${v.toFixed(2).padStart(9)}  ${k}`)
    .join('\n');

for (const file of files) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const own = new Map<string, number>();
  let total = 0;
  p.samples.forEach((sample, i) => {
    // A sample's time is the gap to the next one.
    const seconds = (p.timeDeltas[i + 1] ?? 0) / 1e6;
    total += seconds;
    const leaf = nameOf(byId.get(sample) as ProfileNode);
    own.set(leaf, (own.get(leaf) ?? 0) + seconds);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const name = nameOf(byId.get(id) as ProfileNode);
      if (seen.has(name)) continue; // recursion counts once
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + seconds);
    }
  });
  console.log(`\n${file}: ${total.toFixed(1)} s of samples`);
  console.log(`-- including callees${match ? ` (matching /${match}/)` : ''}`);
  console.log(table(inclusive, match ? new RegExp(match) : undefined));
  console.log('-- own code');
  console.log(table(own));
}
