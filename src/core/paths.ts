// Where Latent Lab keeps its data. The desktop app, browser mode and the CLI share one location so a trial
// trained anywhere is listed everywhere.
import os from 'node:os';
import path from 'node:path';
import { readConfig } from './config';

export interface DataLocations {
  dataDir: string;
  dbPath: string;
  cacheDir: string;
  artifactsDir: string;
  sampleDir: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = readConfig(env).home;
  if (home) return path.resolve(home);
  const user = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(user, 'AppData', 'Roaming'), 'Latent Lab');
  if (platform === 'darwin') return path.join(user, 'Library', 'Application Support', 'Latent Lab');
  return path.join(env.XDG_DATA_HOME ?? path.join(user, '.local', 'share'), 'latent-lab');
}

export function resolveLocations(
  opts: { dataDir?: string; dbPath?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): DataLocations {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir(env));
  const dbPath = path.resolve(opts.dbPath ?? readConfig(env).db ?? path.join(dataDir, 'trials.sqlite'));
  return {
    dataDir,
    dbPath,
    cacheDir: path.join(dataDir, 'cache'),
    artifactsDir: path.join(dataDir, 'artifacts'),
    sampleDir: path.join(dataDir, 'samples', 'mnist'),
  };
}
