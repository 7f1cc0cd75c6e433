import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_URL,
  buildCsp,
  externalUrlToOpen,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  mimeTypeFor,
  resolveAppFile,
} from '../../src/server/security';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
}

describe('buildCsp', () => {
  it('defaults to self, with no eval and no inline scripts', () => {
    const csp = buildCsp();
    const d = directives(csp);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('relaxes only the dev server websocket and styles in development', () => {
    const csp = buildCsp({ devServerUrl: 'http://localhost:5173/' });
    const d = directives(csp);
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('isAllowedNavigation', () => {
  it('allows the app itself, including other paths and hashes', () => {
    expect(isAllowedNavigation(APP_URL, APP_URL)).toBe(true);
    expect(isAllowedNavigation('app://latent-lab/index.html#/trials/3', APP_URL)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
  });

  it('refuses everything else', () => {
    for (const url of [
      'https://example.com/',
      'http://latent-lab/index.html',
      'app://evil/index.html',
      'app://latent-lab.evil.com/index.html',
      'app://user:pw@latent-lab/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'http://localhost:5174/',
      'not a url',
      '',
    ]) {
      expect(isAllowedNavigation(url, APP_URL), url).toBe(false);
    }
  });

  it('compares whole paths for file: apps', () => {
    const app = 'file:///opt/latent/out/renderer/index.html';
    expect(isAllowedNavigation(app, app)).toBe(true);
    expect(isAllowedNavigation('file:///opt/latent/other.html', app)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts frames showing the app', () => {
    expect(isTrustedSender('app://latent-lab/index.html', APP_URL)).toBe(true);
  });
  it('rejects other origins and missing frames', () => {
    expect(isTrustedSender('https://evil.example/', APP_URL)).toBe(false);
    expect(isTrustedSender('about:blank', APP_URL)).toBe(false);
    expect(isTrustedSender('', APP_URL)).toBe(false);
    expect(isTrustedSender(null, APP_URL)).toBe(false);
    expect(isTrustedSender(undefined, APP_URL)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it('blocks remote content', () => {
    expect(isAllowedRequest('https://cdn.example.com/x.js', APP_URL)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/', APP_URL)).toBe(false);
  });
  it('lets the app, in-memory URLs and the dev server through', () => {
    expect(isAllowedRequest('app://latent-lab/assets/index.js', APP_URL)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', APP_URL)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAllowedRequest('ws://localhost:9999/', 'http://localhost:5173/')).toBe(false);
  });
});

describe('externalUrlToOpen', () => {
  it('passes plain https links to the allowed hosts only', () => {
    expect(externalUrlToOpen('https://github.com/x')).toBe('https://github.com/x');
    expect(externalUrlToOpen('https://evil.example/')).toBeNull();
    expect(externalUrlToOpen('https://github.com.evil.example/')).toBeNull();
    expect(externalUrlToOpen('https://gist.github.com/x')).toBeNull();
    expect(externalUrlToOpen('https://github.com:8443/x')).toBeNull();
    expect(externalUrlToOpen('http://github.com/x')).toBeNull();
    expect(externalUrlToOpen('file:///etc/passwd')).toBeNull();
    expect(externalUrlToOpen('smb://host/share')).toBeNull();
    expect(externalUrlToOpen('https://user:pw@host/')).toBeNull();
    expect(externalUrlToOpen('garbage')).toBeNull();
  });
});

describe('resolveAppFile', () => {
  const root = path.resolve('/srv/out/renderer');
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppFile('app://latent-lab/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://latent-lab/assets/a%20b.js?v=1', root)).toBe(path.join(root, 'assets', 'a b.js'));
  });
  it('refuses escapes and other hosts', () => {
    // The URL parser already folds "..", even percent-encoded, so these stay inside the folder.
    expect(resolveAppFile('app://latent-lab/../secret', root)).toBe(path.join(root, 'secret'));
    expect(resolveAppFile('app://latent-lab/%2e%2e/%2e%2e/etc/passwd', root)).toBe(path.join(root, 'etc', 'passwd'));
    // Encoded separators survive parsing and must be refused here.
    expect(resolveAppFile('app://latent-lab/..%2f..%2fetc%2fpasswd', root)).toBeNull();
    expect(resolveAppFile('app://latent-lab/a%5c..%5c..%5cx', root)).toBeNull();
    expect(resolveAppFile('app://latent-lab/a%00.js', root)).toBeNull();
    expect(resolveAppFile('app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('file:///etc/passwd', root)).toBeNull();
  });
  it('knows module script and style types', () => {
    expect(mimeTypeFor('x/index.js')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('x/a.CSS')).toMatch(/^text\/css/);
    expect(mimeTypeFor('x/blob.bin')).toBe('application/octet-stream');
  });
});
