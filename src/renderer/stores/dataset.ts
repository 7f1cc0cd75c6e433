import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DatasetOptions } from '../../shared/schemas';
import type { Channels, DatasetProgress, DatasetSummary } from '../../shared/dto';
import { DEFAULT_PARAMS } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from '../composables/useApiEvent';
import { useAppStore } from './app';

export const useDatasetStore = defineStore('dataset', () => {
  const app = useAppStore();

  // What the user chose.
  const path = ref('');
  const imageSize = ref<number>(DEFAULT_PARAMS.imageSize);
  const channels = ref<Channels>(DEFAULT_PARAMS.channels);

  // What the engine returned.
  const summary = ref<DatasetSummary | null>(null);
  const opening = ref(false);
  const progress = ref<DatasetProgress | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const fieldError = ref<string | null>(null);

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
      fieldError.value = parsed.error.issues[0]?.message ?? 'Check the dataset options.';
      return;
    }
    fieldError.value = null;
    error.value = null;
    opening.value = true;
    progress.value = null;
    try {
      const result = await getApi().invoke('dataset.open', parsed.data);
      summary.value = result;
      path.value = result.path;
    } catch (err) {
      error.value = toErrorInfo(err);
    } finally {
      opening.value = false;
      progress.value = null;
    }
  }

  async function useSample(): Promise<void> {
    error.value = null;
    fieldError.value = null;
    try {
      const result = await getApi().invoke('dataset.useSample', {});
      path.value = result.path;
    } catch (err) {
      error.value = toErrorInfo(err);
      return;
    }
    await open();
  }

  async function browse(): Promise<void> {
    try {
      const picked = await app.pickFolder();
      if (picked) {
        path.value = picked;
        fieldError.value = null;
      }
    } catch (err) {
      error.value = toErrorInfo(err);
    }
  }

  return { path, imageSize, channels, summary, opening, progress, error, fieldError, stale, open, useSample, browse };
});
