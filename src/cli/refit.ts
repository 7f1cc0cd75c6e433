// `latent-lab refit <study>`: the study's chosen configuration trained again on training + validation images
// (core/trainer/refit.ts), in this process like `train`; prints the verdict on test and how to export it.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import { verdictLinesEn } from '../shared/verdict';
import { exportTrial } from '../core/export/exportBundle';
import { checkTrialFits, isMemoryError } from '../core/study/trainerMemory';
import { StudyError } from '../core/study/study';
import { createRefitTrial, refitRunOptions, refitsOf, refitVerdict } from '../core/trainer/refit';
import { runTrial } from '../core/trainer/runTrial';
import { UsageError } from './args';
import { EXIT } from './exitCodes';
import { REFIT_HELP } from './help';
import { createProgressBar } from './progress';
import { announceBackend, terminalTrialEvents } from './trainHere';
import { rerunWithTrainerFlags } from './rerun';
import { open } from './studies';

const out = (line: string): void => void process.stdout.write(line + '\n');

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        'data-dir': { type: 'string' },
        storage: { type: 'string' },
        trial: { type: 'string' },
        epochs: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function wholeNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!raw.trim() || !Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} expects a whole number, got "${raw}".`);
  return n;
}

export async function refitCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) return (out(REFIT_HELP), 0);
  const name = positionals[0];
  if (!name) throw new UsageError('Give the study name: latent-lab refit <study> [--trial <number>] [--epochs <n>] [--out <folder>] (see latent-lab refit --help).');
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}": latent-lab refit takes one study name.`);
  const choice = { trialNumber: wholeNumber('trial', values.trial), epochs: wholeNumber('epochs', values.epochs) };
  await rerunWithTrainerFlags();
  const { storage, locations } = await open(values);
  const bar = createProgressBar();
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    let created;
    try {
      // Checked before a trial is stored: a wrong study, trial or epoch count, or too little memory, stores nothing.
      created = await createRefitTrial(storage, name, choice, locations, (params) => checkTrialFits(params));
    } catch (err) {
      if (err instanceof StudyError || err instanceof AppError || isMemoryError(err)) throw new UsageError(err.message);
      throw err;
    }
    const { trialId, request, refitOf } = created;
    const p = request.params;
    out(`Refit of "${refitOf.study}" trial #${refitOf.trialNumber}: ${p.architecture}, code ${p.latentSize}, ${p.epochs} epochs on the training + validation images of ${request.datasetPath}`);
    await announceBackend(out);
    out(`Refit stored as trial ${trialId} (study "Refits") in ${storage.path}`);
    const result = await runTrial({
      storage,
      trialId,
      request,
      cacheDir: locations.cacheDir,
      artifactsDir: locations.artifactsDir,
      signal: abort.signal,
      ...(await refitRunOptions(storage, trialId)),
      events: terminalTrialEvents(bar, out, (m) => `epoch ${String(m.epoch).padStart(3)}/${p.epochs}  train_loss ${m.trainLoss.toPrecision(5)}  ${m.seconds.toFixed(2)} s  ${Math.round(m.samplesPerSec)} samples/s`),
    });
    bar.clear();
    if (result.state !== 'COMPLETE') {
      out(`Refit (trial ${trialId}) ${result.state}${result.reason ? `: ${result.reason}` : ''}`);
      return result.state === 'CANCELLED' ? EXIT.interrupted : EXIT.failed;
    }
    const refit = (await refitsOf(storage, refitOf.studyId)).find((r) => r.trial.id === trialId);
    const verdict = refit ? await refitVerdict(storage, refit) : null;
    out(`Refit COMPLETE: trial ${trialId}.`);
    for (const note of refit?.attrs.evaluationNotes ?? []) out(`  ${note}`);
    if (verdict) for (const line of verdictLinesEn(verdict, `the refit of trial #${refitOf.trialNumber}`)) out(line);
    else out('No verdict on test: the study keeps no test split or its folder is unlabeled.');
    if (values.out) {
      try {
        const exported = await exportTrial({ storage, trialId, folder: path.resolve(values.out), force: values.force ?? false, locations });
        out(`Exported the refit's encoder bundle to ${exported.folder}`);
      } catch (err) {
        // The refit is stored either way; only the copy failed.
        if (err instanceof AppError) throw new UsageError(`The refit (trial ${trialId}) is stored, but the export failed: ${err.message}`);
        throw err;
      }
    } else {
      out(`Export it: latent-lab export --trial ${trialId} --out <folder>`);
    }
    return EXIT.ok;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await storage.close();
  }
}
