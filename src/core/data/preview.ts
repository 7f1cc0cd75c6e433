// Thumbnails of a loaded dataset for the wizard: a few images of every class, as PNG data URLs.
import { encodePng } from './png';
import type { LoadedDataset } from './types';

export interface PreviewImage {
  file: string;
  /** Class name, or null for an unlabeled folder. */
  label: string | null;
  dataUrl: string;
}

/**
 * Picks up to `count` images round-robin across classes (first image of each class, then the second ...) so
 * every class shows even when one dominates. Unlabeled datasets are sampled evenly across the whole folder.
 */
export function previewImages(ds: LoadedDataset, count = 24): PreviewImage[] {
  const n = ds.files.length;
  const want = Math.max(0, Math.min(Math.floor(count), n));
  const picks: number[] = [];
  if (ds.classes.length === 0) {
    for (let k = 0; k < want; k++) picks.push(Math.floor((k * n) / want));
  } else {
    const byClass: number[][] = ds.classes.map(() => []);
    for (let i = 0; i < n; i++) if (ds.labels[i] >= 0) byClass[ds.labels[i]].push(i);
    for (let round = 0; picks.length < want; round++) {
      let any = false;
      for (const members of byClass) {
        if (round < members.length && picks.length < want) {
          picks.push(members[round]);
          any = true;
        }
      }
      if (!any) break;
    }
  }
  const per = ds.width * ds.height * ds.channels;
  return picks.map((i) => {
    const px = new Uint8Array(per);
    ds.images.read([i], px);
    return {
      file: ds.files[i],
      label: ds.labels[i] >= 0 ? ds.classes[ds.labels[i]] : null,
      dataUrl: `data:image/png;base64,${encodePng(px, ds.width, ds.height, ds.channels).toString('base64')}`,
    };
  });
}
