// SpawnTrainer for plain Node (browser mode, tests): child_process.fork of the TypeScript trainer entry
// through tsx, so no build step is needed outside Electron.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromTrainer, SpawnTrainer } from './protocol';

const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));

export const spawnNodeTrainer: SpawnTrainer = () => {
  const child = fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromTrainer)),
    onExit: (l) => child.on('exit', (code, signal) => l({ code, signal })),
    kill: () => child.kill(),
  };
};
