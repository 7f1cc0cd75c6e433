// The shared zod-issue wording: one "path: message" line per problem, with the closest valid name for typos.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closestName, editDistance } from '../../src/shared/didYouMean';
import { humanErrorMap, issueLines } from '../../src/shared/issueLines';

describe('closestName', () => {
  it('finds typos by edit distance, swaps counting once', () => {
    expect(editDistance('prunner', 'pruner')).toBe(1);
    expect(editDistance('startupTrails', 'startupTrials')).toBe(1);
    expect(closestName('samplr', ['sampler', 'pruner', 'seed'])).toBe('sampler');
    expect(closestName('choise', ['choices', 'condition', 'name'])).toBe('choices');
    expect(closestName('learningRat', ['latentSize', 'learningRate'])).toBe('learningRate');
  });

  it('says nothing when no name is close', () => {
    expect(closestName('colour', ['sampler', 'pruner'])).toBeNull();
    expect(closestName('x', [])).toBeNull();
  });
});

describe('issueLines', () => {
  const Schema = z.strictObject({
    sampler: z.discriminatedUnion('type', [z.strictObject({ type: z.literal('tpe'), startupTrials: z.number().optional() }), z.strictObject({ type: z.literal('grid') })]),
    activation: z.enum(['relu', 'elu']).optional(),
  });
  const lines = (raw: unknown): string[] => {
    const r = Schema.safeParse(raw, { error: humanErrorMap });
    return r.success ? [] : issueLines(r.error.issues, { root: 'spec' });
  };

  it('names an unknown key with the closest valid one, one line per key', () => {
    expect(lines({ sampler: { type: 'tpe', startupTrails: 3 }, prunner: {}, zzz: 1 })).toEqual([
      'sampler: unknown key "startupTrails"; did you mean "startupTrials"?',
      'spec: unknown key "prunner"; the keys here are sampler, activation',
      'spec: unknown key "zzz"; the keys here are sampler, activation',
    ]);
  });

  it('suggests the closest option and type', () => {
    expect(lines({ sampler: { type: 'tpee' }, activation: 'relux' })).toEqual([
      'sampler.type: unknown type "tpee"; did you mean "tpe"?',
      'activation: "relux" is not allowed; did you mean "relu"?',
    ]);
  });
});
