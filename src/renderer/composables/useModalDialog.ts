import { nextTick, ref, watch, type Ref } from 'vue';

/** A <dialog> shown modally while `open` is true (bind the returned ref to it with ref="dialog"). */
export function useModalDialog(open: Ref<boolean>): Ref<HTMLDialogElement | null> {
  const dialog = ref<HTMLDialogElement | null>(null);
  watch(
    open,
    async (isOpen) => {
      await nextTick();
      const d = dialog.value;
      if (!d) return;
      if (isOpen && !d.open) d.showModal();
      else if (!isOpen && d.open) d.close();
    },
    { immediate: true },
  );
  return dialog;
}
