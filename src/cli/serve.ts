// Browser mode: the real services behind the HTTP bridge on 127.0.0.1, serving the built renderer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBridgeServer } from '../bridge/server';
import { UsageError } from './args';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Returns -1: the server keeps the process alive until SIGINT/SIGTERM. */
export async function serveCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, db: { type: 'string' }, 'data-dir': { type: 'string' }, static: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port expects 0-65535, got "${values.port}".`);
  const server = await startBridgeServer({
    port,
    dataDir: values['data-dir'],
    dbPath: values.db,
    staticDir: values.static ?? path.join(projectRoot, 'out', 'renderer'),
  });
  const info = await server.services.handlers['app.info']({});
  process.stdout.write(
    `Latent Lab (browser mode) is running. Open this address in your browser (it works once, for you only):\n` +
      `  ${server.launchUrl}\n` +
      `Data folder: ${info.dataDir}\nTrial database: ${info.dbPath}\nError log: ${server.services.log.file}\nBackend: ${info.backendNote}\nPress Ctrl+C to stop.\n`,
  );
  process.on('unhandledRejection', (reason) => server.services.log.error('serve (unhandled rejection)', reason));
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
