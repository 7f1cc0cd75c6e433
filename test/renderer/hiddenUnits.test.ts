import { describe, expect, it } from 'vitest';
import { formatHiddenUnits, parseHiddenUnits } from '../../src/renderer/lib/hiddenUnits';
import { formFromParams, validateParamsForm } from '../../src/renderer/lib/paramsForm';
import { DEFAULT_PARAMS } from '../../src/shared/dto';

describe('parseHiddenUnits', () => {
  it('parses a comma list with any spacing', () => {
    expect(parseHiddenUnits('256, 64')).toEqual({ ok: true, value: [256, 64] });
    expect(parseHiddenUnits(' 32 ')).toEqual({ ok: true, value: [32] });
    expect(parseHiddenUnits('128,64,  32')).toEqual({ ok: true, value: [128, 64, 32] });
    expect(parseHiddenUnits('128 64')).toEqual({ ok: true, value: [128, 64] });
    expect(parseHiddenUnits('128, 64,')).toEqual({ ok: true, value: [128, 64] });
  });

  it('treats an empty field as no hidden layer', () => {
    expect(parseHiddenUnits('')).toEqual({ ok: true, value: [] });
    expect(parseHiddenUnits('   ')).toEqual({ ok: true, value: [] });
  });

  it('rejects anything that is not a whole number, naming it', () => {
    for (const bad of ['12.5', 'abc', '64, x', '-3', '1e3']) {
      const r = parseHiddenUnits(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/whole number/);
    }
  });

  it('round-trips with formatHiddenUnits', () => {
    expect(formatHiddenUnits([256, 64])).toBe('256, 64');
    expect(parseHiddenUnits(formatHiddenUnits([256, 64]))).toEqual({ ok: true, value: [256, 64] });
  });
});

describe('validateParamsForm', () => {
  const shape = { imageSize: 28, channels: 1 as const };

  it('accepts the defaults and returns the contract params', () => {
    const v = validateParamsForm(formFromParams(DEFAULT_PARAMS), shape);
    expect(v.errors).toEqual({});
    expect(v.params).toEqual(DEFAULT_PARAMS);
  });

  it('takes image size and channels from the dataset', () => {
    const v = validateParamsForm(formFromParams(DEFAULT_PARAMS), { imageSize: 32, channels: 3 });
    expect(v.params).toMatchObject({ imageSize: 32, channels: 3 });
  });

  it('reports each invalid field with a message, using the contract schema limits', () => {
    const form = {
      ...formFromParams(DEFAULT_PARAMS),
      latentSize: '0',
      hiddenUnits: '64, 0',
      learningRate: '',
      batchSize: '2.5',
      valFraction: '0.9',
      epochs: 'x',
    };
    const v = validateParamsForm(form, shape);
    expect(v.params).toBeNull();
    expect(Object.keys(v.errors).sort()).toEqual(['batchSize', 'epochs', 'hiddenUnits', 'latentSize', 'learningRate', 'valFraction']);
    expect(v.errors.learningRate).toBe('Required.');
    expect(v.errors.epochs).toBe('Enter a number.');
    expect(v.errors.hiddenUnits).toMatch(/^Layer 2: /);
  });

  it('accepts numbers as Vue v-model gives them for type="number" inputs', () => {
    const v = validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), latentSize: 4, batchSize: 128, epochs: 2 }, shape);
    expect(v.params).toMatchObject({ latentSize: 4, batchSize: 128, epochs: 2 });
    const bad = validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), latentSize: 0, epochs: '' }, shape);
    expect(bad.errors.latentSize).toMatch(/>=\s*1/);
    expect(bad.errors.epochs).toBe('Required.');
  });

  it('refuses a configuration the engine cannot build: a code larger than the input, BCE with a linear output', () => {
    const wide = validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), latentSize: '785' }, shape);
    expect(wide.params).toBeNull();
    expect(wide.errors).toEqual({ latentSize: 'Larger than the input (784 values per image); a bottleneck must be smaller than what it encodes.' });
    // The same code fits an RGB image of that size (2,352 values).
    expect(validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), latentSize: '785' }, { imageSize: 28, channels: 3 }).params?.latentSize).toBe(785);
    const bce = validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), loss: 'bce', outputActivation: 'linear' }, shape);
    expect(bce.errors).toEqual({ loss: 'Binary cross-entropy needs the sigmoid output; choose mean squared error for a linear output.' });
    expect(validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), loss: 'bce' }, shape).params?.loss).toBe('bce');
  });

  it('reports an unparsable hidden-widths field with the parser message', () => {
    const v = validateParamsForm({ ...formFromParams(DEFAULT_PARAMS), hiddenUnits: '64, wide' }, shape);
    expect(v.errors.hiddenUnits).toMatch(/"wide" is not a whole number/);
  });
});
