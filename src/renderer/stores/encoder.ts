import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { EncodeResult } from '../../shared/dto';
import type { EventPayload } from '../../shared/contract';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { useMessageKey } from '../composables/useMessageKey';

export type EncodeFormat = 'csv' | 'npy';

/**
 * "Apply encoder to a folder": an exported bundle run on a folder of images (encode.apply), its progress
 * (encode.progress events of this run), the bad-file report and the files written. An existing output file is
 * replaced only after the user confirms (DEST_FILE_EXISTS, then the same call with force).
 */
export const useEncoderStore = defineStore('encoder', () => {
  const open = ref(false);
  const bundle = ref('');
  const data = ref('');
  const out = ref('');
  const format = ref<EncodeFormat>('csv');
  const running = ref(false);
  const progress = ref<EventPayload<'encode.progress'> | null>(null);
  const result = ref<EncodeResult | null>(null);
  const error = ref<ErrorInfo | null>(null);
  /** The output file the engine refused to replace, waiting for the user's answer. */
  const pendingReplace = ref<string | null>(null);
  const { key: missingKey, text: missing } = useMessageKey();
  /** The `out` of the run in progress: its events are the ones shown. */
  let runOut: string | null = null;

  useApiEvent('encode.progress', (p) => {
    if (running.value && p.out === runOut) progress.value = p;
  });

  const fraction = computed(() => {
    const p = progress.value;
    if (!p || p.total === 0) return null;
    // Decoding is most of the time for small encoders; encoding fills the second half.
    return p.phase === 'decode' ? (0.8 * p.done) / p.total : 0.8 + (0.2 * p.done) / p.total;
  });

  function show(bundleFolder?: string): void {
    if (bundleFolder) bundle.value = bundleFolder;
    open.value = true;
  }

  function close(): void {
    open.value = false;
  }

  async function run(force: boolean): Promise<void> {
    const request = { bundle: bundle.value.trim(), data: data.value.trim(), out: out.value.trim(), format: format.value, force };
    if (!request.bundle || !request.data || !request.out) {
      missingKey.value = 'exports.apply.missing';
      return;
    }
    missingKey.value = null;
    error.value = null;
    result.value = null;
    progress.value = null;
    running.value = true;
    runOut = request.out;
    try {
      result.value = await getApi().invoke('encode.apply', request);
    } catch (err) {
      const info = toErrorInfo(err);
      if (!force && info.code === 'DEST_FILE_EXISTS') pendingReplace.value = request.out;
      else error.value = info;
    } finally {
      running.value = false;
      runOut = null;
    }
  }

  async function confirmReplace(): Promise<void> {
    pendingReplace.value = null;
    await run(true);
  }

  function cancelReplace(): void {
    pendingReplace.value = null;
  }

  return { open, bundle, data, out, format, running, progress, fraction, result, error, missing, pendingReplace, show, close, run, confirmReplace, cancelReplace };
});
