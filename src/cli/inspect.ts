// `latent-lab trials | trial`: read the trial database; no TensorFlow.js, so they answer quickly.
import { parseArgs } from 'node:util';
import { resolveLocations, type DataLocations } from '../core/paths';
import { openStorage } from '../core/storage/sqlite';
import { readTrialAttributes } from '../core/study/attributes';
import type { Storage } from '../core/storage/types';
import { activeParams } from '../shared/activeParams';
import { AutoencoderParams } from '../shared/schemas';
import { UsageError } from './args';

const out = (line: string): void => void process.stdout.write(line + '\n');
const fmt = (v: number | null | undefined, digits = 5): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toPrecision(digits));

function commonArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { db: { type: 'string' }, 'data-dir': { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function openFromArgs(values: { db?: string; 'data-dir'?: string }): { storage: Storage; locations: DataLocations } {
  const locations = resolveLocations({ dataDir: values['data-dir'], dbPath: values.db });
  return { storage: openStorage(locations.dbPath, { check: true }), locations };
}

export async function trialsCommand(argv: string[]): Promise<number> {
  const { values } = commonArgs(argv);
  const { storage } = openFromArgs(values);
  try {
    const rows = await storage.listTrials();
    if (rows.length === 0) return (out('No trials yet.'), 0);
    out(['id', 'study', '#', 'state', 'latent', 'epochs', 'best val_loss', 'backend', 'created'].join('\t'));
    for (const t of rows) {
      const m = await storage.getMetrics(t.id);
      const vals = m.map((s) => s.values.valLoss).filter((v): v is number => typeof v === 'number');
      out([t.id, t.studyName, t.number, t.state, String(t.params.latentSize ?? '-'), m.length, vals.length ? fmt(Math.min(...vals)) : '-', t.backend ?? '-', t.createdAt].join('\t'));
    }
    return 0;
  } finally {
    await storage.close();
  }
}

function trialIdArg(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id < 1) throw new UsageError(`Give a trial id (a positive integer, see latent-lab trials), got "${raw ?? ''}".`);
  return id;
}

export async function showCommand(argv: string[]): Promise<number> {
  const { values, positionals } = commonArgs(argv);
  const id = trialIdArg(positionals[0]);
  const { storage } = openFromArgs(values);
  try {
    const t = await storage.getTrial(id);
    if (!t) throw new UsageError(`Trial ${id} does not exist in ${storage.path}.`);
    out(`Trial ${t.id} (${t.studyName} #${t.number}): ${t.state}${t.failReason ? ` (${t.failReason})` : ''}`);
    out(`dataset  ${t.datasetPath}`);
    out(`seed     ${t.seed}   backend ${t.backend ?? '-'}   created ${t.createdAt}   finished ${t.finishedAt ?? '-'}`);
    out(`params   ${JSON.stringify(t.params)}`);
    // Every field is stored (defaults fill the rest); say which ones this architecture and optimizer read.
    const ae = AutoencoderParams.safeParse(t.params);
    if (ae.success) out(`active   ${JSON.stringify(activeParams(ae.data))}`);
    out(`versions ${JSON.stringify((await readTrialAttributes(storage, id)).versions ?? {})}`);
    if (t.artifactDir) out(`artifacts ${t.artifactDir}`);
    out('epoch\ttrain_loss\tval_loss\tseconds\tsamples/s');
    for (const s of await storage.getMetrics(id)) {
      const v = s.values;
      out([s.step, fmt(v.trainLoss), fmt(v.valLoss), fmt(v.seconds, 3), Math.round(v.samplesPerSec ?? 0)].join('\t'));
    }
    return 0;
  } finally {
    await storage.close();
  }
}
