// The TrialRunner of autoencoder studies: resolve the sampled parameters into a full configuration, keep it
// with the trial, then train it like any trial (runTrial records state, metrics and values).
import fs from 'node:fs';
import type { DataLocations } from '../paths';
import { paramsFromSample, trialBaseOf } from '../../shared/study/templates';
import { isSampleRef } from '../data/sample';
import type { Study } from '../study/study';
import type { StudySpec } from '../../shared/study/spec';
import type { TrialRunner } from '../study/workerLoop';
import { runTrial, type TrialEvents } from './runTrial';
import { ensurePcaBaseline } from './studyBaselines';
import { writeTrialAttributes } from '../study/attributes';
import type { EvaluationOptions } from './evaluateTrial';
import { parseTargetsCsv } from '../evaluation/targets';
import { pruneSignalOf } from '../../shared/study/prunerConfig';

/** Reads a study's regression targets (file,value); errors name the file and the line. */
function readTargets(file: string): Map<string, number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the targets CSV ${file}: ${(err as Error).message}`);
  }
  return parseTargetsCsv(text);
}

/** How a study judges its trials (objectives, probe, test split, regression targets): its trials and refits alike. */
export function studyEvaluation(spec: StudySpec): EvaluationOptions {
  return {
    objectives: { objectives: spec.objectives, primary: spec.primaryObjective },
    probe: spec.probe,
    testFraction: spec.dataset.testFraction,
    targets: spec.dataset.targetsCsv ? readTargets(spec.dataset.targetsCsv) : undefined,
  };
}

/** The study's images on this machine (the embedded sample lives in the data folder). */
export function studyDatasetPath(spec: StudySpec, locations: Pick<DataLocations, 'sampleDir'>): string {
  return isSampleRef(spec.dataset.path) ? locations.sampleDir : spec.dataset.path;
}

export function autoencoderTrialRunner(study: Study, locations: DataLocations, events?: TrialEvents): TrialRunner {
  const base = trialBaseOf(study.spec);
  const datasetPath = studyDatasetPath(study.spec, locations);
  const evaluation = studyEvaluation(study.spec);
  const pruneSignal = pruneSignalOf(study.spec.pruner);
  return async ({ trialId, params: sampled, shouldPrune, decidesAt, signal }) => {
    let params;
    try {
      params = paramsFromSample(sampled, base);
    } catch (err) {
      await study.tell(trialId, 'FAILED', null, `invalid parameters: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    await writeTrialAttributes(study.storage, trialId, { params });
    const outcome = await runTrial({
      storage: study.storage,
      trialId,
      request: { datasetPath, params },
      cacheDir: locations.cacheDir,
      artifactsDir: locations.artifactsDir,
      signal,
      events,
      shouldPrune,
      pruning: pruneSignal ? { signal: pruneSignal, decidesAt } : undefined,
      evaluation,
    });
    // PCA beside the autoencoder at this code size (validation trade-off, test verdict): once per size.
    if (outcome.state === 'COMPLETE') await ensurePcaBaseline(study, locations, params.latentSize);
  };
}
