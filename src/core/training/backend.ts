// TensorFlow.js backend chosen at run time: tfjs-node (native, an optional dependency that cannot install
// everywhere) -> wasm (SIMD) -> cpu. Never a hard failure; the choice and why is reported to the user and
// stored with every trial.
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from './wasmKernels';
import { setKernelThreads } from './wasmKernels/kernelThreads';
import { hasRelaxedSimd } from './wasmKernels/loops';
import { readConfig } from '../config';
import { codedText, note, type CodedText } from '../../shared/errors';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** One line for the user: what runs and why the faster paths were not used (English: CLI, stored trials). */
  note: string;
  /** The same as codes: what runs, then each reason (the renderer says them in the UI language). */
  notes: CodedText[];
  tfjsVersion: string;
}

let selected: Promise<BackendInfo> | null = null;

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0] : String(err));

async function tryNode(): Promise<CodedText | null> {
  try {
    // A variable specifier keeps bundlers from resolving the optional native package at build time.
    const pkg = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ pkg);
    return (await tf.setBackend('tensorflow')) ? null : note('BACKEND_NODE_NOT_READY');
  } catch (err) {
    const msg = reasonOf(err);
    return /Cannot find (module|package)/.test(msg) ? note('BACKEND_NODE_MISSING') : note('BACKEND_NODE_FAILED', { reason: msg });
  }
}

async function tryWasm(): Promise<CodedText | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return note('BACKEND_WASM_NOT_READY');
    // Fast transposed matmuls and the missing conv filter gradient; see wasmKernels/.
    registerWasmKernels();
    return null;
  } catch (err) {
    return note('BACKEND_WASM_FAILED', { reason: reasonOf(err) });
  }
}

/** The English one-liner of a backend's notes: "what: why; why". */
export function backendNoteText(notes: readonly CodedText[]): string {
  const [what, ...why] = notes.map(codedText);
  return why.length ? `${what}: ${why.join('; ')}` : (what ?? '');
}

/**
 * Selects the fastest working backend once per process. `preferred` (or env LATENT_LAB_BACKEND) forces a
 * starting point in the chain, e.g. 'cpu' for exact reference runs.
 */
export function selectBackend(preferred?: BackendName): Promise<BackendInfo> {
  selected ??= (async () => {
    const want = preferred ?? (readConfig().backend as BackendName | undefined);
    const skipped: CodedText[] = [];
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
    const what = name === 'tensorflow' ? note('BACKEND_NATIVE') : name === 'wasm' ? note(hasRelaxedSimd() ? 'BACKEND_WASM_FMA' : 'BACKEND_WASM') : note('BACKEND_CPU');
    const why = want === name ? [note(preferred ? 'BACKEND_CHOSEN_BY_CALLER' : 'BACKEND_CHOSEN_BY_ENV')] : skipped;
    const notes = [what, ...why];
    return { name, note: backendNoteText(notes), notes, tfjsVersion: tf.version.tfjs };
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
