import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../src/bridge/server';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let server: BridgeServer;
let port: number;

function request(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const invoke = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  request({ path: `/api/invoke/${method}`, method: 'POST', headers: { 'content-type': 'application/json', 'x-latent-lab-token': server.token, ...headers }, body: JSON.stringify(input) });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bridge-'));
  const staticDir = path.join(tmp, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  server = await startBridgeServer({ dataDir: path.join(tmp, 'home'), staticDir });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('HTTP bridge', () => {
  it('listens on 127.0.0.1 only and injects the token into the page', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await request({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="latent-lab-token" content="${server.token}">`);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('rejects a foreign Host or Origin, and calls without the token', async () => {
    expect((await request({ path: '/', headers: { host: `evil.example:${port}` } })).status).toBe(403);
    expect((await invoke('app.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await invoke('app.info', {}, { 'x-latent-lab-token': 'wrong' })).status).toBe(401);
    expect((await request({ path: '/api/events?token=wrong' })).status).toBe(401);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await request({ path: '/..%2fsecret.txt' });
    expect([403, 404]).toContain(r.status);
    expect(r.body).not.toContain('secret');
  });

  it('serves the contract: app.info, validation errors, unknown methods', async () => {
    const info = JSON.parse((await invoke('app.info', {}, { origin: `http://127.0.0.1:${port}` })).body);
    expect(info.ok).toBe(true);
    expect(info.value).toMatchObject({ mode: 'browser', appVersion: '0.1.0', canPickFolder: false, dataDir: path.join(tmp, 'home') });
    expect(['wasm', 'tensorflow', 'cpu']).toContain(info.value.backend);
    const bad = JSON.parse((await invoke('dataset.open', { path: '', imageSize: 2, channels: 1 })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(bad.error.message).toMatch(/path: Choose an image folder first/);
    const unknown = JSON.parse((await invoke('nope.nothing', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const missing = JSON.parse((await invoke('dataset.open', { path: path.join(tmp, 'missing'), imageSize: 8, channels: 1 })).body);
    expect(missing).toMatchObject({ ok: false, error: { code: 'FOLDER_NOT_FOUND', params: { path: path.join(tmp, 'missing') } } });
    expect(missing.error.message).toContain(path.join(tmp, 'missing'));
  });

  it('streams events over SSE while a dataset opens', async () => {
    const folder = await makeImageFolder(path.join(tmp, 'imgs'));
    const events: string[] = [];
    const sse = http.get({ host: '127.0.0.1', port, path: `/api/events?token=${server.token}`, headers: { host: `127.0.0.1:${port}` } });
    const got = new Promise<void>((resolve) => {
      sse.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/^event: (.+)$/gm)) events.push(m[1]);
          if (events.includes('dataset.progress')) resolve();
        });
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    const opened = JSON.parse((await invoke('dataset.open', { path: folder, imageSize: 8, channels: 1 })).body);
    expect(opened.ok).toBe(true);
    expect(opened.value).toMatchObject({ imageCount: 20, labeled: true, classes: [{ name: 'a', count: 10 }, { name: 'b', count: 10 }] });
    expect(opened.value.preview.length).toBeGreaterThan(0);
    expect(opened.value.preview[0].dataUrl).toMatch(/^data:image\/png;base64,/);
    await got;
    sse.destroy();
    expect(events).toContain('dataset.progress');
  });
});
