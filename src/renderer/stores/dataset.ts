import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DatasetOptions } from '../../shared/schemas';
import type { Channels, DatasetProgress, DatasetSummary } from '../../shared/dto';
import { DEFAULT_PARAMS } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';
import { useApiEvent } from '../composables/useApiEvent';
import { useMessageKey } from '../composables/useMessageKey';

export const useDatasetStore = defineStore('dataset', () => {
  // What the user chose.
  const path = ref(readStored(STORAGE_KEYS.lastFolder) ?? '');
  const imageSize = ref<number>(DEFAULT_PARAMS.imageSize);
  const channels = ref<Channels>(DEFAULT_PARAMS.channels);

  // What the engine returned.
  const summary = ref<DatasetSummary | null>(null);
  const opening = ref(false);
  const progress = ref<DatasetProgress | null>(null);
  const error = ref<ErrorInfo | null>(null);
  /** The folder field's error. */
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  /** The chosen options differ from what was last opened (size, colour or folder changed). */
  const stale = computed(
    () =>
      summary.value !== null &&
      (summary.value.width !== imageSize.value || summary.value.channels !== channels.value || path.value.trim() !== summary.value.path),
  );

  useApiEvent('dataset.progress', (p) => {
    if (opening.value) progress.value = p;
  });

  async function open(): Promise<void> {
    const parsed = DatasetOptions.safeParse({ path: path.value.trim(), imageSize: imageSize.value, channels: channels.value });
    if (!parsed.success) {
      fieldErrorKey.value = parsed.error.issues[0]?.path[0] === 'path' ? 'dataset.form.chooseFolder' : 'dataset.form.checkOptions';
      return;
    }
    fieldErrorKey.value = null;
    error.value = null;
    opening.value = true;
    progress.value = null;
    try {
      const result = await getApi().invoke('dataset.open', parsed.data);
      summary.value = result;
      path.value = result.path;
      writeStored(STORAGE_KEYS.lastFolder, result.path);
    } catch (err) {
      error.value = toErrorInfo(err);
    } finally {
      opening.value = false;
      progress.value = null;
    }
  }

  async function useSample(): Promise<void> {
    error.value = null;
    fieldErrorKey.value = null;
    try {
      const result = await getApi().invoke('dataset.useSample', {});
      path.value = result.path;
    } catch (err) {
      error.value = toErrorInfo(err);
      return;
    }
    await open();
  }

  return { path, imageSize, channels, summary, opening, progress, error, fieldError, stale, open, useSample };
});
