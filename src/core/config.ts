// Every LATENT_LAB_* environment variable is read here and nowhere else: the rest of the code asks this module.
// Entry points (CLI, Electron main, trainer processes) share one process environment, so reading it lazily
// at the point of use is enough; tests pass their own env object.

/** The variables Latent Lab understands, with what each one does (documented in README). */
export const ENV_NAMES = {
  /** The data folder (database, caches, artifacts, sample dataset). */
  home: 'LATENT_LAB_HOME',
  /** The trial database file. */
  db: 'LATENT_LAB_DB',
  /** Where the TensorFlow.js backend chain starts: tensorflow | wasm | cpu. */
  backend: 'LATENT_LAB_BACKEND',
  /** better_sqlite3.node built for Electron's ABI (set by the Electron main process for itself and its trainers). */
  sqliteBinding: 'LATENT_LAB_SQLITE_BINDING',
  /** 1: `train` and the benches do not run themselves again with the trainer's V8 flags. */
  noRerun: 'LATENT_LAB_NO_RERUN',
  /** Tests only: stop this process (SIGSTOP) at a named point, see core/faultPoints.ts. */
  testStopAt: 'LATENT_LAB_TEST_STOP_AT',
  /** Tests only: the file the stopped process writes its pid into before it stops. */
  testStopFile: 'LATENT_LAB_TEST_STOP_FILE',
  /** 1: DevTools in an unpackaged Electron run (inert in a packaged app, src/main/launchSwitches.ts). */
  devTools: 'LATENT_LAB_DEVTOOLS',
  /** MB (compressed) of a trial's files a shared study database stores, so other machines can read them. */
  sharedArtifactMb: 'LATENT_LAB_SHARED_ARTIFACT_MB',
} as const;

/** Variables only tests and development may set: a packaged app strips them before starting its trainers. */
export const DEVELOPMENT_ONLY_ENV: readonly string[] = [ENV_NAMES.testStopAt, ENV_NAMES.testStopFile, ENV_NAMES.devTools];

export interface LatentLabConfig {
  home: string | undefined;
  db: string | undefined;
  backend: string | undefined;
  sqliteBinding: string | undefined;
  noRerun: boolean;
  testStopAt: string | undefined;
  testStopFile: string | undefined;
  devTools: boolean;
  sharedArtifactMb: string | undefined;
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

export function readConfig(env: NodeJS.ProcessEnv = process.env): LatentLabConfig {
  return {
    home: nonEmpty(env[ENV_NAMES.home]),
    db: nonEmpty(env[ENV_NAMES.db]),
    backend: nonEmpty(env[ENV_NAMES.backend]),
    sqliteBinding: nonEmpty(env[ENV_NAMES.sqliteBinding]),
    noRerun: env[ENV_NAMES.noRerun] === '1',
    testStopAt: nonEmpty(env[ENV_NAMES.testStopAt]),
    testStopFile: nonEmpty(env[ENV_NAMES.testStopFile]),
    devTools: env[ENV_NAMES.devTools] === '1',
    sharedArtifactMb: nonEmpty(env[ENV_NAMES.sharedArtifactMb]),
  };
}

/** A copy of `env` without the development-only variables (for the processes of a packaged app). */
export function withoutDevelopmentSwitches(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of DEVELOPMENT_ONLY_ENV) delete out[name];
  return out;
}
