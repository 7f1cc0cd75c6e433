// Serves the built renderer (out/renderer) from app://latent-lab/ instead of file://: a real origin for the
// CSP's 'self', for navigation checks and for the IPC sender check, and no access to the rest of the disk.
import { protocol, type Session } from 'electron';
import { APP_SCHEME, mimeTypeFor, resolveAppFile } from '../server/security';
import { readStaticFile } from '../server/staticFiles';

/** Must run before app 'ready'. Standard + secure: relative URLs, module scripts and 'self' work as on https. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppProtocol(ses: Session, rendererDir: string, csp: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = resolveAppFile(request.url, rendererDir);
    // A symbolic link inside the renderer folder is not followed out of it.
    const body = file ? await readStaticFile(file, rendererDir) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': mimeTypeFor(file),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  });
}
