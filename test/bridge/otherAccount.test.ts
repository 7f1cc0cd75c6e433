// Browser mode as seen from another local account: it can reach 127.0.0.1 like anyone, but the page embeds
// no secret and the launch key went only to the launching process, so every route answers 401. The client
// runs as a real second user (uid/gid of `nobody`), which needs root; elsewhere the test says why it skips.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../src/bridge/server';
import { METHOD_NAMES } from '../../src/shared/contract';
import { invokeWith, makeRendererFolder, signIn } from '../helpers/bridgeHttp';

function otherAccount(): { uid: number; gid: number } | null {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return null;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'nobody']).toString()), gid: Number(execFileSync('id', ['-g', 'nobody']).toString()) };
  } catch {
    return null;
  }
}
const account = otherAccount();

// Runs as the other account: fetches the page, tries anything that looks like a key in it, then asks every
// route and prints { route: status }.
const CLIENT = String.raw`
const http = require('node:http');
const [port, methods] = [Number(process.argv[1]), JSON.parse(process.argv[2])];
const ask = (method, p, headers = {}, body) => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port, path: p, method, headers: { host: '127.0.0.1:' + port, ...headers } }, (res) => {
    let text = ''; res.setEncoding('utf8');
    res.on('data', (c) => { text += c; if (res.headers['content-type']?.startsWith('text/event-stream')) req.destroy(); });
    res.on('end', () => resolve({ status: res.statusCode, text }));
    res.on('close', () => resolve({ status: res.statusCode, text }));
  });
  req.on('error', (e) => resolve({ status: 'error ' + e.code, text: '' }));
  if (body) req.write(body);
  req.end();
});
(async () => {
  const out = {};
  const page = await ask('GET', '/');
  out['GET /'] = page.status;
  const found = [...page.text.matchAll(/content="([\w-]{16,})"/g)].map((m) => m[1]);
  const key = found[0] ?? 'none-found';
  const json = { 'content-type': 'application/json', 'x-latent-lab-token': key, cookie: 'latent-lab-' + port + '=' + key };
  for (const p of ['/index.html', '/assets/app.js', '/favicon.svg', '/launch/' + key, '/launch/guess', '/api/events', '/api/events?token=' + key, '/%E0%A4%A']) {
    out['GET ' + p] = (await ask('GET', p, json)).status;
  }
  out['HEAD /'] = (await ask('HEAD', '/')).status;
  for (const m of methods) out['POST /api/invoke/' + m] = (await ask('POST', '/api/invoke/' + m, json, '{}')).status;
  process.stdout.write(JSON.stringify(out));
})();
`;

let tmp: string;
let server: BridgeServer;
let port: number;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-other-'));
  const staticDir = path.join(tmp, 'static');
  makeRendererFolder(staticDir);
  server = await startBridgeServer({ dataDir: path.join(tmp, 'home'), staticDir });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function runAsOtherAccount(uid: number, gid: number): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, String(port), JSON.stringify(METHOD_NAMES)], {
      uid,
      gid,
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`client exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as Record<string, number | string>);
    });
  });
}

describe('browser mode and another local account', () => {
  it.skipIf(!account)('gets 401 on every route, with or without anything it found in the page', async () => {
    if (!account) return;
    const statuses = await runAsOtherAccount(account.uid, account.gid);
    expect(Object.keys(statuses).length).toBe(METHOD_NAMES.length + 10);
    for (const [route, status] of Object.entries(statuses)) expect(status, route).toBe(401);

    // Meanwhile the launching user, who has the launch address, gets in.
    const cookie = await signIn(port, server.launchUrl);
    expect((await invokeWith(port, cookie, 'trials.list', {})).status).toBe(200);
  });
});
