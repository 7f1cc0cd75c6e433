// Live changes of a shared study database: one dedicated connection LISTENs on the channel PgStorage notifies
// (pg_notify('latent_lab', {studyId, trialId, what}) when a trial changes state, reports an epoch or replaces its
// live reconstructions), so the app hears about trials run on other machines without polling every trial. A
// dropped connection is re-opened.
import pg from 'pg';
import { pgError, splitDatabaseUrl } from './postgres';

export interface DatabaseChange {
  studyId: number;
  trialId: number;
  /** 'state': the trial changed state; 'epoch': it stored an epoch's metrics; 'reconstructions': its live ones (Storage.liveViews). */
  what: string;
}

export interface ChangeListener {
  close(): Promise<void>;
}

const RECONNECT_MS = 5_000;

export async function listenForChanges(location: string, onChange: (c: DatabaseChange) => void, onProblem: (message: string) => void = () => {}): Promise<ChangeListener> {
  const { url, password } = splitDatabaseUrl(location);
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, password: password ?? process.env.PGPASSWORD, connectionTimeoutMillis: 15_000 });
    c.on('notification', (n) => {
      try {
        const v = JSON.parse(n.payload ?? '') as Partial<DatabaseChange>;
        if (typeof v.studyId === 'number' && typeof v.trialId === 'number') onChange({ studyId: v.studyId, trialId: v.trialId, what: String(v.what ?? '') });
      } catch {
        // Not ours: another program on the same channel.
      }
    });
    c.on('error', (err) => {
      onProblem(`Live updates from ${url} stopped (${(pgError(err, url) as Error).message}); reconnecting in ${RECONNECT_MS / 1000} s.`);
      void c.end().catch(() => {});
      schedule();
    });
    await c.connect();
    await c.query('LISTEN latent_lab');
    if (closed) await c.end();
    else client = c;
  };
  const schedule = (): void => {
    client = null;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch(() => schedule());
    }, RECONNECT_MS);
  };

  try {
    await connect();
  } catch (err) {
    throw pgError(err, url);
  }
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
