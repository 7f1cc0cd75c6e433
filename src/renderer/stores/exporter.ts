import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useMessageKey } from '../composables/useMessageKey';

/** Exporting a finished trial's encoder (+ features) into a folder. */
export const useExportStore = defineStore('exporter', () => {
  const folder = ref('');
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  const resultTrialId = ref<number | null>(null);
  const error = ref<ErrorInfo | null>(null);
  /** The folder field's error. */
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  async function exportEncoder(trialId: number): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldErrorKey.value = 'trials.export.chooseFolder';
      return;
    }
    fieldErrorKey.value = null;
    error.value = null;
    exporting.value = true;
    try {
      result.value = await getApi().invoke('export.encoder', { trialId, folder: target });
      resultTrialId.value = trialId;
    } catch (err) {
      error.value = toErrorInfo(err);
      result.value = null;
    } finally {
      exporting.value = false;
    }
  }

  function clearResult(): void {
    result.value = null;
    resultTrialId.value = null;
    error.value = null;
  }

  return { folder, exporting, result, resultTrialId, error, fieldError, exportEncoder, clearResult };
});
