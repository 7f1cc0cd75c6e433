// zod issues as the lines a person reads: "path: message", one per problem. The error map words the
// mistakes people make in hand-written JSON: an unknown key gets the closest valid name ("unknown key
// "prunner"; did you mean "pruner"?"), an unknown option or type the closest allowed value, a missing key
// says so.
import { z } from 'zod';
import { closestName } from './didYouMean';

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));

function suggestion(word: unknown, candidates: readonly unknown[]): string {
  const names = candidates.filter((c): c is string => typeof c === 'string');
  const hit = typeof word === 'string' ? closestName(word, names) : null;
  return hit ? `did you mean "${hit}"?` : `expected one of ${candidates.map(quote).join(', ')}`;
}

function shapeKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: unknown } } } | undefined)?._zod?.def?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/**
 * Pass as `schema.safeParse(raw, { error: humanErrorMap })`. An unknown-keys issue gets one line per key
 * (issueLines prints each with the object's path); messages a schema sets itself are kept.
 */
export const humanErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'unrecognized_keys': {
      const known = shapeKeys(iss.inst);
      return iss.keys
        .map((k) => {
          const hit = closestName(k, known);
          return `unknown key "${k}"; ${hit ? `did you mean "${hit}"?` : `the keys here are ${known.join(', ')}`}`;
        })
        .join('\n');
    }
    case 'invalid_type':
      return iss.input === undefined ? `missing: give ${iss.expected === 'array' ? 'a list' : /^[aeiou]/.test(iss.expected) ? `an ${iss.expected}` : `a ${iss.expected}`}` : undefined;
    case 'invalid_value':
      if (iss.values.length > 1 || typeof iss.input === 'string') return `${quote(iss.input)} is not allowed; ${suggestion(iss.input, iss.values)}`;
      return undefined;
    case 'invalid_union': {
      const { discriminator, options } = iss as { discriminator?: string; options?: unknown[] };
      if (discriminator === undefined || !options) return undefined;
      const given = iss.input && typeof iss.input === 'object' ? (iss.input as Record<string, unknown>)[discriminator] : undefined;
      if (given === undefined) return `missing "${discriminator}": one of ${options.map(quote).join(', ')}`;
      return `unknown ${discriminator} ${quote(given)}; ${suggestion(given, options)}`;
    }
    default:
      return undefined;
  }
};

export interface IssueLineOptions {
  /** What to call the input itself when an issue has an empty path (default "input"). */
  root?: string;
  /** A better label for a path (e.g. a parameter's name for params.3); undefined keeps the dotted path. */
  label?: (path: readonly PropertyKey[]) => string | undefined;
}

/** One "path: message" line per problem (an issue whose message has several lines gives one per line). */
export function issueLines(issues: readonly z.core.$ZodIssue[], opts: IssueLineOptions = {}): string[] {
  return issues.flatMap((issue) => {
    const where = opts.label?.(issue.path) ?? (issue.path.length ? issue.path.map(String).join('.') : (opts.root ?? 'input'));
    return issue.message.split('\n').map((m) => `${where}: ${m}`);
  });
}
