// The Python that the benches compare against (Debian's python3 with python3-torch, python3-sklearn): one home
// for its path, the one-thread environment and the check that torch imports.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Debian's torch uses OpenBLAS, which ignores torch.set_num_threads: one thread is pinned by environment. */
export const ONE_THREAD_ENV = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** Why PyTorch figures cannot be had here, or null when `import torch` (and the modules named) works. */
export function torchMissing(modules: string[] = []): string | null {
  const probe = spawnSync(PYTHON, ['-c', ['torch', ...modules].map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `${PYTHON} cannot import torch${modules.length ? ` or ${modules.join(', ')}` : ''} (apt-get install python3-torch python3-sklearn)`;
  return null;
}
