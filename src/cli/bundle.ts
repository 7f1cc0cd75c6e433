// `latent-lab export`: a trial's encoder bundle into a new or empty folder (or over an earlier bundle with --force).
// `latent-lab encode`: an exported encoder applied to new images, codes to CSV or NPY.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLocations } from '../core/paths';
import { applyEncoder } from '../core/export/applyEncoder';
import { exportTrial, protectedPaths } from '../core/export/exportBundle';
import { AppError } from '../shared/errors';
import type { Storage, TrialRecord } from '../core/storage/types';
import { Study, StudyError } from '../core/study/study';
import { UsageError } from './args';
import { open } from './studies';
import { createProgressBar } from './progress';

const out = (line: string): void => void process.stdout.write(line + '\n');

function parse<O extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { db: { type: 'string' }, 'data-dir': { type: 'string' }, storage: { type: 'string' }, ...options }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}


const positiveInt = (flag: string, raw: string): number => {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} expects a trial number (an integer), got "${raw}".`);
  return n;
};

/**
 * The trial a command is about: --study S --trial N (the number the study shows), --study S --best, or
 * --trial ID alone (the id `latent-lab trials` lists, for hand-configured trials).
 */
export async function selectTrial(storage: Storage, v: { study?: string | boolean; trial?: string | boolean; best?: string | boolean }): Promise<TrialRecord> {
  if (typeof v.study === 'string') {
    let study: Study;
    try {
      study = await Study.load(storage, v.study);
    } catch (err) {
      if (err instanceof StudyError) throw new UsageError(err.message);
      throw err;
    }
    if (v.best) {
      if (v.trial !== undefined) throw new UsageError('Give either --best or --trial <number>, not both.');
      const best = await study.bestTrial();
      if (!best) throw new UsageError(`Study "${v.study}" has no COMPLETE trial with a value yet.`);
      return best;
    }
    if (typeof v.trial !== 'string') throw new UsageError(`Choose the trial of "${v.study}": --trial <number> (as latent-lab show "${v.study}" lists) or --best.`);
    const n = positiveInt('trial', v.trial);
    const t = (await storage.listTrials({ studyId: study.id })).find((x) => x.number === n);
    if (!t) throw new UsageError(`Study "${v.study}" has no trial #${n}.`);
    return t;
  }
  if (v.best) throw new UsageError('--best needs --study <name>.');
  if (typeof v.trial !== 'string') throw new UsageError('Choose the trial: --study <name> --trial <number>, --study <name> --best, or --trial <id> (as latent-lab trials lists).');
  const id = positiveInt('trial', v.trial);
  const t = await storage.getTrial(id);
  if (!t) throw new UsageError(`Trial ${id} does not exist in ${storage.path}.`);
  return t;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { study: { type: 'string' }, trial: { type: 'string' }, best: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' } });
  if (!values.out) throw new UsageError('Give the destination folder with --out <folder> (a new or empty folder).');
  const { storage, locations } = await open(values);
  try {
    const t = await selectTrial(storage, values);
    const result = await exportTrial({ storage, trialId: t.id, folder: path.resolve(values.out), force: values.force ?? false, locations });
    out(`Exported ${t.studyName} trial #${t.number} to ${result.folder}:`);
    for (const f of result.files) out(`  ${path.basename(f)}`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) throw new UsageError(err.message);
    throw err;
  } finally {
    await storage.close();
  }
}

export async function encodeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { model: { type: 'string' }, data: { type: 'string', multiple: true }, out: { type: 'string' }, force: { type: 'boolean' } });
  if (!values.model) throw new UsageError('Give the exported encoder with --model <bundle folder> (what latent-lab export wrote).');
  const inputs = [...(values.data ?? []), ...positionals];
  if (!inputs.length) throw new UsageError('Give the images with --data <folder or file> (repeat it, or list more files after the flags).');
  if (!values.out) throw new UsageError('Give the output with --out <file.csv | file.npy>.');
  const locations = resolveLocations({ dataDir: values['data-dir'] as string | undefined, dbPath: values.db as string | undefined });
  const bar = createProgressBar();
  try {
    const r = await applyEncoder({
      bundle: path.resolve(values.model),
      inputs,
      out: path.resolve(values.out),
      force: values.force ?? false,
      protectedPaths: protectedPaths(locations),
      onProgress: (p) => bar.update(p.total ? p.done / p.total : 0, `${p.phase === 'decode' ? 'decoding' : 'encoding'} ${p.done}/${p.total}`),
    });
    bar.clear();
    out(`Encoded ${r.images} image(s) with ${r.manifest.study.name} trial #${r.manifest.study.trialNumber} (code size ${r.manifest.output.codeSize}):`);
    for (const f of r.files) out(`  ${f}`);
    if (r.failures.length) {
      process.stderr.write(`${r.failures.length} file(s) could not be read and were left out:\n`);
      for (const f of r.failures) process.stderr.write(`  ${f.file}: ${f.reason}\n`);
    }
    return 0;
  } catch (err) {
    bar.clear();
    if (err instanceof AppError) throw new UsageError(err.message);
    throw err;
  }
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, force: { type: 'boolean' } });
  const name = positionals[0];
  if (!name) throw new UsageError('Give the study: latent-lab report <study> --out report.html');
  if (!values.out) throw new UsageError('Give the report file with --out <report.html> (trials.csv is written beside it).');
  const { storage, locations } = await open(values);
  try {
    const { writeStudyReport } = await import('../core/export/report/studyReport');
    const r = await writeStudyReport({ storage, study: name, out: path.resolve(values.out), force: values.force ?? false, protectedPaths: protectedPaths(locations), artifactsRoot: locations.artifactsDir });
    out(`Report of study "${name}"${r.report.chosenTrialNumber !== null ? ` (chosen trial #${r.report.chosenTrialNumber})` : ''}:`);
    for (const f of r.files) out(`  ${f}`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) throw new UsageError(err.message);
    if (err instanceof StudyError) throw new UsageError(err.message);
    throw err;
  } finally {
    await storage.close();
  }
}
