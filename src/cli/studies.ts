// `latent-lab search | resume | studies | show`: studies from the CLI, run by the same trainer processes
// the app uses, against the same trial database.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLocations, type DataLocations } from '../core/paths';
import { openStorage } from '../core/storage/sqlite';
import { openStorageAt } from '../core/storage/open';
import { isDatabaseUrl, maskDatabaseUrl } from '../shared/databaseUrl';
import { checkStudyDataset } from '../core/study/datasetCheck';
import type { Storage, TrialRecord } from '../core/storage/types';
import { estimateDuration, gridSize } from '../shared/study/space';
import type { StudySpec } from '../shared/study/spec';
import { prunerLabel } from '../shared/study/pruneView';
import { objectiveLabel } from '../shared/study/objectives';
import { startupCoversBudget } from '../shared/study/samplerConfig';
import { formatTradeoff, latentTradeoff, type TradeoffTrial } from '../core/evaluation/tradeoff';
import { featureQuality, pcaBySize } from '../core/evaluation/featureQuality';
import { flattenSplitMetrics, validationMetrics } from '../core/evaluation/storedMetrics';
import { describeProbeSetting, verdictLinesEn } from '../shared/verdict';
import { ensureSampleDataset, isSampleRef } from '../core/data/sample';
import { isMemoryError, planTrainers, type TrainerPlan } from '../core/study/trainerMemory';
import { describeMemory, formatBytes } from '../core/training/memoryEstimate';
import { readTrialAttributes } from '../core/study/attributes';
import { checkStudySpec, type SpecCheck } from '../core/study/specCheck';
import { Study, StudyError } from '../core/study/study';
import { spawnNodeTrainer } from '../core/trainer/nodeSpawn';
import { superviseStudy } from '../core/trainer/studySupervisor';
import { describeTrial } from './describeTrial';
import { UsageError } from './args';
import { EXIT } from './exitCodes';
import { formatDuration } from './progress';

const out = (line: string): void => void process.stdout.write(line + '\n');
const common = { db: { type: 'string' }, 'data-dir': { type: 'string' }, storage: { type: 'string' } } as const;

function parse<O extends Record<string, { type: 'string' | 'boolean' }>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...common, ...options }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

type LocationFlags = { db?: string | boolean; 'data-dir'?: string | boolean; storage?: string | boolean };

/** --data-dir and --db, relative to the working directory. */
const locationsOf = (values: LocationFlags): DataLocations =>
  resolveLocations({ dataDir: values['data-dir'] as string | undefined, dbPath: values.db as string | undefined });

/** Opens the database after checking it; only `search` may create one (and says where). */
export async function open(values: LocationFlags, create = false): Promise<{ storage: Storage; locations: DataLocations }> {
  const locations = locationsOf(values);
  // --storage postgresql://...: a shared study database on a server; the data folder stays this machine's.
  if (typeof values.storage === 'string') {
    if (!isDatabaseUrl(values.storage)) throw new UsageError(`--storage expects a database address such as postgresql://user@host/database, got "${values.storage}" (a SQLite file is given with --db).`);
    const storage = await openStorageAt(values.storage, { onCreate: (url) => out(`Set up Latent Lab's tables in ${url}`) });
    return { storage, locations };
  }
  const storage = openStorage(locations.dbPath, { create, check: true, onCreate: (file) => out(`Created a new trial database at ${file}`) });
  return { storage, locations };
}

export const asStudyError = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StudyError) {
      const hint = err.code === 'STUDY_EXISTS' ? ` To continue it: latent-lab resume "${err.params.name}".` : '';
      throw new UsageError(`${err.message.replace(/\n/g, ' | ')}${hint}`);
    }
    throw err;
  }
};

function readSpec(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read the spec ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`The spec ${file} is not valid JSON: ${(err as Error).message}.`);
  }
}

const fmtValue = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toPrecision(5));

const bestTrial = (study: Study): Promise<TrialRecord | null> => study.bestTrial();
/** The primary objective's value of a trial (what "best" is judged by). */
const primaryValue = (study: Study, t: TrialRecord | null | undefined): number | null | undefined => t?.values[study.spec.primaryObjective];

async function stateCounts(study: Study): Promise<string> {
  const counts = new Map<string, number>();
  for (const t of await study.storage.listTrials({ studyId: study.id })) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no trials';
}

async function printTrialsTable(study: Study, limit?: number): Promise<void> {
  const keys = study.spec.searchSpace.params.filter((p) => p.type !== 'fixed').map((p) => p.name);
  out(['#', 'state', 'value', ...keys].join('\t'));
  const trials = await study.storage.listTrials({ studyId: study.id });
  for (const t of limit ? trials.slice(-limit) : trials) {
    out([t.number, t.state, t.values.length ? t.values.map(fmtValue).join(' / ') : '-', ...keys.map((k) => (k in t.params ? JSON.stringify(t.params[k]) : ''))].join('\t'));
  }
}

/** Trainers for a run: --parallel or the spec's, within memory (a study that cannot fit is refused, exit 2). */
function trainersFor(spec: StudySpec, parallelFlag: string | undefined): TrainerPlan {
  const requested = parallelFlag !== undefined ? Number(parallelFlag) : spec.parallel;
  if (requested !== 'auto' && (!Number.isInteger(requested) || requested < 1)) throw new UsageError(`--parallel expects a positive integer, got "${parallelFlag}".`);
  try {
    return planTrainers(spec, { requested });
  } catch (err) {
    if (isMemoryError(err)) throw new UsageError(err.message);
    throw err;
  }
}

/** Runs trainers on this machine until the study stops; `datasetPath`: this machine's copy of the images. */
export async function runStudy(study: Study, storage: Storage, locations: DataLocations, parallelFlag: string | undefined, datasetPath?: string): Promise<number> {
  // A shared study: this machine's copy of the images must be the study's (the first worker records it).
  if (isDatabaseUrl(storage.path) && (await checkStudyDataset(study)) === 'recorded') out(`Recorded the fingerprint of ${study.spec.dataset.path} with the study: other workers' copies are checked against it.`);
  if (isSampleRef(study.spec.dataset.path)) {
    const sample = await ensureSampleDataset(locations.sampleDir);
    out(`Sample dataset: ${sample.path} (${sample.count} images)`);
  }
  const budgetTrials = study.spec.budget.trials;
  const waiting = (await storage.listTrials({ studyId: study.id, states: ['WAITING'] })).length;
  if (budgetTrials !== undefined && waiting === 0 && (await study.countedTrials()) >= budgetTrials) {
    out(`Study "${study.record.name}" has used its budget of ${budgetTrials} trials. ${await stateCounts(study)}.`);
    out('Stopped: the trial budget is used.');
    return 0;
  }
  const workers = trainersFor(study.spec, parallelFlag).trainers;
  const { budget, sampler } = study.spec;
  const grid = sampler.type === 'grid' ? gridSize(study.spec.searchSpace) : null;
  out(
    `Study "${study.record.name}": ${sampler.type} sampler, pruner ${prunerLabel(study.spec)}, budget ${[budget.trials && `${budget.trials} trials`, budget.seconds && `${budget.seconds} s`].filter(Boolean).join(' / ')}` +
      `${typeof grid === 'number' ? `, grid of ${grid}` : ''}, ${workers} trainer process${workers > 1 ? 'es' : ''}`,
  );
  out(`Database: ${storage.path}`);
  const started = Date.now();
  let finishedHere = 0;
  let startedHere = 0;
  let succeededHere = 0;
  const searched = new Set(study.spec.searchSpace.params.filter((p) => p.type !== 'fixed').map((p) => p.name));
  // Lines about finished trials, in the order the trials finished (each reads the database first).
  let printing: Promise<void> = Promise.resolve();
  const run = superviseStudy({
    spawn: spawnNodeTrainer,
    storage,
    locations,
    studyName: study.record.name,
    workers,
    seconds: budget.seconds,
    datasetPath,
    onEvent: (m, worker) => {
      if (m.type === 'log') out(`trainer ${worker}: ${m.message}`);
      if (m.type === 'study.trialStarted') startedHere++;
      if (m.type !== 'study.trialFinished') return;
      if (m.payload.state === 'COMPLETE' || m.payload.state === 'PRUNED') succeededHere++;
      const trialId = m.payload.trialId;
      printing = printing.then(async () => {
        const t = await storage.getTrial(trialId);
        if (!t) return;
        const best = await bestTrial(study);
        const total = budget.trials ? `/${budget.trials}` : '';
        const finished = await study.finishedTrials();
        const elapsed = (Date.now() - started) / 1000;
        finishedHere++;
        // Rough ETA: this run's pace so far, spread over the remaining budget.
        const remaining = budget.trials !== undefined ? Math.max(0, budget.trials - finished) : null;
        const eta = remaining !== null && finishedHere > 0 ? (elapsed / finishedHere) * remaining : null;
        out(`[${finished}${total}] ${describeTrial(t, searched)}  | best #${best?.number ?? '-'} ${fmtValue(primaryValue(study, best))}  ${formatDuration(elapsed)}${eta !== null && remaining ? `, ETA ${formatDuration(eta)}` : ''}`);
      }).catch((err: unknown) => out(`(could not read trial ${trialId}: ${err instanceof Error ? err.message : String(err)})`));
    },
  });
  // First Ctrl+C pauses (running trials finish), a second one cancels them.
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts === 1) {
      out('Pausing: the running trials finish, no new one starts (Ctrl+C again to cancel them now)...');
      run.pause();
    } else {
      out('Cancelling: the running trials stop within one batch...');
      run.cancel();
    }
  };
  process.on('SIGINT', onSigint);
  const results = await run.done;
  await printing;
  process.removeListener('SIGINT', onSigint);
  for (const r of results.filter((x) => x.error)) out(`trainer ${r.worker}: ${r.error}`);
  const stops = new Set(results.map((r) => r.stop));
  const why = stops.has('cancelled') ? 'cancelled' : stops.has('paused') ? 'paused' : stops.has('exhausted') ? 'the grid is exhausted' : stops.has('deadline') ? 'the time budget is used' : stops.has('budget') ? 'the trial budget is used' : [...stops].join(', ');
  out(`\nStopped: ${why}. ${await stateCounts(study)}. ${formatDuration((Date.now() - started) / 1000)} in all.`);
  await printTrialsTable(study, 20);
  const best = await bestTrial(study);
  if (best) out(`\nBest: trial #${best.number} (id ${best.id}) value ${fmtValue(primaryValue(study, best))} ${JSON.stringify(best.params)}`);
  if (stops.has('cancelled') || stops.has('paused')) {
    out(`Resume with: latent-lab resume ${study.record.name}`);
    return EXIT.interrupted;
  }
  const crashed = results.filter((r) => r.stop === 'crashed' || r.stop === 'error');
  const failure =
    crashed.length > 0
      ? `${crashed.length} of ${results.length} trainer process(es) crashed (${crashed.map((r) => `trainer ${r.worker}: ${r.error ?? r.stop}`).join('; ')})`
      : startedHere > 0 && succeededHere === 0
        ? `none of the ${startedHere} trial(s) of this run finished (see their reasons above)`
        : null;
  if (failure) {
    process.stderr.write(`latent-lab: ${study.record.name}: ${failure}; ${succeededHere} trial(s) finished in this run. Resume with: latent-lab resume ${study.record.name}\n`);
    return EXIT.studyFailed;
  }
  return EXIT.ok;
}

/** Seconds per trial from the database's recent completed trials (any study), or null if none. */
async function recentSecondsPerTrial(storage: Storage): Promise<number | null> {
  const done = (await storage.listTrials({ states: ['COMPLETE'] }))
    .slice(-20)
    .map((t) => (t.startedAt && t.finishedAt ? (Date.parse(t.finishedAt) - Date.parse(t.startedAt)) / 1000 : NaN))
    .filter((x) => Number.isFinite(x) && x > 0);
  return done.length ? done.reduce((a, b) => a + b, 0) / done.length : null;
}

/**
 * `search --dry-run`: the spec passed the same checks as search; say how many trials and roughly how long,
 * without running anything. Reads the database only when it exists (a dry run creates no file).
 */
async function dryRun(check: Extract<SpecCheck, { ok: true }>, values: LocationFlags, parallelFlag: string | undefined): Promise<number> {
  const { spec, gridSize: grid } = check;
  const storage = typeof values.storage === 'string' || fs.existsSync(locationsOf(values).dbPath) ? (await open(values)).storage : null;
  try {
    const searched = spec.searchSpace.params.filter((p) => p.type !== 'fixed').map((p) => p.name);
    out(`Spec "${spec.name}" is valid: ${searched.length} searched parameter(s): ${searched.join(', ')}`);
    if (storage && (await storage.getStudy(spec.name))) out(`Note: a study named "${spec.name}" already exists; search would refuse it (resume it instead).`);
    if (grid !== null) out(`Grid: ${grid} combination(s)${spec.sampler.type === 'grid' ? '' : ' (if searched as a grid)'}`);
    out(`Sampler: ${spec.sampler.type}; pruner: ${prunerLabel(spec)}.`);
    const trials = spec.sampler.type === 'grid' && grid !== null ? Math.min(grid, spec.budget.trials ?? grid) : spec.budget.trials;
    const plan = trainersFor(spec, parallelFlag);
    const workers = plan.trainers;
    out(`Memory: about ${describeMemory(plan.perTrainer)} per trainer at most; ${formatBytes(plan.available)} available now.`);
    estimateLine(trials, spec.budget.seconds, workers, storage ? await recentSecondsPerTrial(storage) : null);
    const startup = startupCoversBudget(spec.sampler, spec.budget.trials);
    if (startup) {
      out(
        `Warning: ${startup.sampler.toUpperCase()} samples its first ${startup.startupTrials} trials at random and the budget is ${startup.budgetTrials} trials, ` +
          `so the model never runs (a random search). Raise budget.trials to ${startup.suggestedBudget} or more, or set sampler.startupTrials to ${startup.suggestedStartup}.`,
      );
    }
    return 0;
  } finally {
    await storage?.close();
  }
}

function estimateLine(trials: number | undefined, seconds: number | undefined, workers: number, perTrial: number | null): void {
  if (trials === undefined) out(`Budget: ${seconds} s of wall time on ${workers} trainer process(es).`);
  else if (perTrial === null) out(`Budget: ${trials} trials on ${workers} trainer process(es); duration unknown until a trial has run here.`);
  else {
    const est = estimateDuration(trials, perTrial, workers);
    out(`Estimate: ${'text' in est ? est.text : est.error} (from the mean of recent trials in this database; a rough guide).`);
  }
}

/**
 * The spec file read and checked before anything is opened: relative paths inside it count from its own
 * folder; an invalid spec is a usage error (exit 2) with one line per problem.
 */
function checkedSpecFile(file: string): Extract<SpecCheck, { ok: true }> {
  const abs = path.resolve(file);
  const check = checkStudySpec(readSpec(abs), { baseDir: path.dirname(abs) });
  if (check.ok) return check;
  const n = check.errors.length;
  // One line per problem; the CLI prints a usage error on one line, the problems joined by ' | '.
  throw new UsageError(`The study spec ${file} is not valid (${n} problem${n === 1 ? '' : 's'}): ${check.errors.join('\n')}`);
}

/**
 * Where a study from a spec is stored: --storage / --db when given (a spec naming another database is told,
 * never silently overruled), else the spec's `storage` key, else the local database.
 */
function storageForSpec<V extends LocationFlags>(values: V, specStorage: string | undefined): V {
  if (specStorage === undefined) return values;
  const flag = typeof values.storage === 'string' ? ['--storage', values.storage] : typeof values.db === 'string' ? ['--db', values.db] : null;
  if (flag === null) {
    out(`Storage: ${specStorage} (the spec's storage key)`);
    return { ...values, storage: specStorage };
  }
  if (flag[1] !== specStorage) out(`Note: ${flag[0]} ${maskDatabaseUrl(flag[1])} overrides the spec's storage ${specStorage}: the study is stored in the former.`);
  return values;
}

export async function searchCommand(argv: string[]): Promise<number> {
  const parsed = parse(argv, { spec: { type: 'string' }, parallel: { type: 'string' }, 'dry-run': { type: 'boolean' } });
  if (!parsed.values.spec) throw new UsageError('Give the study spec: latent-lab search --spec study.json (see resources/sample-study.json).');
  const check = checkedSpecFile(parsed.values.spec);
  const values = storageForSpec(parsed.values, check.spec.storage);
  if (values['dry-run']) return dryRun(check, values, values.parallel);
  const { storage, locations } = await open(values, true);
  try {
    // A study that cannot fit in memory is refused before it is stored.
    trainersFor(check.spec, values.parallel);
    const study = await asStudyError(() => Study.create(storage, check.spec));
    out(`Study "${study.record.name}" created in ${storage.path}`);
    return await runStudy(study, storage, locations, values.parallel);
  } finally {
    await storage.close();
  }
}

export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { parallel: { type: 'string' } });
  if (!positionals[0]) throw new UsageError('Give the study name: latent-lab resume <study> (see latent-lab studies).');
  const { storage, locations } = await open(values);
  try {
    const study = await asStudyError(() => Study.load(storage, positionals[0]));
    for (const r of await study.recoverStale()) {
      const again = r.retry ? `queued once more as #${r.retry.number}` : `not retried again (it was itself the retry of #${(await storage.getTrial(r.failed.retryOf ?? -1))?.number ?? '?'})`;
      out(`Trial #${r.failed.number} was left RUNNING, but ${r.why}: marked FAILED (stale), ${again}.`);
    }
    return await runStudy(study, storage, locations, values.parallel);
  } finally {
    await storage.close();
  }
}

export async function studiesCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {});
  const { storage } = await open(values);
  try {
    const studies = (await storage.listStudies()).filter((s) => s.kind === 'search');
    if (studies.length === 0) return (out('No studies yet: latent-lab search --spec study.json'), 0);
    out(['study', 'trials', 'states', 'best', 'created'].join('\t'));
    for (const s of studies) {
      const study = await asStudyError(() => Study.load(storage, s.name));
      out([s.name, (await study.storage.listTrials({ studyId: s.id })).length, await stateCounts(study), fmtValue(primaryValue(study, await bestTrial(study))), s.createdAt].join('\t'));
    }
    return 0;
  } finally {
    await storage.close();
  }
}

export async function showStudyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (!positionals[0]) throw new UsageError('Give the study name: latent-lab show <study> (a trial: latent-lab trial <id>).');
  const { storage } = await open(values);
  try {
    const study = await asStudyError(() => Study.load(storage, positionals[0]));
    const s = study.spec;
    out(`Study "${s.name}" (${study.record.createdAt})`);
    out(`dataset ${s.dataset.path} (${s.dataset.imageSize}px, ${s.dataset.channels === 1 ? 'grayscale' : 'RGB'})`);
    out(`objective ${s.objectives.map((o, i) => `${objectiveLabel(o)} (${study.directions[i]})`).join(', ')}; sampler ${s.sampler.type}; pruner ${prunerLabel(s)}; seed ${s.seed}`);
    out(`states: ${await stateCounts(study)}`);
    await printTrialsTable(study);
    const best = await bestTrial(study);
    out(best ? `\nBest: trial #${best.number} (id ${best.id}) value ${fmtValue(primaryValue(study, best))} ${JSON.stringify(best.params)}` : '\nNo completed trial yet.');
    const bestAttrs = best ? await readTrialAttributes(storage, best.id) : {};
    const bestMetrics = validationMetrics(bestAttrs.evaluation);
    const { baselines, probeSetting, verdict } = featureQuality(best, bestAttrs, await storage.getStudyAttrs(study.id));
    if (probeSetting) out(`Probe: ${s.probe.kind}, ${describeProbeSetting(probeSetting)}`);
    if (baselines) {
      const acc = (m: Record<string, number | null> | null): string => fmtValue(m?.val_accuracy ?? null);
      out(
        `Validation accuracy (${s.probe.kind} probe): best trial ${acc(bestMetrics)}; baselines: raw pixels ${baselines.raw ? acc(baselines.raw) : 'skipped (too large)'}, PCA(${baselines.pcaDim}) ${acc(baselines.pca)}`,
      );
    }
    const test = bestAttrs.testMetrics;
    if (test) {
      const m = Object.entries(flattenSplitMetrics('test', test)).filter(([, v]) => v !== null);
      if (m.length) out(`Test split (chosen trial only, never used for selection): ${m.map(([k, v]) => `${k} ${fmtValue(v)}`).join('  ')}`);
    }
    if (verdict) for (const line of verdictLinesEn(verdict)) out(line);
    await printRefits(storage, study);
    return 0;
  } finally {
    await storage.close();
  }
}

/** The study's refits (newest first): what they trained on and the latest finished one's verdict on test. */
async function printRefits(storage: Storage, study: Study): Promise<void> {
  // Loaded here, not with this module: refit.ts reaches TensorFlow.js (via runTrial), which `search` and
  // `resume` never need in this process (their trainers load it), and loading it held up starting them by ~1 s.
  const { refitsOf, refitVerdict } = await import('../core/trainer/refit');
  const refits = await refitsOf(storage, study.id);
  if (!refits.length) {
    if (study.spec.dataset.testFraction > 0) out(`\nNo refit yet: latent-lab refit "${study.record.name}" trains the chosen configuration on training + validation images for export.`);
    return;
  }
  out('\nRefits (the chosen configuration trained on training + validation images; export with latent-lab export --trial <id>):');
  for (const r of refits) out(`  trial ${r.trial.id}: of #${r.refitOf.trialNumber}, ${r.refitOf.epochs} epochs, ${r.trial.state}${r.trial.failReason ? ` (${r.trial.failReason})` : ''}`);
  const done = refits.find((r) => r.trial.state === 'COMPLETE');
  const verdict = done ? await refitVerdict(storage, done) : null;
  if (done && verdict) {
    out(`Refit trial ${done.trial.id}:`);
    for (const line of verdictLinesEn(verdict, `the refit of trial #${done.refitOf.trialNumber}`)) out(line);
  }
}

/** `latent-lab tradeoff <study>`: per latent size, the best reconstruction error and downstream score. */
export async function tradeoffCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (!positionals[0]) throw new UsageError('Give the study name: latent-lab tradeoff <study>.');
  const { storage } = await open(values);
  try {
    const study = await asStudyError(() => Study.load(storage, positionals[0]));
    const rows: TradeoffTrial[] = [];
    let downstreamName = 'accuracy';
    for (const t of await storage.listTrials({ studyId: study.id, states: ['COMPLETE'] })) {
      const attrs = await readTrialAttributes(storage, t.id);
      const metrics = validationMetrics(attrs.evaluation);
      const latentSize = attrs.params?.latentSize ?? t.params.latentSize;
      const downstream = metrics.val_accuracy ?? metrics.val_r2 ?? null;
      if (metrics.val_accuracy === undefined && metrics.val_r2 !== undefined) downstreamName = 'R2';
      rows.push({ trialId: t.number, latentSize: Number(latentSize), reconError: metrics.val_recon_mse ?? t.values[0] ?? null, downstream });
    }
    if (rows.length === 0) return (out(`Study "${study.record.name}" has no completed trial yet.`), 0);
    const pca = pcaBySize(await storage.getStudyAttrs(study.id));
    out(`Latent-size trade-off of "${study.record.name}" (validation split; trial numbers${pca.length ? '; PCA at the same sizes with the same probe' : ''}):`);
    out(formatTradeoff(latentTradeoff(rows, 'maximize', pca), { recon: 'recon MSE', downstream: downstreamName }));
    if (rows.every((r) => r.downstream === null)) out('No downstream scores: the folder is unlabeled (or trials predate the evaluation engine).');
    return 0;
  } finally {
    await storage.close();
  }
}
