// `latent-lab trials | trial`: read the trial database; no TensorFlow.js, so they answer quickly.
import { parseArgs } from 'node:util';
import { resolveLocations, type DataLocations } from '../core/paths';
import { openStorage } from '../core/storage/sqlite';
import { trialAttributesOf } from '../core/study/attributes';
import type { Storage } from '../core/storage/types';
import { activeParams } from '../shared/activeParams';
import { trialConfiguration } from '../core/study/trialDto';
import { UsageError } from './args';

/** The arch/latent cell and the active line of a trial whose stored configuration this version cannot read. */
const UNREADABLE = 'unreadable';
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
    out(['id', 'study', '#', 'state', 'arch', 'latent', 'epochs', 'best val_loss', 'backend', 'created'].join('\t'));
    for (const t of rows) {
      const m = await storage.getMetrics(t.id);
      const vals = m.map((s) => s.values.valLoss).filter((v): v is number => typeof v === 'number');
      // A study trial's own params are the searched ones only; its configuration is stored beside it.
      // One this version cannot read says so, rather than '-' (nothing stored) or defaults.
      const p = (await trialConfiguration(storage, t, await storage.getTrialAttrs(t.id))).params;
      out([t.id, t.studyName, t.number, t.state, p?.architecture ?? UNREADABLE, String(p?.latentSize ?? UNREADABLE), m.length, vals.length ? fmt(Math.min(...vals)) : '-', t.backend ?? '-', t.createdAt].join('\t'));
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
    // Every field is stored (defaults fill the rest; a study trial's params are the searched ones, its whole
    // configuration is stored beside it): say which ones this architecture and optimizer read.
    const raw = await storage.getTrialAttrs(id);
    const attrs = trialAttributesOf(raw);
    const configuration = await trialConfiguration(storage, t, raw);
    if (configuration.params) out(`active   ${JSON.stringify(activeParams(configuration.params))}`);
    else out(`active   ${UNREADABLE}: written by another version of Latent Lab, cannot be read here (${configuration.problem}); its metrics are kept, --like refuses it`);
    out(`versions ${JSON.stringify(attrs.versions ?? {})}`);
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
