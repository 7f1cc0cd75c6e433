// SpawnTrainer for plain Node (browser mode, tests): child_process.fork of the TypeScript trainer entry
// through tsx, so no build step is needed outside Electron. Everything is found from this package, never from
// the working directory: the CLI runs from wherever the user's spec and images are.
import { fork, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasRelaxedSimd, relaxedSimdProbe } from '../training/wasmKernels/loops';
import type { FromTrainer, SpawnTrainer } from './protocol';

const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));

/**
 * `--import <tsx's loader>` as an absolute file URL (a bare `--import tsx` is resolved from the working
 * directory, where there is no tsx), and the package's own tsconfig for it (not one tsx would find there).
 */
export function tsxLoader(): { execArgv: string[]; env: NodeJS.ProcessEnv } {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const tsconfig = fileURLToPath(new URL('../../../tsconfig.node.json', import.meta.url));
  return { execArgv: ['--import', loader], env: { TSX_TSCONFIG_PATH: tsconfig } };
}

const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';
let v8Flags: string[] | undefined;

/**
 * V8 flags for trainer processes: Node 20 has relaxed SIMD (fused multiply-add for our wasm gemm, ~20% faster
 * training) only behind a flag; later Nodes and Electron have it on. The flag is tried once in a throwaway
 * process first, since a Node that no longer knows it would refuse to start.
 */
export function trainerV8Flags(): string[] {
  if (v8Flags) return v8Flags;
  if (hasRelaxedSimd()) return (v8Flags = []);
  const script = `process.exit(WebAssembly.validate(new Uint8Array(${JSON.stringify(relaxedSimdProbe())})) ? 0 : 1)`;
  const probe = spawnSync(process.execPath, [RELAXED_SIMD_FLAG, '-e', script], { stdio: 'ignore', timeout: 10_000 });
  return (v8Flags = probe.status === 0 ? [RELAXED_SIMD_FLAG] : []);
}

/** Developer switch: a folder in which every trainer process writes a V8 CPU profile when it exits. */
export const TRAINER_CPU_PROF_ENV = 'LATENT_LAB_TRAINER_CPU_PROF';

/**
 * `--cpu-prof` flags when LATENT_LAB_TRAINER_CPU_PROF names a folder (read with bench/cpuProfile.ts): where a
 * study's CPU seconds go, trainer by trainer. Node refuses --cpu-prof in NODE_OPTIONS, hence a switch of ours.
 */
export function trainerProfileFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env[TRAINER_CPU_PROF_ENV];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

export const spawnNodeTrainer: SpawnTrainer = () => {
  const tsx = tsxLoader();
  const child = fork(entry, [], {
    execArgv: [...trainerV8Flags(), ...trainerProfileFlags(), ...tsx.execArgv],
    env: { ...process.env, ...tsx.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromTrainer)),
    onExit: (l) => child.on('exit', (code, signal) => l({ code, signal })),
    kill: () => child.kill(),
  };
};
