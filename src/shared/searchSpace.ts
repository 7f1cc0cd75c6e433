// The JSON search-space spec, produced by the wizard or written by hand, validated with zod at every
// boundary. Params are listed parents-first; a conditional param is active only when its parent took one
// of the given values.
import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

export const Condition = z.object({
  parent: z.string().min(1),
  values: z.array(JsonValueSchema).min(1),
});

const common = { name: z.string().min(1), condition: Condition.optional(), help: z.string().optional() };

export const FloatParam = z.object({
  ...common,
  type: z.literal('float'),
  low: z.number(),
  high: z.number(),
  log: z.boolean().default(false),
  step: z.number().positive().optional(),
});
export const IntParam = z.object({
  ...common,
  type: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().default(false),
  step: z.number().int().positive().optional(),
});
export const CategoricalParam = z.object({
  ...common,
  type: z.literal('categorical'),
  choices: z.array(JsonValueSchema),
});
export const FixedParam = z.object({ ...common, type: z.literal('fixed'), value: JsonValueSchema });

export const ParamSpec = z.discriminatedUnion('type', [FloatParam, IntParam, CategoricalParam, FixedParam]);
export const SearchSpace = z.object({ params: z.array(ParamSpec) });

export type ParamSpec = z.output<typeof ParamSpec>;
export type FloatParam = z.output<typeof FloatParam>;
export type IntParam = z.output<typeof IntParam>;
export type CategoricalParam = z.output<typeof CategoricalParam>;
export type FixedParam = z.output<typeof FixedParam>;
export type SearchSpace = z.output<typeof SearchSpace>;
export type Direction = 'minimize' | 'maximize';
