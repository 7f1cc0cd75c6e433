// The renderer folder served under app:// (and by the bridge): URL paths map inside it, and a symbolic link
// inside it is not followed out of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../src/server/security';
import { decodeUrlPath, readStaticFile, staticFileFor } from '../../src/server/staticFiles';

let tmp: string;
let root: string;

/** What the app:// handler (src/main/appProtocol.ts) answers with for a URL, or null for 404. */
async function appProtocolBody(url: string): Promise<string | null> {
  const file = resolveAppFile(url, root);
  const body = file ? await readStaticFile(file, root) : null;
  return body ? body.toString('utf8') : null;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-static-'));
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'ok');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(tmp, 'home'));
  fs.writeFileSync(path.join(tmp, 'home', 'id_rsa'), 'private key');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'leak.txt'));
  fs.symlinkSync(path.join(tmp, 'home'), path.join(root, 'assets', 'home'));
  fs.symlinkSync(path.join(root, 'assets', 'app.js'), path.join(root, 'same.js'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('app:// and the bridge serve only files inside the renderer folder', () => {
  it('serves files and links that stay inside', async () => {
    expect(await appProtocolBody('app://latent-lab/')).toBe('<!doctype html>');
    expect(await appProtocolBody('app://latent-lab/assets/app.js')).toBe('ok');
    expect(await appProtocolBody('app://latent-lab/same.js')).toBe('ok');
  });

  it('does not follow a symbolic link out of the folder (file or folder link)', async () => {
    expect(await appProtocolBody('app://latent-lab/leak.txt')).toBeNull();
    expect(await appProtocolBody('app://latent-lab/assets/home/id_rsa')).toBeNull();
    expect(await readStaticFile(path.join(root, 'leak.txt'), root)).toBeNull();
  });

  it('answers null for folders, missing files and malformed escapes', async () => {
    expect(await appProtocolBody('app://latent-lab/assets')).toBeNull();
    expect(await appProtocolBody('app://latent-lab/nope.js')).toBeNull();
    expect(await appProtocolBody('app://latent-lab/%E0%A4%A')).toBeNull();
    expect(decodeUrlPath('/%E0%A4%A')).toBeNull();
    expect(decodeUrlPath('/a%20b')).toBe('/a b');
    expect(staticFileFor('/../x', root)).toBeNull();
  });
});
