import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { EncodeResult } from '../../shared/dto';
import type { EventPayload, MethodInput } from '../../shared/contract';
import { getApi } from '../api';
import { useConfirmedWrite } from '../composables/useConfirmedWrite';
import { useApiEvent } from '../composables/useApiEvent';
import { useMessageKey } from '../composables/useMessageKey';

export type EncodeFormat = 'csv' | 'npy';
type EncodeRequest = Omit<MethodInput<'encode.apply'>, 'force'>;

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
  const progress = ref<EventPayload<'encode.progress'> | null>(null);
  /** The `out` of the run in progress: its events are the ones shown. */
  let runOut: string | null = null;
  const write = useConfirmedWrite('DEST_FILE_EXISTS', (r: EncodeRequest, force): Promise<EncodeResult> => {
    progress.value = null;
    runOut = r.out;
    return getApi().invoke('encode.apply', { ...r, force });
  });
  const result = computed(() => write.result.value?.value ?? null);
  const { key: missingKey, text: missing } = useMessageKey();

  useApiEvent('encode.progress', (p) => {
    if (write.busy.value && p.out === runOut) progress.value = p;
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

  async function run(): Promise<void> {
    const request = { bundle: bundle.value.trim(), data: data.value.trim(), out: out.value.trim(), format: format.value };
    if (!request.bundle || !request.data || !request.out) {
      missingKey.value = 'exports.apply.missing';
      return;
    }
    missingKey.value = null;
    await write.run(request);
  }

  return {
    open,
    bundle,
    data,
    out,
    format,
    running: write.busy,
    progress,
    fraction,
    result,
    error: write.error,
    missing,
    pendingReplace: write.pending,
    show,
    close,
    run,
    confirmReplace: write.confirm,
    cancelReplace: write.cancel,
  };
});
