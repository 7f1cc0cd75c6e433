// The contract over HTTP + server-sent events on 127.0.0.1, for browser mode and the end-to-end tests.
// A random per-launch token guards every call; Host and Origin must be our own (DNS-rebinding defence).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { resolveLocations } from '../core/paths';
import { dispatch, errorEnvelope } from '../server/dispatch';
import { createAppServices } from '../server/services/appServices';
import { spawnNodeTrainer } from '../core/trainer/nodeSpawn';
import type { AppServices } from '../server/services/types';
import type { SpawnTrainer } from '../core/trainer/protocol';
import { buildCsp } from '../server/security';

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
  url: string;
  token: string;
  services: AppServices;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(a: string | null | undefined, token: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(token);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startBridgeServer(opts: BridgeOptions): Promise<BridgeServer> {
  const host = opts.host ?? '127.0.0.1';
  const locations = resolveLocations({ dataDir: opts.dataDir, dbPath: opts.dbPath });
  const services = await createAppServices({
    mode: 'browser',
    locations,
    spawnTrainer: opts.spawnTrainer ?? spawnNodeTrainer,
  });
  const token = crypto.randomBytes(24).toString('base64url');
  const staticRoot = path.resolve(opts.staticDir);
  const sseClients = new Set<http.ServerResponse>();
  let origin = '';

  const unsubscribe = services.subscribe(({ event, payload }) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sseClients) res.write(frame);
  });

  const serveStatic = (pathname: string, res: http.ServerResponse): void => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(staticRoot, rel);
    if (file !== staticRoot && !file.startsWith(staticRoot + path.sep)) return send(res, 403, 'forbidden', 'text/plain');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (!fs.existsSync(path.join(staticRoot, 'index.html'))) {
        return send(res, 503, 'The renderer is not built yet: run `npm start` (it builds it) or `npm run build:web`.', 'text/plain');
      }
      return send(res, 404, 'not found', 'text/plain');
    }
    const ext = path.extname(file);
    let body: Buffer | string = fs.readFileSync(file);
    if (ext === '.html') {
      body = body.toString('utf8').replace('<head>', `<head>\n    <meta name="latent-lab-token" content="${token}">`);
    }
    res.writeHead(200, {
      'content-type': MIME[ext] ?? 'application/octet-stream',
      'cache-control': ext === '.html' ? 'no-store' : 'max-age=3600',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': buildCsp(),
    });
    res.end(body);
  };

  const server = http.createServer(async (req, res) => {
    try {
      const expectedHost = new URL(origin).host;
      if (req.headers.host !== expectedHost) return send(res, 403, JSON.stringify({ error: 'unexpected Host header' }));
      if (req.headers.origin !== undefined && req.headers.origin !== origin) {
        return send(res, 403, JSON.stringify({ error: 'cross-origin requests are refused' }));
      }
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname === '/api/events' && req.method === 'GET') {
        if (!sameToken(url.searchParams.get('token'), token)) return send(res, 401, JSON.stringify({ error: 'bad token' }));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        sseClients.add(res);
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(keepAlive);
          sseClients.delete(res);
        });
        return;
      }
      if (url.pathname.startsWith('/api/invoke/')) {
        if (req.method !== 'POST') return send(res, 405, JSON.stringify({ error: 'use POST' }));
        const header = req.headers['x-latent-lab-token'];
        if (!sameToken(Array.isArray(header) ? header[0] : header, token)) {
          return send(res, 401, JSON.stringify(errorEnvelope('UNAUTHORIZED', {})));
        }
        const method = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
        const raw = await readBody(req);
        let input: unknown = {};
        if (raw.trim()) {
          try {
            input = JSON.parse(raw);
          } catch {
            return send(res, 400, JSON.stringify(errorEnvelope('BAD_JSON', {})));
          }
        }
        return send(res, 200, JSON.stringify(await dispatch(services.handlers, method, input, services.log)));
      }
      if (url.pathname.startsWith('/api/')) return send(res, 404, JSON.stringify({ error: 'unknown endpoint' }));
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain');
      return serveStatic(url.pathname, res);
    } catch (err) {
      services.log.error('bridge', err);
      send(res, 500, JSON.stringify(errorEnvelope('INTERNAL', { logFile: services.log.file })));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;

  return {
    url: `${origin}/`,
    token,
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

