// TensorFlow.js backend chosen at run time: tfjs-node (native, an optional dependency that cannot install
// everywhere) -> wasm (SIMD) -> cpu. Never a hard failure; the choice and why is reported to the user and
// stored with every trial.
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from './wasmKernels';
import { setKernelThreads } from './wasmKernels/kernelThreads';
import { hasRelaxedSimd } from './wasmKernels/loops';
import { readConfig } from '../config';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** One line for the user: what runs and why the faster paths were not used. */
  note: string;
  tfjsVersion: string;
}

let selected: Promise<BackendInfo> | null = null;

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0] : String(err));

async function tryNode(): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers from resolving the optional native package at build time.
    const pkg = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ pkg);
    return (await tf.setBackend('tensorflow')) ? null : 'tfjs-node loaded but its backend did not initialise';
  } catch (err) {
    const msg = reasonOf(err);
    return /Cannot find (module|package)/.test(msg) ? 'tfjs-node is not installed (optional dependency)' : `tfjs-node failed: ${msg}`;
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend did not initialise';
    // Fast transposed matmuls and the missing conv filter gradient; see wasmKernels/.
    registerWasmKernels();
    return null;
  } catch (err) {
    return `wasm failed: ${reasonOf(err)}`;
  }
}

/**
 * Selects the fastest working backend once per process. `preferred` (or env LATENT_LAB_BACKEND) forces a
 * starting point in the chain, e.g. 'cpu' for exact reference runs.
 */
export function selectBackend(preferred?: BackendName): Promise<BackendInfo> {
  selected ??= (async () => {
    const want = preferred ?? (readConfig().backend as BackendName | undefined);
    const skipped: string[] = [];
    const order: BackendName[] = want === 'cpu' ? ['cpu'] : want === 'wasm' ? ['wasm', 'cpu'] : ['tensorflow', 'wasm', 'cpu'];
    for (const name of order) {
      if (name === 'cpu') {
        await tf.setBackend('cpu');
        break;
      }
      const failure = name === 'tensorflow' ? await tryNode() : await tryWasm();
      if (failure === null) break;
      skipped.push(failure);
    }
    await tf.ready();
    const name = tf.getBackend() as BackendName;
    const what = name === 'tensorflow' ? 'native TensorFlow (tfjs-node)' : name === 'wasm' ? `wasm (WebAssembly, SIMD${hasRelaxedSimd() ? ' + FMA' : ''})` : 'cpu (plain JavaScript)';
    const why = want === name ? `chosen by ${preferred ? 'the caller' : 'LATENT_LAB_BACKEND'}` : skipped.join('; ');
    const note = why ? `${what}: ${why}` : what;
    return { name, note, tfjsVersion: tf.version.tfjs };
  })();
  return selected;
}

/**
 * Lets training use `threads` threads (the calling one included) from the next kernel on; returns the count in
 * effect. Only our wasm kernels take threads: tfjs-node manages its own, and cpu stays on one.
 */
export async function setTrainingThreads(threads: number): Promise<number> {
  const b = await selectBackend();
  return b.name === 'wasm' ? setKernelThreads(threads) : 1;
}
