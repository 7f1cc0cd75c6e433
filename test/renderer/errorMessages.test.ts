// Every error code has a message in English and Chinese with the same parameters, and the renderer shows a
// contract error in the user's language from its code and parameters.
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_MESSAGES, errorMessage, type ErrorCode } from '../../src/shared/errors';
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
});
