import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { i18n } from '../i18n';
import { useAppStore } from './app';

/** Exporting a finished trial's encoder (+ features) into a folder. */
export const useExportStore = defineStore('exporter', () => {
  const app = useAppStore();
  const folder = ref('');
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  const resultTrialId = ref<number | null>(null);
  const error = ref<ErrorInfo | null>(null);
  /** Message key of the folder field's error; translated on read so a language switch applies. */
  const fieldErrorKey = ref<string | null>(null);
  const fieldError = computed({
    get: () => (fieldErrorKey.value ? i18n.global.t(fieldErrorKey.value) : null),
    set: (v: string | null) => {
      if (v === null) fieldErrorKey.value = null;
    },
  });

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

  async function browse(): Promise<void> {
    try {
      const picked = await app.pickFolder();
      if (picked) {
        folder.value = picked;
        fieldErrorKey.value = null;
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
