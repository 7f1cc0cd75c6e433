import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ReportResult } from '../../shared/dto';
import { getApi } from '../api';
import { useConfirmedWrite } from '../composables/useConfirmedWrite';
import { useMessageKey } from '../composables/useMessageKey';

/**
 * Writing a study's HTML report (+ trials.csv) into a folder (report.write). An earlier report of the same
 * name is replaced only after the user confirms (DEST_FILE_EXISTS, then the same call with force).
 */
export const useStudyReportStore = defineStore('studyReport', () => {
  const folder = ref('');
  const write = useConfirmedWrite('DEST_FILE_EXISTS', (r: { study: string; folder: string }, force): Promise<ReportResult> =>
    getApi().invoke('report.write', { ...r, force }),
  );
  const result = computed(() => write.result.value?.value ?? null);
  const resultStudy = computed(() => write.result.value?.request.study ?? null);
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  async function writeReport(study: string): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldErrorKey.value = 'exports.report.chooseFolder';
      return;
    }
    fieldErrorKey.value = null;
    await write.run({ study, folder: target });
  }

  return {
    folder,
    writing: write.busy,
    result,
    resultStudy,
    error: write.error,
    fieldError,
    pendingReplace: write.pending,
    write: writeReport,
    confirmReplace: write.confirm,
    cancelReplace: write.cancel,
  };
});
