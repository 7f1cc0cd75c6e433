import { computed, ref, type Ref, type WritableComputedRef } from 'vue';
import { i18n } from '../i18n';

/**
 * A message kept as its i18n key and translated on read, so a language switch applies to a message already
 * shown. `text` reads the translation; writing null to it clears the message.
 */
export function useMessageKey(): { key: Ref<string | null>; text: WritableComputedRef<string | null> } {
  const key = ref<string | null>(null);
  const text = computed({
    get: () => (key.value ? i18n.global.t(key.value) : null),
    set: (v: string | null) => {
      if (v === null) key.value = null;
    },
  });
  return { key, text };
}
