import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DatasetOptions } from '../../shared/schemas';
import type { Channels, DatasetOptions as DatasetOptionsValue, DatasetSummary } from '../../shared/dto';
import { DEFAULT_PARAMS } from '../../shared/dto';
import { getApi } from '../api';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage';
import { useDatasetOpener } from '../composables/useDatasetOpener';
import { useMessageKey } from '../composables/useMessageKey';

export const useDatasetStore = defineStore('dataset', () => {
  // What the user chose.
  const path = ref(readStored(STORAGE_KEYS.lastFolder) ?? '');
  const imageSize = ref<number>(DEFAULT_PARAMS.imageSize);
  const channels = ref<Channels>(DEFAULT_PARAMS.channels);

  // What the engine returned.
  const opener = useDatasetOpener();
  const { summary, opening, progress, error } = opener;
  /** The folder field's error. */
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  /** The chosen options differ from what was last opened (size, colour or folder changed). */
  const stale = computed(
    () =>
      summary.value !== null &&
      (summary.value.width !== imageSize.value || summary.value.channels !== channels.value || path.value.trim() !== summary.value.path),
  );

  /** The chosen options as the engine takes them, or null with the field's error set. */
  function checkedOptions(): DatasetOptionsValue | null {
    const parsed = DatasetOptions.safeParse({ path: path.value.trim(), imageSize: imageSize.value, channels: channels.value });
    if (!parsed.success) {
      fieldErrorKey.value = parsed.error.issues[0]?.path[0] === 'path' ? 'dataset.form.chooseFolder' : 'dataset.form.checkOptions';
      return null;
    }
    fieldErrorKey.value = null;
    return parsed.data;
  }

  function remember(result: DatasetSummary | null): void {
    if (!result) return;
    path.value = result.path;
    writeStored(STORAGE_KEYS.lastFolder, result.path);
  }

  async function open(): Promise<void> {
    const options = checkedOptions();
    if (options) remember(await opener.open(() => getApi().invoke('dataset.open', options)));
  }

  /** The sample, busy from the first moment: its PNGs are written once before it can be opened (issue 14 defect 7). */
  async function useSample(): Promise<void> {
    fieldErrorKey.value = null;
    remember(
      await opener.open(async () => {
        path.value = (await getApi().invoke('dataset.useSample', {})).path;
        const options = checkedOptions();
        return options ? getApi().invoke('dataset.open', options) : null;
      }),
    );
  }

  return { path, imageSize, channels, summary, opening, progress, error, fieldError, stale, open, useSample };
});
