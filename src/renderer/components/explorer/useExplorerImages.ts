// Thumbnails of the explorer's points, fetched on demand (hover, neighbours, a lasso's gallery) in batches of
// up to 200 and kept for the trial: they never change. A batch asked for while others are in flight is not
// dropped; requests for indices already known or pending are not sent again.
import { shallowRef, triggerRef } from 'vue';
import { getApi, toErrorInfo, type ErrorInfo } from '../../api';
import type { ExplorerImagesData } from '../../../shared/explorerSchemas';

export type ExplorerImage = ExplorerImagesData['images'][number];
const BATCH = 200;

export function useExplorerImages(trialId: () => number) {
  const images = shallowRef(new Map<number, ExplorerImage>());
  const error = shallowRef<ErrorInfo | null>(null);
  const pending = new Set<number>();
  let forTrial = trialId();

  function reset(): void {
    forTrial = trialId();
    images.value = new Map();
    pending.clear();
    error.value = null;
  }

  async function ensure(indices: readonly number[]): Promise<void> {
    if (forTrial !== trialId()) reset();
    const want = [...new Set(indices)].filter((i) => !images.value.has(i) && !pending.has(i));
    for (let s = 0; s < want.length; s += BATCH) {
      const batch = want.slice(s, s + BATCH);
      batch.forEach((i) => pending.add(i));
      const asked = forTrial;
      try {
        const r = await getApi().invoke('explorer.images', { trialId: asked, indices: batch });
        if (asked !== forTrial) return;
        for (const img of r.images) images.value.set(img.index, img);
        triggerRef(images);
      } catch (err) {
        if (asked === forTrial) error.value = toErrorInfo(err);
        return;
      } finally {
        batch.forEach((i) => pending.delete(i));
      }
    }
  }

  return { images, error, ensure, reset };
}
