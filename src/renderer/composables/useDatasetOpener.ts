import { ref, shallowRef } from 'vue';
import type { DatasetProgress, DatasetSummary } from '../../shared/dto';
import { toErrorInfo, type ErrorInfo } from '../api';
import { useApiEvent } from './useApiEvent';

/**
 * Opening a dataset with the engine's progress (scan, decode, cache), as the Dataset page and the wizard's
 * preview both do: `opening` and `progress` while it runs, the `summary` it returned, or the `error`.
 */
export function useDatasetOpener() {
  const summary = shallowRef<DatasetSummary | null>(null);
  const opening = ref(false);
  const progress = shallowRef<DatasetProgress | null>(null);
  const error = shallowRef<ErrorInfo | null>(null);

  useApiEvent('dataset.progress', (p) => {
    if (opening.value) progress.value = p;
  });

  /**
   * Runs `task` (which asks the engine for the dataset, or resolves to null when there is nothing to open)
   * as the open operation; resolves to the summary now shown, or null when nothing was opened.
   */
  async function open(task: () => Promise<DatasetSummary | null>): Promise<DatasetSummary | null> {
    error.value = null;
    opening.value = true;
    progress.value = null;
    try {
      const result = await task();
      if (result) summary.value = result;
      return result;
    } catch (err) {
      error.value = toErrorInfo(err);
      return null;
    } finally {
      opening.value = false;
      progress.value = null;
    }
  }

  return { summary, opening, progress, error, open };
}
