// Where Latent Lab keeps its data. The desktop app, browser mode and the CLI share one location so a trial
// trained anywhere is listed everywhere.
import os from 'node:os';
import path from 'node:path';

export interface DataLocations {
  dataDir: string;
  dbPath: string;
  cacheDir: string;
  artifactsDir: string;
  sampleDir: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LATENT_LAB_HOME) return path.resolve(env.LATENT_LAB_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Latent Lab');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Latent Lab');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'latent-lab');
}

export function resolveLocations(
  opts: { dataDir?: string; dbPath?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): DataLocations {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir(env));
  const dbPath = path.resolve(opts.dbPath ?? env.LATENT_LAB_DB ?? path.join(dataDir, 'trials.sqlite'));
  return {
    dataDir,
    dbPath,
    cacheDir: path.join(dataDir, 'cache'),
    artifactsDir: path.join(dataDir, 'artifacts'),
    sampleDir: path.join(dataDir, 'samples', 'mnist'),
  };
}
