import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useAppStore } from './app';

/** Exporting a finished trial's encoder (+ features) into a folder. */
export const useExportStore = defineStore('exporter', () => {
  const app = useAppStore();
  const folder = ref('');
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  const resultTrialId = ref<number | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const fieldError = ref<string | null>(null);

  async function exportEncoder(trialId: number): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldError.value = 'Choose a folder to export into.';
      return;
    }
    fieldError.value = null;
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

  async function browse(): Promise<void> {
    try {
      const picked = await app.pickFolder();
      if (picked) {
        folder.value = picked;
        fieldError.value = null;
      }
    } catch (err) {
      error.value = toErrorInfo(err);
    }
  }

  function clearResult(): void {
    result.value = null;
    resultTrialId.value = null;
    error.value = null;
  }

  return { folder, exporting, result, resultTrialId, error, fieldError, exportEncoder, browse, clearResult };
});
