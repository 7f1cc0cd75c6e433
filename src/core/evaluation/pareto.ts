// Pareto ranking itself lives in src/shared/pareto.ts (one copy for the engine and the renderer).

export type Direction = 'minimize' | 'maximize';
