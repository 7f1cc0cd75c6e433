import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ReportResult } from '../../shared/dto';
import { getApi } from '../api';
import { useFolderWrite } from '../composables/useConfirmedWrite';

/**
 * Writing a study's HTML report (+ trials.csv) into a folder (report.write). An earlier report of the same
 * name is replaced only after the user confirms (DEST_FILE_EXISTS, then the same call with force).
 */
export const useStudyReportStore = defineStore('studyReport', () => {
  const { folder, write, fieldError, run } = useFolderWrite(
    'DEST_FILE_EXISTS',
    'exports.report.chooseFolder',
    (r: { study: string; folder: string }, force): Promise<ReportResult> => getApi().invoke('report.write', { ...r, force }),
  );
  const result = computed(() => write.result.value?.value ?? null);
  const resultStudy = computed(() => write.result.value?.request.study ?? null);

  return {
    folder,
    writing: write.busy,
    result,
    resultStudy,
    error: write.error,
    fieldError,
    pendingReplace: write.pending,
    write: (study: string) => run({ study }),
    confirmReplace: write.confirm,
    cancelReplace: write.cancel,
  };
});
