import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../src/bridge/server';
import { invokeWith, makeRendererFolder, rawRequest, signIn } from '../helpers/bridgeHttp';
import { makeImageFolder } from '../helpers/images';

let tmp: string;
let server: BridgeServer;
let port: number;
let cookie: string;

const request = (opts: Parameters<typeof rawRequest>[1]) => rawRequest(port, opts);
const invoke = (method: string, input: unknown, headers: Record<string, string> = {}) => invokeWith(port, cookie, method, input, headers);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bridge-'));
  const staticDir = path.join(tmp, 'static');
  makeRendererFolder(staticDir);
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(tmp, 'private'));
  fs.writeFileSync(path.join(tmp, 'private', 'notes.txt'), 'private notes');
  // Links inside the served folder that lead out of it: a file and a folder.
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(staticDir, 'leak.txt'));
  fs.symlinkSync(path.join(tmp, 'private'), path.join(staticDir, 'assets', 'outside'));
  // A link that stays inside is fine.
  fs.symlinkSync(path.join(staticDir, 'assets', 'app.js'), path.join(staticDir, 'alias.js'));
  server = await startBridgeServer({ dataDir: path.join(tmp, 'home'), staticDir });
  port = Number(new URL(server.url).port);
  cookie = await signIn(port, server.launchUrl);
});

afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('HTTP bridge: who gets in', () => {
  it('listens on 127.0.0.1 only; the page embeds no key and is served only with the session', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const anonymous = await request({ path: '/' });
    expect(anonymous.status).toBe(401);
    const page = await request({ path: '/', headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>x</title>');
    expect(page.body).not.toContain('latent-lab-token');
    expect(page.body).not.toContain(new URL(server.launchUrl).pathname.split('/').pop());
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('exchanges a launch address once for an HttpOnly, SameSite=Strict cookie; a used or wrong key gets 401', async () => {
    const launch = server.newLaunchUrl();
    const first = await request({ path: new URL(launch).pathname });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const set = first.headers['set-cookie']?.[0] ?? '';
    expect(set).toMatch(new RegExp(`^latent-lab-${port}=[\\w-]{40,};`));
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Path=/');
    expect(set).not.toMatch(/Max-Age|Expires/);
    const again = await request({ path: new URL(launch).pathname });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await request({ path: '/launch/not-a-key' })).status).toBe(401);
    // The new session works like the first.
    expect((await invokeWith(port, set.split(';')[0], 'app.info', {})).status).toBe(200);
  });

  it('refuses every API call and the event stream without the session, and a forged cookie', async () => {
    expect((await invokeWith(port, null, 'app.info', {})).status).toBe(401);
    expect(JSON.parse((await invokeWith(port, null, 'app.info', {})).body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await invokeWith(port, `latent-lab-${port}=forged`, 'app.info', {})).status).toBe(401);
    expect((await request({ path: '/api/events' })).status).toBe(401);
  });

  it('rejects a foreign Host or Origin, and a contract call that is not JSON', async () => {
    expect((await request({ path: '/', headers: { host: `evil.example:${port}`, cookie } })).status).toBe(403);
    expect((await invoke('app.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await invoke('app.info', {}, { 'content-type': 'text/plain' })).status).toBe(415);
  });
});

describe('HTTP bridge: faults', () => {
  it('answers a malformed percent-encoding with 400, not 500', async () => {
    for (const p of ['/%E0%A4%A', '/assets/%zz', '/api/invoke/%E0%A4%A']) {
      const r = await request({ path: p, method: p.startsWith('/api/') ? 'POST' : 'GET', headers: { cookie, 'content-type': 'application/json' }, body: p.startsWith('/api/') ? '{}' : undefined });
      expect(r.status, p).toBe(400);
      expect(JSON.parse(r.body), p).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('answers a 50 MB body with 413 (the client reads the answer; the connection is not reset)', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const r = await request({ path: '/api/invoke/app.info', method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: big });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BODY_TOO_LARGE' } });
    // The server is still fine afterwards.
    expect((await invoke('app.info', {})).status).toBe(200);
  });

  it('does not serve files outside the renderer folder, through dot-dot or through symbolic links', async () => {
    for (const p of ['/..%2fsecret.txt', '/leak.txt', '/assets/outside/notes.txt']) {
      const r = await request({ path: p, headers: { cookie } });
      expect([403, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain('secret');
      expect(r.body, p).not.toContain('private notes');
    }
    const inside = await request({ path: '/alias.js', headers: { cookie } });
    expect(inside.status).toBe(200);
    expect(inside.body).toBe('console.log(1)');
  });
});

describe('HTTP bridge: the contract', () => {
  it('serves app.info, validation errors, unknown methods', async () => {
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
    const sse = http.get({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, cookie } });
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
