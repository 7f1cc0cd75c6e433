// English and Chinese must have exactly the same message keys (every namespace), every literal key the
// renderer uses must exist, and every message must compile (vue-i18n's syntax reserves { } @ $ |).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppI18n, en, pickLocale, zh } from '../../src/renderer/i18n';

const rendererDir = fileURLToPath(new URL('../../src/renderer', import.meta.url));

/** Every leaf of a message tree as "a.b.c" -> text. */
function leaves(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof tree === 'string') {
    out.set(prefix, tree);
    return out;
  }
  if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'messages' ? [] : sourceFiles(p);
    return /\.(ts|vue)$/.test(e.name) ? [p] : [];
  });
}

const enKeys = leaves(en);
const zhKeys = leaves(zh);

describe('i18n messages', () => {
  it('has the same keys in English and Chinese, namespace by namespace', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const ns of Object.keys(en)) {
      const a = [...leaves((en as Record<string, unknown>)[ns]).keys()].sort();
      const b = [...leaves((zh as Record<string, unknown>)[ns]).keys()].sort();
      expect(b, `namespace ${ns}`).toEqual(a);
    }
  });

  it('has no empty message and keeps the same placeholders in both languages', () => {
    for (const [key, text] of enKeys) {
      const other = zhKeys.get(key) ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(other), key).toEqual(names(text));
      expect(other.split('|').length, `${key}: plural forms`).toBe(text.split('|').length);
    }
  });

  it('compiles every message in both languages without errors', () => {
    const i18n = createAppI18n('en');
    const t = i18n.global.t;
    for (const locale of ['en', 'zh'] as const) {
      i18n.global.locale.value = locale;
      for (const key of enKeys.keys()) {
        const params = { n: 2, count: 2, name: 'x', param: 'p', step: 's', message: 'm', value: 1, min: 0, max: 9, low: 1, high: 2, text: 't', sum: 1, suggestion: 1, what: 'w', state: 's', trials: 1, best: 1, total: 1, shown: 1, id: 1, epoch: 1, epochs: 1, batch: 1, batches: 1, eta: 1, folder: 'f', part: 'p', path: 'p', budget: 1, seconds: 1, perTrial: 1, workers: 1, params: 'p', loss: 'l', type: 't', done: 1, example: 'e', open: 'o', sample: 's', start: 's', page: 'p', newStudy: 'n', wizard: 'w', model: 'm', language: 'l' };
        const out = t(key, params);
        expect(out, `${locale}:${key}`).not.toBe(key);
        expect(out, `${locale}:${key}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('defines every literal key the renderer uses', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(rendererDir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:\bt|\$t|\bte)\(\s*'([\w.]+)'/g)) if (!enKeys.has(m[1])) missing.push(`${path.relative(rendererDir, file)}: ${m[1]}`);
      for (const m of text.matchAll(/keypath="([\w.]+)"/g)) if (!enKeys.has(m[1])) missing.push(`${path.relative(rendererDir, file)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('picks the stored language, else the system one', () => {
    expect(pickLocale('zh', ['en-US'])).toBe('zh');
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh');
    expect(pickLocale('fr', ['de-DE', 'en-GB'])).toBe('en');
    expect(pickLocale(null, [])).toBe('en');
  });
});
