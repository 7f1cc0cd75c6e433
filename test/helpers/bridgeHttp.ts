// Raw HTTP against the bridge in tests: signing in through a launch address, calls with and without the
// session cookie, and bodies of any size.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export interface RawResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export interface RawRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function rawRequest(port: number, opts: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Opens a launch address like a browser: returns the session cookie ("name=value") it sets. */
export async function signIn(port: number, launchUrl: string): Promise<string> {
  const r = await rawRequest(port, { path: new URL(launchUrl).pathname });
  const setCookie = r.headers['set-cookie']?.[0];
  if (r.status !== 303 || !setCookie) throw new Error(`launch failed: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  return setCookie.split(';')[0];
}

export const invokeWith = (port: number, cookie: string | null, method: string, input: unknown, headers: Record<string, string> = {}) =>
  rawRequest(port, {
    path: `/api/invoke/${method}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
    body: JSON.stringify(input),
  });

/** A stand-in for the built renderer: index.html, one script and the favicon. */
export function makeRendererFolder(dir: string): string {
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}
