import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useMessageKey } from '../composables/useMessageKey';

/** A refused export whose folder holds an earlier bundle: the user is asked before it is replaced. */
export interface PendingReplace {
  trialId: number;
  folder: string;
}

/**
 * Exporting a finished trial's encoder (+ features) into a folder. When the folder holds an earlier bundle the
 * engine refuses (DEST_HOLDS_EARLIER); the store then waits for the user's answer and repeats the call with
 * force only on "Replace".
 */
export const useExportStore = defineStore('exporter', () => {
  const folder = ref('');
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  const resultTrialId = ref<number | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const pendingReplace = ref<PendingReplace | null>(null);
  /** The folder field's error. */
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  async function run(trialId: number, target: string, force: boolean): Promise<void> {
    error.value = null;
    exporting.value = true;
    try {
      result.value = await getApi().invoke('export.encoder', { trialId, folder: target, force });
      resultTrialId.value = trialId;
    } catch (err) {
      const info = toErrorInfo(err);
      result.value = null;
      if (!force && info.code === 'DEST_HOLDS_EARLIER') pendingReplace.value = { trialId, folder: target };
      else error.value = info;
    } finally {
      exporting.value = false;
    }
  }

  async function exportEncoder(trialId: number): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldErrorKey.value = 'trials.export.chooseFolder';
      return;
    }
    fieldErrorKey.value = null;
    await run(trialId, target, false);
  }

  /** "Replace": the same export again, allowed to replace the earlier bundle. */
  async function confirmReplace(): Promise<void> {
    const p = pendingReplace.value;
    pendingReplace.value = null;
    if (p) await run(p.trialId, p.folder, true);
  }

  function cancelReplace(): void {
    pendingReplace.value = null;
  }

  function clearResult(): void {
    result.value = null;
    resultTrialId.value = null;
    error.value = null;
  }

  return { folder, exporting, result, resultTrialId, error, fieldError, pendingReplace, exportEncoder, confirmReplace, cancelReplace, clearResult };
});
