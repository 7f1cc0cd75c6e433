// Which hyperparameters a trial's configuration actually uses: per-architecture and per-optimizer fields are
// stored with every trial (defaults fill them) but read only where they apply.
import type { AutoencoderParams } from './dto';

/** What decides which fields apply: a trial's params, or a form's choices before they are all valid. */
export type ParamSwitches = Pick<AutoencoderParams, 'architecture' | 'optimizer' | 'earlyStoppingPatience'>;

const ONLY_FOR: Partial<Record<keyof AutoencoderParams, (p: ParamSwitches) => boolean>> = {
  hiddenUnits: (p) => p.architecture !== 'conv',
  noiseType: (p) => p.architecture === 'denoising',
  noiseLevel: (p) => p.architecture === 'denoising',
  l1: (p) => p.architecture === 'sparse',
  klBeta: (p) => p.architecture === 'variational',
  filters: (p) => p.architecture === 'conv',
  kernelSize: (p) => p.architecture === 'conv',
  convNoise: (p) => p.architecture === 'conv',
  momentum: (p) => p.optimizer === 'sgd',
  nesterov: (p) => p.optimizer === 'sgd',
  earlyStoppingMinDelta: (p) => p.earlyStoppingPatience > 0,
  restoreBestWeights: (p) => p.earlyStoppingPatience > 0,
};

export function isParamActive(name: string, p: ParamSwitches): boolean {
  const only = ONLY_FOR[name as keyof AutoencoderParams];
  return only ? only(p) : true;
}

/** The parameters the trial's architecture and optimizer read, in the params' own key order. */
export function activeParams(p: AutoencoderParams): Partial<AutoencoderParams> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => isParamActive(k, p))) as Partial<AutoencoderParams>;
}
