// The contract over HTTP + server-sent events on 127.0.0.1, for browser mode and the end-to-end tests.
//
// Only the person who launched it gets in. Any local account can reach 127.0.0.1, so the page itself holds
// no secret: the launch address printed on the console (/launch/<key>) is exchanged once for an HttpOnly,
// SameSite=Strict session cookie, and every other request without that cookie is refused with 401. Host
// and Origin must be our own (DNS rebinding, other sites); contract calls must be JSON POSTs (no simple
// cross-origin form posts).
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { resolveLocations } from '../core/paths';
import { dispatch, errorEnvelope } from '../server/dispatch';
import { createAppServices } from '../server/services/appServices';
import { spawnNodeTrainer } from '../core/trainer/nodeSpawn';
import type { AppServices } from '../server/services/types';
import type { SpawnTrainer } from '../core/trainer/protocol';
import { buildCsp, mimeTypeFor } from '../server/security';
import { decodeUrlPath, readStaticFile, staticFileFor } from '../server/staticFiles';
import { readBody } from './body';
import { createSessions, type Sessions } from './sessions';

export interface BridgeOptions {
  dataDir?: string;
  dbPath?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  host?: '127.0.0.1';
  port?: number;
  spawnTrainer?: SpawnTrainer;
}

export interface BridgeServer {
  /** The server's address (without a key it answers 401). */
  url: string;
  /** The address to open once: it sets the session cookie and leads to the app. */
  launchUrl: string;
  /** Another one-time launch address, for the launching process only (tests, a second browser). */
  newLaunchUrl(): string;
  services: AppServices;
  close(): Promise<void>;
}

/** Contract inputs are small JSON documents; a bigger body is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: http.ServerResponse, status: number, body: string, type = JSON_TYPE, extra: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  res.end(body);
}

const sendJson = (res: http.ServerResponse, status: number, value: unknown): void => send(res, status, JSON.stringify(value));

const NOT_LAUNCHED =
  '<!doctype html><meta charset="utf-8"><title>Latent Lab</title>' +
  '<p>Open Latent Lab with the address it printed when it started (<code>/launch/...</code>). ' +
  'That address works once; start Latent Lab again for a new one.</p>';

export async function startBridgeServer(opts: BridgeOptions): Promise<BridgeServer> {
  const host = opts.host ?? '127.0.0.1';
  const locations = resolveLocations({ dataDir: opts.dataDir, dbPath: opts.dbPath });
  const services = await createAppServices({
    mode: 'browser',
    locations,
    spawnTrainer: opts.spawnTrainer ?? spawnNodeTrainer,
  });
  const staticRoot = path.resolve(opts.staticDir);
  const sseClients = new Set<http.ServerResponse>();
  let origin = '';
  let sessions: Sessions | null = null;

  const unsubscribe = services.subscribe(({ event, payload }) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  const serveStatic = async (req: http.IncomingMessage, pathname: string, res: http.ServerResponse): Promise<void> => {
    const decoded = decodeUrlPath(pathname);
    if (decoded === null) return sendJson(res, 400, errorEnvelope('BAD_REQUEST', {}));
    const file = staticFileFor(decoded, staticRoot);
    const body = file ? await readStaticFile(file, staticRoot) : null;
    if (!body || !file) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    res.writeHead(200, {
      'content-type': mimeTypeFor(file),
      'cache-control': file.endsWith('.html') ? 'no-store' : 'max-age=3600',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': buildCsp(),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const serveEvents = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      sseClients.delete(res);
    });
  };

  const serveInvoke = async (req: http.IncomingMessage, res: http.ServerResponse, rawMethod: string): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return sendJson(res, 415, errorEnvelope('BAD_REQUEST', {}));
    const method = decodeUrlPath(rawMethod);
    if (method === null) return sendJson(res, 400, errorEnvelope('BAD_REQUEST', {}));
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted') return;
    if (body.kind === 'tooLarge') return sendJson(res, 413, errorEnvelope('BODY_TOO_LARGE', { limit: '1 MB' }));
    let input: unknown = {};
    if (body.text.trim()) {
      try {
        input = JSON.parse(body.text);
      } catch {
        return sendJson(res, 400, errorEnvelope('BAD_JSON', {}));
      }
    }
    return sendJson(res, 200, await dispatch(services.handlers, method, input, services.log));
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const live = sessions;
    if (!live) return sendJson(res, 503, { error: 'starting' });
    if (req.headers.host !== new URL(origin).host) return sendJson(res, 403, { error: 'unexpected Host header' });
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      return sendJson(res, 403, { error: 'cross-origin requests are refused' });
    }
    // The path as sent: parsed against our own origin, so a request target cannot name another host.
    const { pathname } = new URL(req.url ?? '/', origin);

    if (pathname.startsWith('/launch/')) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
      const cookie = live.exchange(pathname.slice('/launch/'.length));
      if (!cookie) return send(res, 401, NOT_LAUNCHED, 'text/html; charset=utf-8');
      return send(res, 303, '', 'text/plain; charset=utf-8', { location: '/', 'set-cookie': cookie, 'referrer-policy': 'no-referrer' });
    }
    if (!live.isSignedIn(req.headers.cookie)) {
      services.log.warn('bridge', `refused ${req.method ?? '?'} ${pathname.slice(0, 80)}: no session`);
      return pathname.startsWith('/api/')
        ? sendJson(res, 401, errorEnvelope('UNAUTHORIZED', {}))
        : send(res, 401, NOT_LAUNCHED, 'text/html; charset=utf-8');
    }
    if (pathname === '/api/events' && req.method === 'GET') return serveEvents(req, res);
    if (pathname.startsWith('/api/invoke/')) return serveInvoke(req, res, pathname.slice('/api/invoke/'.length));
    if (pathname.startsWith('/api/')) return sendJson(res, 404, { error: 'unknown endpoint' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
    return serveStatic(req, pathname, res);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      services.log.error('bridge', err);
      if (!res.headersSent) sendJson(res, 500, errorEnvelope('INTERNAL', { logFile: services.log.file }));
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  const live = createSessions(`latent-lab-${port}`);
  sessions = live;
  const newLaunchUrl = (): string => `${origin}/launch/${live.newLaunchKey()}`;

  return {
    url: `${origin}/`,
    launchUrl: newLaunchUrl(),
    newLaunchUrl,
    services,
    async close() {
      unsubscribe();
      for (const res of sseClients) res.end();
      sseClients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await services.dispose();
    },
  };
}
