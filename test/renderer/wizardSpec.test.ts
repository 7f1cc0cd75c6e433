// The wizard's spec builder is a pure function: its output must be a spec the engine accepts (parsed here
// with the engine's own StudySpec and search-space checks), with the same grid size the engine computes.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStudySpec, studyDirections } from '../../src/shared/study/spec';
import { gridSize, validateSpace } from '../../src/shared/study/space';
import { featureLearnerSpace, paramsFromSample } from '../../src/shared/study/templates';
import { featureStudySpec } from '../../src/shared/study/featureStudy';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { defaultDraft, reviveDraft, type WizardDraft } from '../../src/renderer/components/wizard/draft';
import { gridInfo } from '../../src/renderer/components/wizard/grid';
import { buildSpec, fieldIssue, manualConfig, metricBlocked, newManualConfig, varyingParams } from '../../src/renderer/components/wizard/specBuilder';
import { draftFromSpec } from '../../src/renderer/components/wizard/specLoader';
import { generateStacks, PARAM_DEFS, SPACE_PARAMS, stackFrom } from '../../src/renderer/components/wizard/spaceDefaults';

const NOW = new Date(2026, 0, 28, 9, 15);

function draft(edit: (d: WizardDraft) => void = () => undefined): WizardDraft {
  const d = defaultDraft(NOW);
  edit(d);
  return d;
}

/** The engine's verdict on a spec: parsed, space valid, and its grid size (or the grid error). */
function engine(spec: unknown) {
  const parsed = parseStudySpec(spec);
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
  const space = validateSpace(parsed.spec.searchSpace);
  if (!space.ok) return { ok: false as const, errors: space.errors };
  return { ok: true as const, spec: parsed.spec, grid: gridSize(space.space) };
}

/** The e2e's tiny study: dense, latent 2..8, hidden [16], 1..2 epochs, batch 128, 3 random trials. */
function tinyStudy(d: WizardDraft): void {
  d.name = 'tiny';
  d.dataset.source = 'sample';
  d.dataset.imageSize = '14';
  d.architecture.hiddenStacks = ['16'];
  d.rows.latentSize = { ...d.rows.latentSize, mode: 'range', low: '2', high: '8', log: false, step: '' };
  d.rows.epochs = { ...d.rows.epochs, mode: 'range', low: '1', high: '2', step: '' };
  d.rows.batchSize = { ...d.rows.batchSize, mode: 'fixed', fixed: '128' };
  d.strategy.sampler = 'random';
  d.strategy.trials = '3';
  d.strategy.parallel = 'fixed';
  d.strategy.parallelN = '1';
}

describe('buildSpec', () => {
  it('turns the default draft into a spec the engine accepts', () => {
    const r = buildSpec(draft());
    expect(r.issues).toEqual([]);
    const e = engine(r.spec);
    expect(e.ok, JSON.stringify(e)).toBe(true);
    expect(r.spec.dataset.path).toBe('sample:mnist');
    expect(r.spec.objectives).toEqual([{ name: 'val_recon', loss: 'mse' }]);
    expect(r.spec.primaryObjective).toBe(0);
    expect(r.spec.probe).toEqual({ kind: 'logistic', C: 1 });
    expect(r.spec.dataset).not.toHaveProperty('targetsCsv');
    expect(r.spec.sampler).toEqual({ type: 'tpe', startupTrials: 10 });
    expect(r.spec.budget).toEqual({ trials: 20 });
  });

  it('builds the tiny random study of the e2e test exactly', () => {
    const r = buildSpec(draft(tinyStudy));
    expect(r.issues).toEqual([]);
    const e = engine(r.spec);
    expect(e.ok).toBe(true);
    const byName = Object.fromEntries(r.spec.searchSpace.params.map((p) => [p.name, p]));
    expect(byName.architecture).toEqual({ name: 'architecture', type: 'fixed', value: 'dense' });
    expect(byName.hiddenUnits).toEqual({ name: 'hiddenUnits', type: 'fixed', value: [16] });
    expect(byName.latentSize).toEqual({ name: 'latentSize', type: 'int', low: 2, high: 8, log: false });
    expect(byName.epochs).toEqual({ name: 'epochs', type: 'int', low: 1, high: 2, log: false });
    expect(byName.batchSize).toEqual({ name: 'batchSize', type: 'fixed', value: 128 });
    expect(r.spec).toMatchObject({ name: 'tiny', sampler: { type: 'random' }, budget: { trials: 3 }, parallel: 1, seed: 0 });
    expect(r.spec.dataset).toEqual({ path: 'sample:mnist', imageSize: 14, channels: 1, valFraction: 0.2, testFraction: 0 });
  });

  it('gives trial parameters the engine resolves into a full autoencoder configuration', () => {
    const r = buildSpec(draft(tinyStudy));
    const sample = Object.fromEntries(
      r.params.map((p) => [p.name, p.type === 'fixed' ? p.value : p.type === 'categorical' ? p.choices[0] : p.low]),
    );
    const params = paramsFromSample(sample, { imageSize: 14, channels: 1, valFraction: 0.2, seed: 0 });
    expect(params).toMatchObject({ architecture: 'dense', hiddenUnits: [16], latentSize: 2, epochs: 1, batchSize: 128, outputActivation: 'sigmoid' });
  });

  it('adds architecture rows only for chosen architectures, with conditions when several are compared', () => {
    const one = buildSpec(draft((d) => (d.architecture.architectures = ['denoising'])));
    const noise = one.params.find((p) => p.name === 'noiseLevel');
    expect(noise).toBeDefined();
    expect(noise?.condition).toBeUndefined(); // a fixed parent needs no condition
    expect(one.params.find((p) => p.name === 'l1')).toBeUndefined();

    const two = buildSpec(draft((d) => (d.architecture.architectures = ['dense', 'denoising', 'sparse'])));
    expect(two.issues).toEqual([]);
    expect(two.params.find((p) => p.name === 'noiseLevel')?.condition).toEqual({ parent: 'architecture', values: ['denoising'] });
    expect(two.params.find((p) => p.name === 'l1')?.condition).toEqual({ parent: 'architecture', values: ['sparse'] });
    expect(two.params.find((p) => p.name === 'klBeta')).toBeUndefined();
    expect(engine(two.spec).ok).toBe(true);
  });

  it('adds momentum and nesterov only when SGD can be picked', () => {
    expect(buildSpec(draft()).params.find((p) => p.name === 'momentum')).toBeUndefined();
    const sgd = buildSpec(
      draft((d) => {
        d.rows.optimizer = { ...d.rows.optimizer, mode: 'choices', picked: ['adam', 'sgd'] };
      }),
    );
    expect(sgd.params.find((p) => p.name === 'momentum')?.condition).toEqual({ parent: 'optimizer', values: ['sgd'] });
    expect(sgd.params.find((p) => p.name === 'nesterov')?.condition).toEqual({ parent: 'optimizer', values: ['sgd'] });
    expect(engine(sgd.spec).ok).toBe(true);
  });

  it('offers the BCE loss only with a sigmoid output', () => {
    const linear = buildSpec(draft((d) => (d.architecture.outputActivations = ['linear'])));
    expect(linear.params.find((p) => p.name === 'loss')).toBeUndefined();
    const both = buildSpec(draft((d) => (d.architecture.outputActivations = ['sigmoid', 'linear'])));
    expect(both.params.find((p) => p.name === 'loss')?.condition).toEqual({ parent: 'outputActivation', values: ['sigmoid'] });
  });

  it('counts the grid like the engine: the seed example is 3 x 2 = 6', () => {
    const r = buildSpec(
      draft((d) => {
        d.strategy.sampler = 'grid';
        d.rows.learningRate = { ...d.rows.learningRate, mode: 'choices', choices: '0.01, 0.001' };
        d.architecture.hiddenStacks = ['128'];
      }),
    );
    expect(r.issues).toEqual([]);
    expect(r.grid).toEqual({ ok: true, total: 6, branches: [{ when: [], size: 6, factors: [{ name: 'latentSize', count: 3 }, { name: 'learningRate', count: 2 }] }] });
    const e = engine(r.spec);
    expect(e.ok && e.grid).toBe(6);
  });

  it('counts conditional branches separately, as the engine does', () => {
    const r = buildSpec(
      draft((d) => {
        d.strategy.sampler = 'grid';
        d.architecture.architectures = ['dense', 'denoising'];
        d.architecture.hiddenStacks = ['128'];
        d.rows.learningRate = { ...d.rows.learningRate, mode: 'choices', choices: '0.01, 0.001' };
        d.rows.noiseLevel = { ...d.rows.noiseLevel, mode: 'choices', choices: '0.1, 0.2' };
      }),
    );
    expect(r.issues).toEqual([]);
    expect(r.grid.ok && r.grid.total).toBe(6 + 12);
    expect(r.grid.ok && r.grid.branches.map((b) => b.when)).toEqual([[['architecture', 'dense']], [['architecture', 'denoising']]]);
    const e = engine(r.spec);
    expect(e.ok && e.grid).toBe(18);
  });

  it('asks for a step before a grid can run over a continuous range', () => {
    const r = buildSpec(draft((d) => (d.strategy.sampler = 'grid')));
    expect(gridInfo(r.params)).toEqual({ ok: false, continuous: ['learningRate'] });
    expect(fieldIssue(r.issues, 'rows.learningRate.step')?.key).toBe('gridNeedsStep');
  });

  it('reports range mistakes with the field and the fix', () => {
    const lowHigh = buildSpec(draft((d) => (d.rows.latentSize = { ...d.rows.latentSize, mode: 'range', low: '32', high: '8' })));
    expect(lowHigh.issues).toEqual([{ step: 'space', field: 'rows.latentSize.range', key: 'lowAboveHigh', params: { param: 'latentSize', low: 32, high: 8 } }]);

    const log = buildSpec(draft((d) => (d.rows.weightDecay = { ...d.rows.weightDecay, mode: 'range', low: '0', log: true })));
    expect(log.issues.map((i) => i.key)).toEqual(['logNeedsPositive']);
    const positive = buildSpec(draft((d) => (d.rows.learningRate = { ...d.rows.learningRate, low: '0' })));
    expect(positive.issues[0]).toMatchObject({ field: 'rows.learningRate.low', key: 'aboveMin', params: { min: 0 } });

    const step = buildSpec(draft((d) => (d.rows.dropout = { ...d.rows.dropout, mode: 'range', low: '0', high: '0.5', step: '0.2' })));
    expect(step.issues[0]).toMatchObject({ key: 'stepDoesNotDivide', params: { suggestion: 0.4 } });

    const int = buildSpec(draft((d) => (d.rows.batchSize = { ...d.rows.batchSize, fixed: '12.5' })));
    expect(int.issues[0]).toMatchObject({ field: 'rows.batchSize.fixed', key: 'notInteger' });

    const bounds = buildSpec(draft((d) => (d.rows.dropout = { ...d.rows.dropout, fixed: '0.95' })));
    expect(bounds.issues[0]).toMatchObject({ key: 'aboveMax', params: { max: 0.9 } });

    const dup = buildSpec(draft((d) => (d.rows.latentSize = { ...d.rows.latentSize, choices: '8, 8' })));
    expect(dup.issues[0]).toMatchObject({ key: 'duplicateChoice' });
  });

  it('reports dataset, architecture and budget problems on their steps', () => {
    const r = buildSpec(
      draft((d) => {
        d.dataset.source = 'folder';
        d.dataset.folder = ' ';
        d.dataset.valFraction = '0.5';
        d.dataset.testFraction = '0.4';
        d.architecture.architectures = [];
        d.architecture.hiddenStacks = ['64, x'];
        d.strategy.useTrialBudget = false;
      }),
    );
    expect(r.issues.map((i) => [i.step, i.key])).toEqual([
      ['dataset', 'chooseFolder'],
      ['dataset', 'fractionsTooLarge'],
      ['architecture', 'pickArchitecture'],
      ['architecture', 'notANumber'],
      ['strategy', 'budgetRequired'],
    ]);
  });

  it('runs hand-picked configurations as a manual search of exactly that many trials', () => {
    const base = draft((d) => {
      d.strategy.sampler = 'manual';
      d.architecture.hiddenStacks = ['256, 64', '128'];
    });
    const params = buildSpec(base).params;
    expect(varyingParams(params).map((p) => p.name)).toEqual(['hiddenUnits', 'latentSize', 'learningRate']);
    const first = newManualConfig(params);
    base.strategy.manual = [first, { ...first, latentSize: '32', hiddenUnits: '[128]', learningRate: '0.01' }];
    const r = buildSpec(base);
    expect(r.issues).toEqual([]);
    expect(r.spec.budget).toEqual({ trials: 2 });
    expect(r.spec.enqueue[1]).toMatchObject({ architecture: 'dense', hiddenUnits: [128], latentSize: 32, learningRate: 0.01, epochs: 10 });
    expect(engine(r.spec).ok).toBe(true);

    const issues: ReturnType<typeof buildSpec>['issues'] = [];
    manualConfig(params, { ...first, learningRate: '5' }, 0, issues);
    expect(issues[0]).toMatchObject({ field: 'strategy.manual.0.learningRate', key: 'aboveMax' });
  });

  it('has a catalogue entry, help and sane defaults for every row', () => {
    for (const name of SPACE_PARAMS) {
      const r = buildSpec(draft((d) => (d.architecture.architectures = ['dense', 'conv', 'denoising', 'sparse', 'variational'])));
      expect(PARAM_DEFS[name].name).toBe(name);
      expect(r.issues.filter((i) => i.field.startsWith(`rows.${name}.`))).toEqual([]);
    }
  });
});

describe('hidden-layer generator', () => {
  it('shrinks each layer like the engine (at least 4 units)', () => {
    expect(stackFrom(3, 256, 0.5)).toEqual([256, 128, 64]);
    expect(stackFrom(3, 8, 0.25)).toEqual([8, 4, 4]);
    expect(generateStacks([1, 2], [128, 256], 0.5)).toEqual([[256], [128], [256, 128], [128, 64]]);
  });
});

/** Objective setups the wizard can express: downstream, weighted, multi-objective (with targets). */
const downstream = (d: WizardDraft): void => {
  d.objective.kind = 'downstream';
  d.objective.metric = 'val_balanced_accuracy';
  d.objective.probe = 'knn';
  d.objective.k = '3';
  d.objective.knnMetric = 'cosine';
};
const weighted = (d: WizardDraft): void => {
  d.objective.kind = 'weighted';
  d.objective.reconLoss = 'bce';
  d.objective.metric = 'val_f1_macro';
  d.objective.reconWeight = '0.25';
  d.objective.downstreamWeight = '0.75';
  d.objective.C = '0.5';
};
const multi = (d: WizardDraft): void => {
  d.objective.kind = 'multi';
  d.dataset.targetsCsv = ' /data/targets.csv ';
  d.objective.multi = ['val_recon', 'val_accuracy', 'val_r2'];
  d.objective.primary = 'val_r2';
};

describe('objectives', () => {
  it('builds a downstream objective with a kNN probe the engine accepts', () => {
    const r = buildSpec(draft(downstream));
    expect(r.issues).toEqual([]);
    const e = engine(r.spec);
    expect(e.ok, JSON.stringify(e)).toBe(true);
    if (!e.ok) return;
    expect(e.spec.objectives).toEqual([{ name: 'val_balanced_accuracy' }]);
    expect(e.spec.probe).toMatchObject({ kind: 'knn', k: 3, metric: 'cosine' });
    expect(studyDirections(e.spec)).toEqual(['maximize']);
  });

  it('builds a weighted objective with its weights, loss and metric', () => {
    const r = buildSpec(draft(weighted));
    expect(r.issues).toEqual([]);
    const e = engine(r.spec);
    expect(e.ok, JSON.stringify(e)).toBe(true);
    if (!e.ok) return;
    expect(e.spec.objectives).toEqual([{ name: 'weighted', loss: 'bce', metric: 'val_f1_macro', reconWeight: 0.25, downstreamWeight: 0.75 }]);
    expect(e.spec.probe).toMatchObject({ kind: 'logistic', C: 0.5 });
    expect(studyDirections(e.spec)).toEqual(['minimize']);
  });

  it('builds a multi-objective study with its primary objective and the targets CSV', () => {
    const r = buildSpec(draft(multi));
    expect(r.issues).toEqual([]);
    const e = engine(r.spec);
    expect(e.ok, JSON.stringify(e)).toBe(true);
    if (!e.ok) return;
    expect(e.spec.objectives).toEqual([{ name: 'val_recon', loss: 'mse' }, { name: 'val_accuracy' }, { name: 'val_r2' }]);
    expect(e.spec.primaryObjective).toBe(2);
    expect(e.spec.dataset.targetsCsv).toBe('/data/targets.csv');
    expect(studyDirections(e.spec)).toEqual(['minimize', 'maximize', 'maximize']);
  });

  it('refuses label metrics on an unlabeled dataset and regression metrics without targets', () => {
    const unlabeled = buildSpec(draft(downstream), { labeled: false });
    expect(fieldIssue(unlabeled.issues, 'objective.metric')).toMatchObject({ step: 'objective', key: 'needsLabels', params: { metric: 'val_balanced_accuracy' } });
    expect(buildSpec(draft(downstream), { labeled: true }).issues).toEqual([]);
    // reconstruction needs neither
    expect(buildSpec(draft(), { labeled: false }).issues).toEqual([]);
    const noTargets = buildSpec(draft((d) => {
      multi(d);
      d.dataset.targetsCsv = '';
    }));
    expect(fieldIssue(noTargets.issues, 'objective.multi')).toMatchObject({ key: 'needsTargets', params: { metric: 'val_r2' } });
    expect(metricBlocked('val_accuracy', draft(), { labeled: false })).toBe('needsLabels');
    expect(metricBlocked('val_mse_target', draft())).toBe('needsTargets');
    expect(metricBlocked('val_accuracy', draft())).toBeNull();
  });

  it('checks weights, the multi-objective selection and the probe settings', () => {
    const zero = buildSpec(draft((d) => {
      weighted(d);
      d.objective.reconWeight = '0';
      d.objective.downstreamWeight = '0';
    }));
    expect(fieldIssue(zero.issues, 'objective.downstreamWeight')?.key).toBe('weightsZero');
    const one = buildSpec(draft((d) => {
      multi(d);
      d.objective.multi = ['val_recon'];
    }));
    expect(fieldIssue(one.issues, 'objective.multi')?.key).toBe('multiNeedsTwo');
    const badC = buildSpec(draft((d) => (d.objective.C = '0')));
    expect(fieldIssue(badC.issues, 'objective.C')?.step).toBe('objective');
    const badK = buildSpec(draft((d) => {
      d.objective.probe = 'knn';
      d.objective.k = '2.5';
    }));
    expect(fieldIssue(badK.issues, 'objective.k')?.key).toBe('notInteger');
  });
});

describe('draftFromSpec', () => {
  it('round-trips every spec the wizard builds', () => {
    const variants: Array<(d: WizardDraft) => void> = [
      () => undefined,
      tinyStudy,
      (d) => {
        d.architecture.architectures = ['dense', 'conv', 'variational'];
        d.rows.optimizer = { ...d.rows.optimizer, mode: 'choices', picked: ['adam', 'sgd'] };
        d.strategy.sampler = 'gp';
        d.strategy.pruner = 'hyperband';
        d.strategy.useTimeBudget = true;
        d.strategy.minutes = '45';
        d.dataset.source = 'folder';
        d.dataset.folder = '/data/scans';
      },
      downstream,
      weighted,
      multi,
      (d) => {
        multi(d);
        d.objective.multi = ['val_f1_macro', 'val_mse_target'];
        d.objective.primary = 'val_mse_target';
        d.objective.probe = 'knn';
      },
    ];
    for (const edit of variants) {
      const first = buildSpec(draft(edit)).spec;
      const loaded = draftFromSpec(JSON.parse(JSON.stringify(first)), NOW);
      expect(loaded.ok).toBe(true);
      if (loaded.ok) expect(buildSpec(loaded.draft).spec).toEqual(first);
    }
  });

  it('loads the sample spec shipped in resources/', () => {
    const raw: unknown = JSON.parse(fs.readFileSync(new URL('../../resources/sample-study.json', import.meta.url), 'utf8'));
    const loaded = draftFromSpec(raw, NOW);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.draft.name).toBe('mnist-dense-tpe');
    expect(loaded.draft.architecture.hiddenStacks).toEqual(['256, 64', '128', '256, 128, 64']);
    const rebuilt = buildSpec(loaded.draft);
    expect(rebuilt.issues).toEqual([]);
    expect(engine(rebuilt.spec).ok).toBe(true);
    expect(rebuilt.spec.sampler).toEqual({ type: 'tpe', startupTrials: 10 });
  });

  it('takes the feature-learner template over whole: the wizard builds the same space, objective and strategy', () => {
    const spec = featureStudySpec({ name: 'features', datasetPath: '/data/fashion', seconds: 1800, testFraction: 0.125 });
    const loaded = draftFromSpec(JSON.parse(JSON.stringify(spec)), NOW);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.notes).toEqual([]);
    const rebuilt = buildSpec(loaded.draft);
    expect(rebuilt.issues).toEqual([]);
    const checked = engine(rebuilt.spec);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    // Same parameters with the same distributions (conditions and help texts are the wizard's own).
    const strip = (params: readonly { name: string }[]) =>
      Object.fromEntries(params.map(({ name, ...rest }) => [name, Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'help' && k !== 'condition'))]));
    const built = strip(checked.spec.searchSpace.params);
    const template = strip(featureLearnerSpace().params);
    // What the wizard adds beside the template is fixed at the engine's own defaults: the trials are the same.
    for (const [name, p] of Object.entries(built)) {
      if (!(name in template)) expect(p).toEqual({ type: 'fixed', value: DEFAULT_PARAMS[name as keyof typeof DEFAULT_PARAMS] });
    }
    expect(Object.fromEntries(Object.entries(built).filter(([name]) => name in template))).toEqual(template);
    const original = parseStudySpec(spec);
    expect(original.ok && checked.spec.objectives).toEqual(original.ok && original.spec.objectives);
    expect(rebuilt.spec.pruner).toMatchObject({ type: 'hyperband', minResource: 3, reductionFactor: 3 });
    expect(rebuilt.spec.sampler).toMatchObject({ type: 'tpe' });
    expect(rebuilt.spec.probe).toMatchObject({ kind: 'logistic' });
    expect(rebuilt.spec.dataset).toMatchObject({ path: '/data/fashion', testFraction: 0.125 });
    expect(rebuilt.spec.budget).toEqual({ seconds: 1800 });
  });

  it('reads the engine objective forms back, and refuses what it cannot express', () => {
    const base = { name: 'x', dataset: { path: '/d' }, searchSpace: { params: [] }, budget: { trials: 1 } };
    const legacy = draftFromSpec({ ...base, objectives: [{ metric: 'val_accuracy' }] }, NOW);
    expect(legacy.ok && legacy.draft.objective).toMatchObject({ kind: 'downstream', metric: 'val_accuracy' });
    const shuffled = draftFromSpec({ ...base, objectives: [{ name: 'val_roc_auc' }, { name: 'val_recon', loss: 'bce' }], primaryObjective: 0 }, NOW);
    expect(shuffled.ok && shuffled.draft.objective).toMatchObject({ kind: 'multi', multi: ['val_recon', 'val_roc_auc'], primary: 'val_roc_auc', reconLoss: 'bce' });
    const dup = draftFromSpec({ ...base, objectives: [{ name: 'val_accuracy' }, { name: 'val_accuracy' }] }, NOW);
    expect(dup).toEqual({ ok: false, errors: [{ key: 'objectiveUnsupported' }] });
    const badPrimary = draftFromSpec({ ...base, objectives: [{ name: 'val_recon' }, { name: 'val_accuracy' }], primaryObjective: 2 }, NOW);
    expect(badPrimary.ok).toBe(false);
    const probe = draftFromSpec({ ...base, probe: { kind: 'ridge' } }, NOW);
    expect(probe).toEqual({ ok: false, errors: [{ key: 'badProbe' }] });
  });

  it('refuses what the wizard cannot express, naming it', () => {
    const r = draftFromSpec({ name: 'x', dataset: { path: '/d' }, searchSpace: { params: [{ name: 'depth', type: 'int', low: 1, high: 3 }] }, budget: { trials: 1 } });
    expect(r).toEqual({ ok: false, errors: [{ key: 'unknownParam', params: { param: 'depth' } }] });
    expect(draftFromSpec('nope')).toEqual({ ok: false, errors: [{ key: 'notObject' }] });
  });

  it('revives a remembered draft over the defaults, ignoring junk', () => {
    const d = reviveDraft({ name: 'kept', rows: { latentSize: { mode: 'range', low: '4', high: 'x' } }, strategy: { sampler: 'bogus', seed: 7 } }, NOW);
    expect(d.name).toBe('kept');
    expect(d.rows.latentSize).toMatchObject({ mode: 'range', low: '4', high: 'x', choices: '8, 16, 32' });
    expect(d.strategy.sampler).toBe('tpe');
    expect(d.strategy.seed).toBe('0');
  });
});
