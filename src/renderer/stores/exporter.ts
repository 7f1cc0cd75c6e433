import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ExportResult } from '../../shared/dto';
import { getApi } from '../api';
import { useFolderWrite } from '../composables/useConfirmedWrite';

/**
 * What export panels share: the folder of the last export that was written, offered as the next panel's
 * starting folder (the user exports a trial, then its refit, next to each other).
 */
export const useExportStore = defineStore('exporter', () => {
  const lastFolder = ref('');
  return { lastFolder };
});

/**
 * One export panel's state: exporting a finished trial's encoder (+ features) into a folder. Each panel has
 * its own folder field, progress, error and result, so a page with two panels (a trial's and a refit's) never
 * shows one panel's error or folder in the other. When the folder holds an earlier bundle the engine refuses
 * (DEST_HOLDS_EARLIER); the panel then waits for the user's answer and repeats the call with force only on
 * "Replace".
 */
export function useTrialExport() {
  const shared = useExportStore();
  const { folder, write, fieldError, run } = useFolderWrite(
    'DEST_HOLDS_EARLIER',
    'trials.export.chooseFolder',
    (r: { trialId: number; folder: string }, force): Promise<ExportResult> => getApi().invoke('export.encoder', { ...r, force }),
  );
  folder.value = shared.lastFolder;
  const result = computed(() => write.result.value?.value ?? null);
  const resultTrialId = computed(() => write.result.value?.request.trialId ?? null);

  async function exportEncoder(trialId: number): Promise<void> {
    await run({ trialId });
    if (write.result.value) shared.lastFolder = write.result.value.request.folder;
  }
  async function confirmReplace(): Promise<void> {
    await write.confirm();
    if (write.result.value) shared.lastFolder = write.result.value.request.folder;
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
    confirmReplace,
    cancelReplace: write.cancel,
  };
}
