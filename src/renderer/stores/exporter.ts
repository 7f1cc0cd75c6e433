import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi } from '../api';
import { useConfirmedWrite } from '../composables/useConfirmedWrite';
import { useMessageKey } from '../composables/useMessageKey';

/**
 * Exporting a finished trial's encoder (+ features) into a folder. When the folder holds an earlier bundle the
 * engine refuses (DEST_HOLDS_EARLIER); the store then waits for the user's answer and repeats the call with
 * force only on "Replace".
 */
export const useExportStore = defineStore('exporter', () => {
  const folder = ref('');
  const write = useConfirmedWrite('DEST_HOLDS_EARLIER', (r: { trialId: number; folder: string }, force): Promise<ExportResult> =>
    getApi().invoke('export.encoder', { ...r, force }),
  );
  const result = computed(() => write.result.value?.value ?? null);
  const resultTrialId = computed(() => write.result.value?.request.trialId ?? null);
  /** The folder field's error. */
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  async function exportEncoder(trialId: number): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldErrorKey.value = 'trials.export.chooseFolder';
      return;
    }
    fieldErrorKey.value = null;
    await write.run({ trialId, folder: target });
  }

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
    exportEncoder,
    confirmReplace: write.confirm,
    cancelReplace: write.cancel,
    clearResult,
  };
});
