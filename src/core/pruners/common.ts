import type { Direction } from '../../shared/study/objectives';
import type { FrozenTrial } from '../search/types';

export const valueAt = (t: FrozenTrial, step: number): number | undefined => t.intermediate.find((e) => e.step === step)?.value;

export const better = (a: number, b: number, direction: Direction): boolean => (direction === 'minimize' ? a < b : a > b);

/** The best intermediate value of a trial up to and including a step. */
export function bestUpTo(t: FrozenTrial, step: number, direction: Direction): number | undefined {
  let best: number | undefined;
  for (const e of t.intermediate) {
    if (e.step > step || !Number.isFinite(e.value)) continue;
    if (best === undefined || better(e.value, best, direction)) best = e.value;
  }
  return best;
}
