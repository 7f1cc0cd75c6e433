// The JSON search-space spec, produced by the wizard or written by hand, validated with zod at every
// boundary. Params are listed parents-first; a conditional param is active only when its parent took one
// of the given values. Unknown keys are errors: a typo must not fall back to a default.
import { z } from 'zod';
import { JsonValueSchema } from '../json';

export const Condition = z.strictObject({
  parent: z.string().min(1),
  values: z.array(JsonValueSchema).min(1),
});

const common = { name: z.string().min(1), condition: Condition.optional(), help: z.string().optional() };

export const FloatParam = z.strictObject({
  ...common,
  type: z.literal('float'),
  low: z.number(),
  high: z.number(),
  log: z.boolean().default(false),
  step: z.number().positive().optional(),
});
export const IntParam = z.strictObject({
  ...common,
  type: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().default(false),
  step: z.number().int().positive().optional(),
});
export const CategoricalParam = z.strictObject({
  ...common,
  type: z.literal('categorical'),
  choices: z.array(JsonValueSchema),
});
export const FixedParam = z.strictObject({ ...common, type: z.literal('fixed'), value: JsonValueSchema });

export const ParamSpec = z.discriminatedUnion('type', [FloatParam, IntParam, CategoricalParam, FixedParam]);
export const SearchSpace = z.strictObject({ params: z.array(ParamSpec) });

export type ParamSpec = z.output<typeof ParamSpec>;
export type ParamSpecInput = z.input<typeof ParamSpec>;
export type FloatParam = z.output<typeof FloatParam>;
export type IntParam = z.output<typeof IntParam>;
export type CategoricalParam = z.output<typeof CategoricalParam>;
export type FixedParam = z.output<typeof FixedParam>;
export type SearchSpace = z.output<typeof SearchSpace>;
export type SearchSpaceInput = z.input<typeof SearchSpace>;
