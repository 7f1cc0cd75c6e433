// The checks every study spec passes before anything is written, in-process: strict keys, the autoencoder's
// parameters, grid rules, relative paths and the dataset folder; and the app's study.validate / study.start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLocations } from '../../src/core/paths';
import { createMemoryStorage } from '../../src/core/storage';
import { checkStudySpec, resolveSpecPaths } from '../../src/core/study/specCheck';
import { Study, StudyError } from '../../src/core/study/study';
import { createPathPolicy } from '../../src/server/pathPolicy';
import { createStudyService } from '../../src/server/services/studyService';
import { checkAutoencoderSpec } from '../../src/shared/study/autoencoder';
import { parseStudySpec, pruneDirection, StudySpec, type StudySpecInput } from '../../src/shared/study/spec';
import { prunerLabel } from '../../src/shared/study/pruneView';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let images: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-spec-check-'));
  images = await makeImageFolder(path.join(tmp, 'imgs'), ['a', 'b'], 1);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const spec = (over: Partial<StudySpecInput> = {}, params: StudySpecInput['searchSpace']['params'] = []): StudySpecInput => ({
  name: 's',
  dataset: { path: images, imageSize: 8 },
  searchSpace: { params: [{ name: 'latentSize', type: 'int', low: 2, high: 8 }, ...params] },
  sampler: { type: 'random' },
  budget: { trials: 2 },
  ...over,
});

const autoencoderErrors = (params: StudySpecInput['searchSpace']['params'], over: Partial<StudySpecInput> = {}): string[] =>
  checkAutoencoderSpec(StudySpec.parse(spec(over, params)));

describe('the default pruner', () => {
  it('is Hyperband for a downstream objective and the median pruner for reconstruction only; a named one stays', () => {
    const parsed = (over: Partial<StudySpecInput>) => {
      const r = parseStudySpec(spec(over));
      if (!r.ok) throw new Error(r.errors.join('\n'));
      return r.spec.pruner;
    };
    expect(parsed({})).toEqual({ type: 'median', startupTrials: 5, warmupSteps: 1, intervalSteps: 1, signal: 'reconstruction' });
    expect(parsed({ objectives: [{ name: 'val_accuracy' }] })).toEqual({ type: 'hyperband', minResource: 1, reductionFactor: 3, signal: 'downstream' });
    // Hyperband for a secondary downstream objective, but it prunes on reconstruction: the primary one.
    expect(parsed({ objectives: [{ name: 'val_recon' }, { name: 'val_f1_macro' }] })).toMatchObject({ type: 'hyperband', signal: 'reconstruction' });
    expect(parsed({ objectives: [{ name: 'val_recon' }, { name: 'val_f1_macro' }], primaryObjective: 1 })).toMatchObject({ type: 'hyperband', signal: 'downstream' });
    expect(parsed({ objectives: [{ name: 'val_accuracy' }], pruner: { type: 'nop' } })).toEqual({ type: 'nop' });
    // The contract parses with the same schema: the app gets the same default as the CLI.
    expect(StudySpec.parse(spec({ objectives: [{ name: 'val_accuracy' }] })).pruner.type).toBe('hyperband');
  });
});

describe('the prune signal', () => {
  it('defaults to reconstruction for a pruner written without one (every stored spec before it existed)', () => {
    const r = parseStudySpec(spec({ objectives: [{ name: 'val_accuracy' }], pruner: { type: 'hyperband', minResource: 3 } }));
    expect(r.ok && r.spec.pruner).toEqual({ type: 'hyperband', minResource: 3, reductionFactor: 3, signal: 'reconstruction' });
    expect(r.ok && pruneDirection(r.spec)).toBe('minimize');
  });

  it('prunes a downstream signal in the primary objective\'s direction', () => {
    const r = parseStudySpec(spec({ objectives: [{ name: 'val_accuracy' }], pruner: { type: 'median', signal: 'downstream' } }));
    expect(r.ok && pruneDirection(r.spec)).toBe('maximize');
    const rmse = parseStudySpec(spec({ objectives: [{ name: 'val_mse_target' }], dataset: { path: images, imageSize: 8, targetsCsv: 't.csv' }, pruner: { type: 'successiveHalving', signal: 'downstream' } }));
    expect(rmse.ok && pruneDirection(rmse.spec)).toBe('minimize');
  });

  it('is named with what it compares wherever the CLI describes the pruner', () => {
    const label = (over: Partial<StudySpecInput>): string => {
      const r = parseStudySpec(spec(over));
      if (!r.ok) throw new Error(r.errors.join('\n'));
      return prunerLabel(r.spec);
    };
    expect(label({ objectives: [{ name: 'val_accuracy' }] })).toBe('hyperband (on val_accuracy from a quick probe, at the epochs it decides)');
    expect(label({})).toBe('median (on the validation reconstruction MSE)');
    expect(label({ pruner: { type: 'nop' } })).toBe('none');
  });

  it('refuses a downstream signal on a reconstruction primary objective, and an unknown signal', () => {
    const r = parseStudySpec(spec({ objectives: [{ name: 'val_recon' }, { name: 'val_accuracy' }], pruner: { type: 'hyperband', signal: 'downstream' } }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toMatch(/pruner\.signal: "downstream" prunes on the primary objective, but it is val_recon/);
    const bad = parseStudySpec(spec({ pruner: { type: 'median', signal: 'accuracy' } as unknown as StudySpecInput['pruner'] }));
    expect(!bad.ok && bad.errors.join('\n')).toMatch(/signal/);
  });
});

describe('the autoencoder parameters', () => {
  it('accepts what a trial can train with', () => {
    expect(autoencoderErrors([{ name: 'activation', type: 'categorical', choices: ['relu', 'tanh'] }, { name: 'depth', type: 'int', low: 1, high: 3 }])).toEqual([]);
  });

  it('names unknown parameters, base keys and impossible values for fixed, categorical and range params', () => {
    expect(autoencoderErrors([{ name: 'learningRat', type: 'float', low: 0.001, high: 0.1 }])).toEqual(['"learningRat": unknown parameter; did you mean "learningRate"?']);
    expect(autoencoderErrors([{ name: 'imageSize', type: 'fixed', value: 16 }])[0]).toMatch(/^"imageSize": comes from the dataset \(dataset\.imageSize\)/);
    expect(autoencoderErrors([{ name: 'optimizer', type: 'fixed', value: 'adamw' }])).toEqual(['"optimizer" (value): "adamw" is not allowed; did you mean "adam"?']);
    expect(autoencoderErrors([{ name: 'architecture', type: 'categorical', choices: ['dense', 'transformer'] }])[0]).toMatch(/^"architecture" \(choice 2\): "transformer" is not allowed; expected one of "dense"/);
    expect(autoencoderErrors([{ name: 'activation', type: 'int', low: 0, high: 3 }])).toEqual(['"activation": an int range cannot describe it; give its choices (categorical) or one value (fixed).']);
    expect(autoencoderErrors([{ name: 'batchSize', type: 'float', low: 16, high: 64 }])[0]).toMatch(/^"batchSize": it takes whole numbers; use "type": "int"/);
    expect(autoencoderErrors([{ name: 'dropout', type: 'float', low: 0, high: 0.95 }])[0]).toMatch(/^"dropout" \(high\): 0\.95 is not allowed: Too big/);
  });

  it('refuses a latent size larger than the input', () => {
    expect(autoencoderErrors([], { searchSpace: { params: [{ name: 'latentSize', type: 'categorical', choices: [8, 100] }] } })).toEqual([
      '"latentSize" (choice 2): 100 is larger than the input (8x8 = 64 values); a bottleneck must be smaller than what it encodes, use at most 64.',
    ]);
    expect(autoencoderErrors([], { dataset: { path: images, imageSize: 8, channels: 3 }, searchSpace: { params: [{ name: 'latentSize', type: 'fixed', value: 100 }] } })).toEqual([]);
  });

  it('refuses a space that can draw binary cross-entropy with a linear output, unless loss is conditioned on a sigmoid output', () => {
    const loss = { name: 'loss', type: 'categorical' as const, choices: ['mse', 'bce'] };
    const outputs = { name: 'outputActivation', type: 'categorical' as const, choices: ['sigmoid', 'linear'] };
    expect(autoencoderErrors([outputs, loss])).toEqual([
      '"loss": bce can be drawn with outputActivation "linear", and binary cross-entropy (loss bce) needs outputActivation sigmoid, outputs in (0, 1); use loss mse for a linear output. Give "loss" the condition {"parent": "outputActivation", "values": ["sigmoid"]}, or leave bce out.',
    ]);
    expect(autoencoderErrors([{ name: 'outputActivation', type: 'fixed', value: 'linear' }, { name: 'loss', type: 'fixed', value: 'bce' }])).toHaveLength(1);
    expect(autoencoderErrors([outputs, { ...loss, condition: { parent: 'outputActivation', values: ['sigmoid'] } }])).toEqual([]);
    // The default output is sigmoid; the default loss is mse.
    expect(autoencoderErrors([loss])).toEqual([]);
    expect(autoencoderErrors([outputs])).toEqual([]);
    expect(autoencoderErrors([], { enqueue: [{ loss: 'bce', outputActivation: 'linear' }] })).toEqual([
      'enqueue.0: binary cross-entropy (loss bce) needs outputActivation sigmoid, outputs in (0, 1); use loss mse for a linear output.',
    ]);
  });

  it('checks enqueued configurations too', () => {
    expect(autoencoderErrors([], { enqueue: [{ latentSize: 4, learningrate: 0.01 }] })).toEqual(['enqueue.0 "learningrate": unknown parameter; did you mean "learningRate"?']);
  });
});

describe('grid rules', () => {
  const grid = (sampler: StudySpecInput['sampler'], params: StudySpecInput['searchSpace']['params']) => parseStudySpec({ ...spec(), sampler, searchSpace: { params } });

  it('refuses a continuous float range', () => {
    expect(grid({ type: 'grid' }, [{ name: 'x', type: 'float', low: 0, high: 1 }])).toEqual({ ok: false, errors: ['"x": a grid cannot enumerate a continuous float range; give a step or choices.'] });
    expect(grid({ type: 'grid' }, [{ name: 'x', type: 'float', low: 0, high: 1, step: 0.25 }]).ok).toBe(true);
  });

  it('needs maxPoints above 100,000 points, and counts long ranges without listing them', () => {
    const big = [
      { name: 'a', type: 'int', low: 1, high: 1_000_000 },
      { name: 'b', type: 'int', low: 0, high: 999_999_999 },
    ] as const;
    const refused = grid({ type: 'grid' }, [...big]);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors[0]).toMatch(/^sampler: the grid has 1,000,000,000,000,000 points, more than the 100,000 allowed without a cap/);
    expect(grid({ type: 'grid', maxPoints: 1e15 }, [...big]).ok).toBe(true);
    const under = grid({ type: 'grid', maxPoints: 10 }, [{ name: 'a', type: 'int', low: 1, high: 11 }]);
    expect(under).toEqual({ ok: false, errors: ['sampler: the grid has 11 points, more than its maxPoints (10); raise maxPoints to 11 or shrink the grid.'] });
  });
});

describe('checkStudySpec', () => {
  it('resolves relative paths against the given folder and keeps the sample shorthand', () => {
    expect(resolveSpecPaths({ dataset: { path: 'imgs', targetsCsv: 't.csv' } }, '/base')).toEqual({ dataset: { path: path.resolve('/base/imgs'), targetsCsv: path.resolve('/base/t.csv') } });
    expect(resolveSpecPaths({ dataset: { path: 'sample:mnist' } }, '/base')).toEqual({ dataset: { path: 'sample:mnist' } });
    const r = checkStudySpec({ ...spec(), dataset: { path: 'imgs', imageSize: 8 } }, { baseDir: tmp });
    expect(r.ok && r.spec.dataset.path).toBe(images);
  });

  it('reports every problem at once: keys, parameters and the dataset folder', () => {
    const r = checkStudySpec({ ...spec({}, [{ name: 'learningRat', type: 'fixed', value: 0.1 }]), dataset: { path: path.join(tmp, 'nope'), imageSize: 8 }, prunner: { type: 'nop' } }, { baseDir: tmp });
    expect(r).toEqual({
      ok: false,
      errors: ['spec: unknown key "prunner"; did you mean "pruner"?', `dataset.path: the folder ${path.join(tmp, 'nope')} does not exist; give the image folder (a relative path counts from the spec file's folder).`],
    });
    const file = path.join(tmp, 'file.png');
    fs.writeFileSync(file, 'x');
    expect(checkStudySpec({ ...spec(), dataset: { path: file } }, { baseDir: tmp })).toEqual({ ok: false, errors: [`dataset.path: ${file} is a file, not a folder; give the folder that holds the images.`] });
  });

  it('storage names a shared database without a password; the password is never echoed', () => {
    expect(checkStudySpec({ ...spec(), storage: 'postgresql://lab@db.lab/studies' }, { baseDir: tmp })).toMatchObject({ ok: true, spec: { storage: 'postgresql://lab@db.lab/studies' } });
    for (const storage of ['postgresql://lab:hunter2@db.lab/studies', 'postgresql://lab@db.lab/studies?password=hunter2']) {
      const r = checkStudySpec({ ...spec(), storage }, { baseDir: tmp });
      expect(r.ok).toBe(false);
      const errors = r.ok ? [] : r.errors;
      expect(errors).toEqual([expect.stringMatching(/^storage: storage must not hold a password .*PGPASSWORD or ~\/\.pgpass \(CLI\) or save it in the app/)]);
      expect(errors.join('')).not.toContain('hunter2');
    }
    const file = checkStudySpec({ ...spec(), storage: 'trials.sqlite' }, { baseDir: tmp });
    expect(file.ok ? [] : file.errors).toEqual([expect.stringMatching(/^storage: storage names a shared study database, as postgresql:\/\//)]);
  });

  it('reads the targets CSV', () => {
    const r = checkStudySpec({ ...spec(), dataset: { path: images, imageSize: 8, targetsCsv: 'targets.csv' } }, { baseDir: tmp });
    expect(r).toEqual({ ok: false, errors: [`dataset.targetsCsv: no such file ${path.join(tmp, 'targets.csv')}`] });
  });
});

describe('study.validate and study.start in the app', () => {
  const service = () => {
    const storage = createMemoryStorage();
    const svc = createStudyService({
      storage,
      locations: resolveLocations({ dataDir: path.join(tmp, 'home') }),
      spawnTrainer: () => {
        throw new Error('no trainer in this test');
      },
      emit: () => undefined,
      paths: createPathPolicy(),
    });
    return { storage, svc };
  };

  it('give the same messages as the CLI, and start adds no study for an invalid spec', async () => {
    const { storage, svc } = service();
    const bad = StudySpec.parse(spec({}, [{ name: 'learningRat', type: 'fixed', value: 0.1 }]));
    expect(await svc.handlers['study.validate']({ spec: bad })).toEqual({ ok: false, errors: ['"learningRat": unknown parameter; did you mean "learningRate"?'], gridSize: null });
    expect(await svc.handlers['study.validate']({ spec: StudySpec.parse(spec()) })).toEqual({ ok: true, errors: [], gridSize: 7 });
    await expect(svc.handlers['study.start']({ spec: bad })).rejects.toThrow(StudyError);
    expect(await storage.listStudies()).toEqual([]);
    svc.dispose();
  });

  it('list says what each study\'s pruner compares, reading a stored spec from before the choice as reconstruction', async () => {
    const { storage, svc } = service();
    await Study.create(storage, spec({ name: 'features', objectives: [{ name: 'val_accuracy' }] }));
    // Stored before pruner.signal existed: no signal in its pruner.
    await Study.create(storage, spec({ name: 'older', objectives: [{ name: 'val_accuracy' }], pruner: { type: 'hyperband' } }));
    await Study.create(storage, spec({ name: 'unpruned', pruner: { type: 'nop' } }));
    const prune = Object.fromEntries((await svc.handlers['studies.list']({})).map((s) => [s.name, s.prune]));
    expect(prune).toEqual({
      features: { signal: 'downstream', objective: 'val_accuracy', weighted: false, direction: 'maximize' },
      older: { signal: 'reconstruction', objective: 'val_accuracy', weighted: false, direction: 'minimize' },
      unpruned: null,
    });
    svc.dispose();
  });

  it('start refuses a spec naming another database than the one the window works with', async () => {
    const { storage, svc } = service();
    const elsewhere = StudySpec.parse({ ...spec(), storage: 'postgresql://lab@db.lab/studies' });
    await expect(svc.handlers['study.start']({ spec: elsewhere })).rejects.toMatchObject({ code: 'SPEC_STORAGE_ELSEWHERE' });
    expect(await storage.listStudies()).toEqual([]);
    svc.dispose();
  });
});

describe('the objective shorthand of earlier specs', () => {
  it('reads {metric} (with the metric\'s own direction) as {name}, and refuses a direction against it', () => {
    const parsed = parseStudySpec({ ...spec(), objectives: [{ metric: 'val_loss', direction: 'minimize' }, { metric: 'val_accuracy' }] });
    expect(parsed.ok && parsed.spec.objectives.map((o) => o.name)).toEqual(['val_recon', 'val_accuracy']);
    const wrong = parseStudySpec({ ...spec(), objectives: [{ metric: 'val_accuracy', direction: 'minimize' }] });
    expect(wrong.ok).toBe(false);
  });
});
