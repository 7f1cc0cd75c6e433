// A throw-away PostgreSQL cluster for tests: initdb into a temporary folder, started on 127.0.0.1 at a free
// port, removed afterwards. initdb refuses to run as root (CI runs as root): then the cluster runs as the
// `postgres` (or `nobody`) account in a folder it owns. Without PostgreSQL installed, pgCluster() is null and
// the tests that need it are skipped (counted as skipped, never as passed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** postgresql://postgres@127.0.0.1:<port>/<name> of a new, empty database. */
  createDatabase(name?: string): Promise<string>;
  stop(): void;
}

/** The newest Debian PostgreSQL bin folder, or null. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

export const postgresAvailable = (): boolean => postgresBin() !== null;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** uid/gid of an unprivileged account to run the cluster as, when this process is root. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('Running as root, and there is neither a postgres nor a nobody account to run the test cluster as.');
}

let counter = 0;

export async function startPgCluster(): Promise<PgCluster | null> {
  const bin = postgresBin();
  if (!bin) return null;
  const user = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  if (user) {
    fs.chownSync(dir, user.uid, user.gid);
    fs.chownSync(data, user.uid, user.gid);
  }
  const run = (cmd: string, args: string[]): void => {
    const r = spawnSync(path.join(bin, cmd), args, { cwd: dir, encoding: 'utf8', timeout: 120_000, ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  // fsync off: a test cluster needs no durability, and it spares the shared disk.
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '120', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  const base = `postgresql://postgres@127.0.0.1:${port}`;
  return {
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    },
    stop() {
      spawnSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { cwd: dir, timeout: 60_000, ...(user ?? {}) });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
