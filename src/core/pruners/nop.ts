import type { Pruner } from '../search/types';

export const nopPruner: Pruner = { name: 'nop', shouldPrune: () => false, decidesAt: () => false };
