// Reading a request body with a size limit. Past the limit the rest is read and dropped (up to a hard
// ceiling) so the client gets its 413 answer instead of a reset connection while it is still sending.
import type http from 'node:http';

export type BodyResult = { kind: 'ok'; text: string } | { kind: 'tooLarge' } | { kind: 'aborted' };

/** Beyond this many bytes the connection is cut instead: nobody sends that much to a local app by mistake. */
const DRAIN_CEILING = 256 * 1024 * 1024;

export function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_CEILING) req.destroy();
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size > limit ? { kind: 'tooLarge' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    // A client that goes away mid-body is not an error of ours; there is nobody left to answer.
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' });
    });
  });
}
