// Finds a python3 that has the given modules (Debian's python3-numpy / python3-pil); null when none has them,
// so tests that need it skip cleanly.
import { spawnSync } from 'node:child_process';

const found = new Map<string, string | null>();

export function findPython(modules: string[]): string | null {
  const key = modules.join(',');
  if (found.has(key)) return found.get(key) ?? null;
  let hit: string | null = null;
  for (const cmd of [process.env.LATENT_LAB_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c))) {
    const r = spawnSync(cmd, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) {
      hit = cmd;
      break;
    }
  }
  found.set(key, hit);
  return hit;
}
