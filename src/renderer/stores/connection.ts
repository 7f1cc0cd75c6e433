import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StorageInfo } from '../../shared/connectionSchemas';
import { getApi, toErrorInfo, type ErrorInfo } from '../api';
import { useStudyListStore } from './studyList';
import { useTrialsStore } from './trials';
import { useUiStore } from './ui';

/**
 * Which study database the app works with: this computer's, or a shared one on a PostgreSQL server
 * (storage.connect). The password typed in the form is sent once and cleared; it is never shown again.
 */
export const useConnectionStore = defineStore('connection', () => {
  const info = ref<StorageInfo | null>(null);
  const open = ref(false);
  const url = ref('');
  const password = ref('');
  const remember = ref(false);
  const busy = ref(false);
  const error = ref<ErrorInfo | null>(null);

  async function load(): Promise<void> {
    try {
      info.value = await getApi().invoke('storage.current', {});
    } catch (err) {
      error.value = toErrorInfo(err);
    }
  }

  /** Everything shown comes from the database in use: lists are read again, an open study is closed. */
  async function switched(next: StorageInfo): Promise<void> {
    info.value = next;
    await useUiStore().openStudy(null);
    void useStudyListStore().refresh();
    void useTrialsStore().refresh();
  }

  async function run(call: () => Promise<StorageInfo>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      await switched(await call());
      return true;
    } catch (err) {
      error.value = toErrorInfo(err);
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function connect(): Promise<void> {
    const given = password.value;
    password.value = '';
    if (await run(() => getApi().invoke('storage.connect', { url: url.value.trim(), password: given || undefined, remember: remember.value }))) open.value = false;
  }

  const disconnect = (): Promise<boolean> => run(() => getApi().invoke('storage.disconnect', {}));

  function show(): void {
    error.value = null;
    open.value = true;
    void load();
  }

  return { info, open, url, password, remember, busy, error, load, connect, disconnect, show, close: () => (open.value = false) };
});
