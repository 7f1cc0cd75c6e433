import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi } from '../api';
import { useFolderWrite } from '../composables/useConfirmedWrite';

/**
 * Exporting a finished trial's encoder (+ features) into a folder. When the folder holds an earlier bundle the
 * engine refuses (DEST_HOLDS_EARLIER); the store then waits for the user's answer and repeats the call with
 * force only on "Replace".
 */
export const useExportStore = defineStore('exporter', () => {
  const { folder, write, fieldError, run: exportEncoder } = useFolderWrite(
    'DEST_HOLDS_EARLIER',
    'trials.export.chooseFolder',
    (r: { trialId: number; folder: string }, force): Promise<ExportResult> => getApi().invoke('export.encoder', { ...r, force }),
  );
  const result = computed(() => write.result.value?.value ?? null);
  const resultTrialId = computed(() => write.result.value?.request.trialId ?? null);

  function clearResult(): void {
    write.result.value = null;
    write.error.value = null;
  }

  return {
    folder,
    exporting: write.busy,
    result,
    resultTrialId,
    error: write.error,
    fieldError,
    pendingReplace: write.pending,
    exportEncoder: (trialId: number) => exportEncoder({ trialId }),
    confirmReplace: write.confirm,
    cancelReplace: write.cancel,
    clearResult,
  };
});
