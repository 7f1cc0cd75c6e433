// Trial and study attributes: written and read back typed; an attribute of the wrong shape reads as absent.
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/core/storage';
import { readStudyAttributes, readTrialAttributes, writeStudyAttributes, writeTrialAttributes } from '../../src/core/study/attributes';

describe('stored attributes', () => {
  it('round-trips typed values and leaves malformed ones out', async () => {
    const s = createMemoryStorage();
    const study = await s.createStudy('a', 'search', ['minimize'], null);
    const t = await s.createTrial(study.id, { state: 'RUNNING', params: {}, seed: 1, datasetPath: null });
    const evaluation = { recon: { mse: 0.1 }, classification: null, regression: null };
    await writeTrialAttributes(s, t.id, { classes: ['a', 'b'], evaluation, versions: { app: '1' }, evaluationNotes: undefined });
    await s.setTrialAttr(t.id, 'testMetrics', 'not an object');
    await s.setTrialAttr(t.id, 'backendNote', 42);
    expect(await readTrialAttributes(s, t.id)).toEqual({ classes: ['a', 'b'], evaluation, versions: { app: '1' } });
    expect(await readStudyAttributes(s, study.id)).toEqual({});
    const baselines = { pcaDim: 4, pcaExplainedVariance: 0.5, pcaReconstructionMse: 0.2, pca: { classification: null as never }, raw: null, rawSkipped: 'too large' };
    await writeStudyAttributes(s, study.id, { baselines });
    expect((await readStudyAttributes(s, study.id)).baselines).toEqual(baselines);
  });
});
