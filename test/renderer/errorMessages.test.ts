// Every error code has a message in English and Chinese with the same parameters, and the renderer shows a
// contract error in the user's language from its code and parameters.
import { afterEach, describe, expect, it } from 'vitest';
import { codedText, ERROR_CODES, ERROR_MESSAGES, errorMessage, note, NOTE_CODES, NOTE_MESSAGES, type ErrorCode } from '../../src/shared/errors';
import { sayBackendNotes, sayCoded } from '../../src/renderer/i18n/coded';
import { createAppI18n, en, i18n, zh } from '../../src/renderer/i18n';
import { ApiError, toErrorInfo } from '../../src/renderer/api/apiError';

const placeholders = (s: string): string[] => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

/** A value for each placeholder of a message: its own name, so the output shows where each one went. */
const sampleParams = (code: ErrorCode): Record<string, string> =>
  Object.fromEntries(placeholders(ERROR_MESSAGES[code]).map((p) => [p, `<${p}>`]));

afterEach(() => {
  i18n.global.locale.value = 'en';
});

describe('error messages', () => {
  it('has a non-empty English and Chinese message for every code, with the same placeholders', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(30);
    for (const code of ERROR_CODES) {
      const a = en.errors[code];
      const b = zh.errors[code];
      expect(a?.trim(), `en ${code}`).toBeTruthy();
      expect(b?.trim(), `zh ${code}`).toBeTruthy();
      expect(placeholders(b), code).toEqual(placeholders(a));
      expect(b, `${code} is translated`).not.toBe(a);
    }
    expect(Object.keys(zh.errors).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('renders through vue-i18n exactly as the engine formats it (English), and fills every parameter in Chinese', () => {
    const { global } = createAppI18n('en');
    for (const code of ERROR_CODES) {
      const params = sampleParams(code);
      expect(global.t(`errors.${code}`, params), code).toBe(errorMessage(code, params));
    }
    global.locale.value = 'zh';
    for (const code of ERROR_CODES) {
      const text = global.t(`errors.${code}`, sampleParams(code));
      expect(text, code).not.toMatch(/\{\w+\}/);
      for (const p of placeholders(ERROR_MESSAGES[code])) expect(text, code).toContain(`<${p}>`);
    }
  });

  it('shows a contract error in the current language from its code and parameters', () => {
    const err = new ApiError('Trial 4 does not exist.', 'TRIAL_NOT_FOUND', { trialId: 4 });
    expect(toErrorInfo(err)).toEqual({ message: 'Trial 4 does not exist.', code: 'TRIAL_NOT_FOUND' });
    i18n.global.locale.value = 'zh';
    expect(toErrorInfo(err)).toEqual({ message: '试验 4 不存在。', code: 'TRIAL_NOT_FOUND' });
    const internal = ApiError.of('INTERNAL', { logFile: '/home/a/.local/share/latent-lab/logs/latent-lab.log' });
    expect(toErrorInfo(internal).message).toContain('/home/a/.local/share/latent-lab/logs/latent-lab.log');
  });

  it('keeps the words of an error whose code it does not know', () => {
    expect(toErrorInfo(new ApiError('Something odd.', 'FROM_A_NEWER_ENGINE'))).toEqual({ message: 'Something odd.', code: 'FROM_A_NEWER_ENGINE' });
  });

  it('has every note (why a file was skipped, the backend) in both languages, with the same placeholders, apart from the error codes', () => {
    for (const code of NOTE_CODES) {
      expect(ERROR_CODES as string[], code).not.toContain(code);
      const a = en.notes[code];
      const b = zh.notes[code];
      expect(a, code).toBe(NOTE_MESSAGES[code]);
      expect(b?.trim(), `zh ${code}`).toBeTruthy();
      expect(b, `${code} is translated`).not.toBe(a);
      expect(placeholders(b), code).toEqual(placeholders(a));
    }
    expect(Object.keys(zh.notes).sort()).toEqual([...NOTE_CODES].sort());
  });

  it('says a coded note or error in the current language, and the backend notes as one line', () => {
    const skipped = note('UNSUPPORTED_EXTENSION', { ext: 'bmp2' });
    expect(sayCoded(skipped)).toBe(codedText(skipped));
    expect(sayCoded(skipped)).toBe('not an image: unsupported extension .bmp2');
    const backend = [note('BACKEND_WASM_FMA'), note('BACKEND_NODE_MISSING')];
    expect(sayBackendNotes(backend)).toBe('wasm (WebAssembly, SIMD + FMA): tfjs-node is not installed (optional dependency)');
    i18n.global.locale.value = 'zh';
    expect(sayCoded(skipped)).toBe('不是图像：不支持的扩展名 .bmp2');
    expect(sayCoded({ code: 'TRIAL_NOT_FOUND', params: { trialId: 4 } })).toBe('试验 4 不存在。');
    expect(sayBackendNotes(backend)).toBe('wasm（WebAssembly，SIMD + FMA）：未安装 tfjs-node（可选依赖）');
    expect(sayBackendNotes([])).toBe('');
  });
});
