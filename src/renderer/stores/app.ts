import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../shared/dto';
import { apiTransport, getApi, toErrorInfo, type ErrorInfo } from '../api';

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const loading = ref(false);
  const transport = apiTransport();

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      info.value = await getApi().invoke('app.info', {});
    } catch (err) {
      error.value = toErrorInfo(err);
    } finally {
      loading.value = false;
    }
  }

  /** Native folder picker (Electron only); resolves to null when cancelled or unavailable. */
  async function pickFolder(): Promise<string | null> {
    if (!info.value?.canPickFolder) return null;
    const { path } = await getApi().invoke('dialog.pickFolder', {});
    return path;
  }

  return { info, error, loading, transport, load, pickFolder };
});
