import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { useMessageKey } from './useMessageKey';
import type { ErrorCode } from '../../shared/errors';
import { toErrorInfo, type ErrorInfo } from '../api';

export interface ConfirmedWrite<Req, Res> {
  busy: Ref<boolean>;
  /** The last successful result and the request that gave it. */
  result: ShallowRef<{ request: Req; value: Res } | null>;
  error: Ref<ErrorInfo | null>;
  /** A request the engine refused because it would replace something: waiting for the user's answer. */
  pending: ShallowRef<Req | null>;
  run(request: Req): Promise<void>;
  /** "Replace": the pending request again, now allowed to replace. */
  confirm(): Promise<void>;
  cancel(): void;
}

/**
 * A write the engine refuses to do over what is already there (`refusal`: DEST_HOLDS_EARLIER for a bundle
 * folder, DEST_FILE_EXISTS for a file) until the user confirms; only then is the same call repeated with force.
 * Any other failure is shown as it is.
 */
export function useConfirmedWrite<Req, Res>(refusal: ErrorCode, call: (request: Req, force: boolean) => Promise<Res>): ConfirmedWrite<Req, Res> {
  const busy = ref(false);
  const result = shallowRef<{ request: Req; value: Res } | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const pending = shallowRef<Req | null>(null);

  async function attempt(request: Req, force: boolean): Promise<void> {
    error.value = null;
    result.value = null;
    busy.value = true;
    try {
      result.value = { request, value: await call(request, force) };
    } catch (err) {
      const info = toErrorInfo(err);
      if (!force && info.code === refusal) pending.value = request;
      else error.value = info;
    } finally {
      busy.value = false;
    }
  }

  return {
    busy,
    result,
    error,
    pending,
    run: (request) => attempt(request, false),
    async confirm() {
      const request = pending.value;
      pending.value = null;
      if (request !== null) await attempt(request, true);
    },
    cancel() {
      pending.value = null;
    },
  };
}

/**
 * A confirmed write into a folder the user types or picks (export, report): the folder field, its "choose a
 * folder" error (`chooseKey`, a message key) and the write itself, which runs only with a folder.
 */
export function useFolderWrite<Req extends { folder: string }, Res>(refusal: ErrorCode, chooseKey: string, call: (request: Req, force: boolean) => Promise<Res>) {
  const folder = ref('');
  const write = useConfirmedWrite(refusal, call);
  const { key: fieldErrorKey, text: fieldError } = useMessageKey();

  async function run(request: Omit<Req, 'folder'>): Promise<void> {
    const target = folder.value.trim();
    if (!target) {
      fieldErrorKey.value = chooseKey;
      return;
    }
    fieldErrorKey.value = null;
    await write.run({ ...request, folder: target } as Req);
  }

  return { folder, write, fieldError, run };
}
