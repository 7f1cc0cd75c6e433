// `latent-lab train`'s hyperparameter parsing without a process: what --arch / --set / the flags give, and the
// one-line refusals (unknown, base key, twice differently, schema, not read by this architecture / optimizer).
import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../../src/cli/args';
import { TRAIN_HELP } from '../../src/cli/help';
import { flagParam, parseSet, SET_NAMES, trainParams } from '../../src/cli/trainParams';
import { UsageError } from '../../src/cli/usageError';
import { isParamActive } from '../../src/shared/activeParams';
import { DEFAULT_PARAMS } from '../../src/shared/dto';
import { ARCHITECTURES } from '../../src/shared/study/autoencoder';

const params = (...argv: string[]) => parseTrainArgs(['--sample', ...argv]).paramsOn(DEFAULT_PARAMS);
const refusal = (...argv: string[]): string => {
  try {
    parseTrainArgs(['--sample', ...argv]).paramsOn(DEFAULT_PARAMS);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

describe('--set values', () => {
  it('types each value by its field: numbers, switches, names, lists with or without brackets', () => {
    expect(parseSet('filters=32,64')).toMatchObject({ field: 'filters', value: [32, 64], via: '--set filters' });
    expect(parseSet('filters=[32, 64]').value).toEqual([32, 64]);
    expect(parseSet('filters=8').value).toEqual([8]);
    expect(parseSet('hiddenUnits=[]').value).toEqual([]);
    expect(parseSet('batchNorm=true').value).toBe(true);
    expect(parseSet('nesterov=false').value).toBe(false);
    expect(parseSet('weightDecay=1e-4').value).toBe(1e-4);
    expect(parseSet('noiseType=masking').value).toBe('masking');
    expect(parseSet('loss = bce')).toMatchObject({ field: 'loss', value: 'bce', typed: '--set loss=bce' });
  });

  it('says what a value should look like when it cannot be one', () => {
    expect(() => parseSet('batchNorm=yes')).toThrow('--set batchNorm expects true or false, got "yes".');
    expect(() => parseSet('dropout=lots')).toThrow('--set dropout expects a number, got "lots".');
    expect(() => parseSet('filters=a,8')).toThrow('--set filters expects a list of numbers like 32,64 or [32,64], got "a,8".');
    expect(() => parseSet('batchNorm')).toThrow('--set expects name=value (e.g. --set filters=32,64), got "batchNorm".');
    expect(() => parseSet('=3')).toThrow(/--set expects name=value/);
  });

  it('offers every trial field but the base keys', () => {
    expect([...SET_NAMES].sort()).toEqual(Object.keys(DEFAULT_PARAMS).filter((k) => !['imageSize', 'channels', 'valFraction', 'seed'].includes(k)).sort());
  });
});

describe('train params', () => {
  it('builds a conv trial from --arch and --set; everything else keeps its default', () => {
    const p = params('--arch', 'conv', '--set', 'filters=4,8', '--set', 'batchNorm=true', '--latent', '32');
    expect(p).toEqual({ ...DEFAULT_PARAMS, architecture: 'conv', filters: [4, 8], batchNorm: true, latentSize: 32 });
  });

  it('takes the same value given both ways, or twice', () => {
    expect(params('--lr', '0.01', '--set', 'learningRate=1e-2').learningRate).toBe(0.01);
    expect(params('--arch', 'sparse', '--set', 'architecture=sparse', '--arch', 'sparse').architecture).toBe('sparse');
    expect(params('--hidden', '32,8', '--set', 'hiddenUnits=[32,8]').hiddenUnits).toEqual([32, 8]);
  });

  it('reads per-architecture and per-optimizer fields where they apply', () => {
    expect(params('--arch', 'variational', '--set', 'klBeta=0.5').klBeta).toBe(0.5);
    expect(params('--arch', 'denoising', '--set', 'noiseType=masking', '--set', 'noiseLevel=0.3')).toMatchObject({ noiseType: 'masking', noiseLevel: 0.3 });
    expect(params('--optimizer', 'sgd', '--set', 'momentum=0.8', '--set', 'nesterov=true')).toMatchObject({ momentum: 0.8, nesterov: true });
    expect(params('--set', 'earlyStoppingPatience=3', '--set', 'restoreBestWeights=false')).toMatchObject({ earlyStoppingPatience: 3, restoreBestWeights: false });
  });

  it.each([
    [['--set', 'batchnorm=true'], '--set batchnorm: unknown parameter; did you mean "batchNorm"?'],
    [['--set', 'frobnicate=1'], /^--set frobnicate: unknown parameter; --set takes architecture, latentSize, .*convNoise\.$/],
    [['--set', 'toString=1'], /^--set toString: unknown parameter/],
    [['--set', 'imagesize=8'], '--set imagesize: unknown parameter; did you mean imageSize? It is given with --image-size.'],
    [['--set', 'imageSize=8'], '--set imageSize: imageSize has its own flag: use --image-size 8.'],
    [['--set', 'seed=3'], '--set seed: seed has its own flag: use --seed 3.'],
    [['--set', 'valFraction=0.3'], '--set valFraction: valFraction has its own flag: use --val-fraction 0.3.'],
    [['--set', 'channels=3'], '--set channels: channels has its own flag: use --rgb for 3 channels (1 without it).'],
    [['--set', 'depth=2'], /^--set depth: depth, width and shrink are a search space's way to derive hiddenUnits; give the widths with --hidden/],
    [['--lr', '0.01', '--set', 'learningRate=0.1'], 'learningRate is given twice with different values (--lr 0.01, --set learningRate=0.1): give it once.'],
    [['--lr', '0.01', '--lr', '0.02'], 'learningRate is given twice with different values (--lr 0.01, --lr 0.02): give it once.'],
    [['--arch', 'conv', '--set', 'filters=4', '--set', 'filters=[8]'], 'filters is given twice with different values (--set filters=4, --set filters=[8]): give it once.'],
    [['--arch', 'conv', '--set', 'filters=0,8'], '--set filters: [0,8] is not allowed: Too small: expected number to be >=1'],
    [['--arch', 'conv', '--set', 'filters=[]'], '--set filters: [] is not allowed: Too small: expected array to have >=1 items'],
    [['--set', 'loss=bse'], '--set loss: "bse" is not allowed; did you mean "mse"?'],
    [['--arch', 'convv'], '--arch (architecture): "convv" is not allowed; did you mean "conv"?'],
    [['--latent', '0'], '--latent (latentSize): 0 is not allowed: Too small: expected number to be >=1'],
    [['--set', 'l1=0.001'], '--set l1 is read only by the sparse architecture, not dense: add --arch sparse, or leave it out.'],
    [['--arch', 'conv', '--hidden', '128'], '--hidden (hiddenUnits) is read only by the dense, denoising, sparse and variational architectures, not conv: choose one of them with --arch, or leave it out.'],
    [['--arch', 'conv', '--set', 'klBeta=2'], '--set klBeta is read only by the variational architecture, not conv: add --arch variational, or leave it out.'],
    [['--set', 'momentum=0.8'], '--set momentum is read only by the sgd optimizer, not adam: add --optimizer sgd, or leave it out.'],
    [['--set', 'earlyStoppingMinDelta=0.01'], '--set earlyStoppingMinDelta is read only with early stopping on: add --set earlyStoppingPatience=<epochs>, or leave it out.'],
  ])('refuses %j in one line', (argv, expected) => {
    const message = refusal(...argv);
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  it('refuses a configuration the engine cannot build, as a study would, naming the flag', () => {
    expect(refusal('--latent', '100', '--image-size', '8')).toBe(
      '--latent (latentSize): 100 is larger than the input (8x8 = 64 values); a bottleneck must be smaller than what it encodes, use at most 64.',
    );
    expect(params('--latent', '64', '--image-size', '8').latentSize).toBe(64);
    expect(params('--latent', '100', '--image-size', '8', '--rgb').latentSize).toBe(100);
    expect(refusal('--set', 'loss=bce', '--output-activation', 'linear')).toMatch(/^--set loss: binary cross-entropy \(loss bce\) needs outputActivation sigmoid/);
  });

  it('keeps the old flags and their messages', () => {
    expect(refusal('--latent', 'abc')).toBe('--latent expects a number, got "abc".');
    expect(refusal('--hidden', '8,x')).toMatch(/^--hidden expects comma-separated positive widths/);
    expect(flagParam('rgb', undefined)).toMatchObject({ field: 'channels', value: 3 });
    expect(trainParams([])).toEqual(DEFAULT_PARAMS);
  });
});

describe('train --help', () => {
  it('names every --set name, and lists per architecture exactly what that architecture alone reads', () => {
    for (const name of SET_NAMES) expect(TRAIN_HELP).toMatch(new RegExp(`\\b${name}\\b`));
    for (const arch of ARCHITECTURES.filter((a) => a !== 'dense')) {
      const line = TRAIN_HELP.split('\n').find((l) => l.trim().startsWith(`--arch ${arch}:`));
      expect(line, arch).toBeDefined();
      const names = SET_NAMES.filter((n) => new RegExp(`\\b${n}\\b`).test(line ?? ''));
      const onlyHere = SET_NAMES.filter((n) => ARCHITECTURES.every((a) => isParamActive(n, { ...DEFAULT_PARAMS, architecture: a }) === (a === arch)));
      expect(names.sort(), arch).toEqual(onlyHere.sort());
    }
    expect(TRAIN_HELP.split('\n')[2]).not.toMatch(/dense autoencoder/);
  });
});
