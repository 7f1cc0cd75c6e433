import type { Pruner } from '../search/types';
import { PrunerConfig } from '../../shared/study/prunerConfig';
import { hyperbandPruner } from './hyperband';
import { medianPruner } from './median';
import { nopPruner } from './nop';
import { successiveHalvingPruner } from './successiveHalving';

/** `maxEpochs` fills Hyperband's max resource when the config leaves it out. */
export function createPruner(config: PrunerConfig, maxEpochs: number): Pruner {
  switch (config.type) {
    case 'nop':
      return nopPruner;
    case 'median':
      return medianPruner(config);
    case 'successiveHalving':
      return successiveHalvingPruner(config);
    case 'hyperband':
      return hyperbandPruner({ ...config, maxResource: config.maxResource ?? maxEpochs });
  }
}
