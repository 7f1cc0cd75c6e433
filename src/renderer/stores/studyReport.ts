import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ReportResult } from '../../shared/dto';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useMessageKey } from '../composables/useMessageKey';

/**
 * Writing a study's HTML report (+ trials.csv) into a folder (report.write). An earlier report of the same
 * name is replaced only after the user confirms (DEST_FILE_EXISTS, then the same call with force).
 */
export const useStudyReportStore = defineStore('studyReport', () => {
  const folder = ref('');
  const writing = ref(false);
  const result = ref<ReportResult | null>(null);
  const resultStudy = ref<string | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const pendingReplace = ref<{ study: string; folder: string } | null>(null);
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  async function run(study: string, target: string, force: boolean): Promise<void> {
    error.value = null;
    writing.value = true;
    try {
      result.value = await getApi().invoke('report.write', { study, folder: target, force });
      resultStudy.value = study;
    } catch (err) {
      const info = toErrorInfo(err);
      result.value = null;
      if (!force && info.code === 'DEST_FILE_EXISTS') pendingReplace.value = { study, folder: target };
      else error.value = info;
    } finally {
      writing.value = false;
    }
  }

  async function write(study: string): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldErrorKey.value = 'exports.report.chooseFolder';
      return;
    }
    fieldErrorKey.value = null;
    await run(study, target, false);
  }

  async function confirmReplace(): Promise<void> {
    const p = pendingReplace.value;
    pendingReplace.value = null;
    if (p) await run(p.study, p.folder, true);
  }

  function cancelReplace(): void {
    pendingReplace.value = null;
  }

  return { folder, writing, result, resultStudy, error, fieldError, pendingReplace, write, confirmReplace, cancelReplace };
});
