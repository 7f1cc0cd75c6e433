// A refit: the study's chosen configuration trained again, on the training + validation images, for the encoder
// the user exports (issue 15). Selection is over by then, so the validation images are worth more as training
// data than as a yardstick; the test split stays unseen and judges the refit against the same baselines.
// A refit is a trial of its own study (REFIT_STUDY), never of the search: the sampler, the budget and the
// study's best trial do not see it. Runs wherever trials run (the trainer process, the CLI in-process).
import { REFIT_STUDY, type AutoencoderParams, type RefitOf, type StudyRefit, type TrainRequest } from '../../shared/dto';
import { MAX_REFIT_EPOCHS } from '../../shared/schemas';
import { AppError } from '../../shared/errors';
import type { TestVerdict } from '../../shared/verdict';
import type { JsonValue, Storage, TrialRecord } from '../storage/types';
import { Study } from '../study/study';
import { readTrialAttributes, writeTrialAttributes, type TrialAttributes } from '../study/attributes';
import { trialConfiguration } from '../study/trialDto';
import { latentSizeOf } from '../evaluation/storedMetrics';
import { storedVerdict } from '../evaluation/verdict';
import type { DataLocations } from '../paths';
import { studyDatasetPath, studyEvaluation } from './autoencoderTrialRunner';
import type { RunTrialOptions } from './runTrial';
import { DEFAULT_EVALUATION } from './evaluateTrial';

export interface RefitChoice {
  /** The trial to refit (its number in the study); the study's best trial when absent. */
  trialNumber?: number;
  /** Epochs of the refit; the chosen trial's own epochs when absent. */
  epochs?: number;
}

export interface CreatedRefit {
  trialId: number;
  request: TrainRequest;
  refitOf: RefitOf;
}

async function chosenTrial(study: Study, trialNumber: number | undefined): Promise<TrialRecord> {
  const name = study.record.name;
  if (trialNumber === undefined) {
    const best = await study.bestTrial();
    if (!best) throw new AppError('REFIT_NOTHING_CHOSEN', { name });
    return best;
  }
  const trials = await study.storage.listTrials({ studyId: study.id });
  const t = trials.find((x) => x.number === trialNumber);
  if (!t) throw new AppError('REFIT_TRIAL_NOT_FOUND', { name, number: trialNumber, last: Math.max(0, trials.length - 1) });
  if (t.state !== 'COMPLETE') throw new AppError('REFIT_TRIAL_NOT_COMPLETE', { name, number: t.number, state: t.state });
  return t;
}

/**
 * Creates the refit trial (WAITING, in REFIT_STUDY) of a study's chosen trial: its full configuration with
 * `epochs` epochs and no early stopping (there is no held-out image left to stop on). Run it with runTrial and
 * refitRunOptions, like any trial.
 */
export async function createRefitTrial(
  storage: Storage,
  studyName: string,
  choice: RefitChoice,
  locations: Pick<DataLocations, 'sampleDir'>,
  /** Throws when the refit's configuration cannot be trained here (memory); called before the trial is stored. */
  check?: (params: AutoencoderParams) => void,
): Promise<CreatedRefit> {
  if (choice.epochs !== undefined && (!Number.isInteger(choice.epochs) || choice.epochs < 1 || choice.epochs > MAX_REFIT_EPOCHS)) {
    throw new AppError('REFIT_BAD_EPOCHS', { epochs: String(choice.epochs), max: MAX_REFIT_EPOCHS });
  }
  const study = await Study.load(storage, studyName);
  const source = await chosenTrial(study, choice.trialNumber);
  // The configuration the trial trained with (stored since studies resolve their samples), else resolved again.
  // One this version cannot read (another version's, a hand edit) is refused with the reason, never trained.
  const stored = await trialConfiguration(storage, source, await storage.getTrialAttrs(source.id));
  if (!stored.params) throw new AppError('REFIT_CONFIG_UNREADABLE', { name: study.record.name, number: source.number, reason: stored.problem });
  const { params } = stored;
  // Epochs the chosen trial trained (early stopping may have ended it before its configured epochs).
  const trained = (await storage.getMetrics(source.id)).length;
  const epochs = choice.epochs ?? (trained > 0 ? trained : params.epochs);
  const refitOf: RefitOf = { studyId: study.id, study: study.record.name, trialId: source.id, trialNumber: source.number, epochs };
  const request: TrainRequest = {
    datasetPath: source.datasetPath ?? studyDatasetPath(study.spec, locations),
    params: { ...params, epochs, earlyStoppingPatience: 0, restoreBestWeights: false },
  };
  check?.(request.params);
  const refits = await storage.getOrCreateStudy(REFIT_STUDY, 'refit');
  const trial = await storage.createTrial(refits.id, {
    state: 'WAITING',
    params: request.params as unknown as Record<string, JsonValue>,
    seed: request.params.seed,
    datasetPath: request.datasetPath,
  });
  await writeTrialAttributes(storage, trial.id, { refitOf, params: request.params });
  return { trialId: trial.id, request, refitOf };
}

/**
 * What runTrial needs beyond the request to run a refit trial (learn from training + validation images, judge
 * like its study); null for any other trial. The trainer asks this for every trial it is given.
 */
export async function refitRunOptions(storage: Storage, trialId: number): Promise<Pick<RunTrialOptions, 'evaluation' | 'fitOn'> | null> {
  const { refitOf } = await readTrialAttributes(storage, trialId);
  if (!refitOf) return null;
  const study = await Study.load(storage, refitOf.study);
  // The study's probe, test split and targets; the refit's value is its reconstruction error like any trial
  // outside a search (REFIT_STUDY minimises it), since its validation images are no longer held out.
  return { evaluation: { ...studyEvaluation(study.spec), objectives: DEFAULT_EVALUATION.objectives }, fitOn: 'train+validation' };
}

export interface StoredRefit {
  trial: TrialRecord;
  refitOf: RefitOf;
  attrs: Partial<TrialAttributes>;
}

/** A study's refits, newest first. */
export async function refitsOf(storage: Storage, studyId: number): Promise<StoredRefit[]> {
  const refits = await storage.getStudy(REFIT_STUDY);
  if (!refits) return [];
  const out: StoredRefit[] = [];
  for (const trial of await storage.listTrials({ studyId: refits.id })) {
    const attrs = await readTrialAttributes(storage, trial.id);
    if (attrs.refitOf?.studyId === studyId) out.push({ trial, refitOf: attrs.refitOf, attrs });
  }
  return out.sort((a, b) => b.trial.id - a.trial.id);
}

/** The refit's code against raw pixels and PCA at its code size on the study's test images; null without test predictions. */
export async function refitVerdict(storage: Storage, refit: StoredRefit): Promise<TestVerdict | null> {
  const latent = latentSizeOf(refit.trial.params, refit.attrs);
  if (latent === null) return null;
  return storedVerdict({ id: refit.trial.id, number: refit.trial.number, latentSize: latent }, refit.attrs, await storage.getStudyAttrs(refit.refitOf.studyId));
}

/** A study's refits as the app lists them (StudyDetail.refits), newest first. */
export async function studyRefits(storage: Storage, studyId: number): Promise<StudyRefit[]> {
  const out: StudyRefit[] = [];
  for (const r of await refitsOf(storage, studyId)) {
    out.push({
      trialId: r.trial.id,
      of: r.refitOf.trialNumber,
      epochs: r.refitOf.epochs,
      state: r.trial.state,
      failReason: r.trial.failReason,
      verdict: r.trial.state === 'COMPLETE' ? await refitVerdict(storage, r) : null,
    });
  }
  return out;
}
