// The latent explorer's contract messages: a trial's stored codes as a 2-D map with what each point is
// (label, reconstruction error, probe outcome), the images of chosen points, and a point's nearest codes.
import { z } from 'zod';
import { ProjectionMethod } from './schemas';

export const ExplorerPointsRequest = z.object({ trialId: z.number().int(), method: ProjectionMethod });

export const ExplorerPoints = z.object({
  trialId: z.number().int(),
  method: ProjectionMethod,
  latentSize: z.number().int(),
  /** [x, y] per stored code (validation images, up to the stored limit). */
  points: z.array(z.tuple([z.number(), z.number()])),
  labels: z.array(z.string().nullable()),
  /** Per-point reconstruction MSE; null for a trial trained before the explorer data was stored. */
  errors: z.array(z.number()).nullable(),
  /** The probe's predicted class per point (null: unlabeled image); null without a probe or for an older trial. */
  predicted: z.array(z.string().nullable()).nullable(),
  /** Dataset-relative file per point; null for an older trial. */
  files: z.array(z.string()).nullable(),
});

/** At most 200 points' images at once (a lasso's gallery shows the first ones). */
export const ExplorerImagesRequest = z.object({ trialId: z.number().int(), indices: z.array(z.number().int().min(0)).min(1).max(200) });

export const ExplorerImages = z.object({
  trialId: z.number().int(),
  images: z.array(
    z.object({
      index: z.number().int(),
      file: z.string(),
      /** PNG data URLs of the thumbnail (at most 32 pixels a side) and its reconstruction. */
      original: z.string(),
      reconstruction: z.string(),
      error: z.number(),
    }),
  ),
});

export const ExplorerNeighboursRequest = z.object({ trialId: z.number().int(), index: z.number().int().min(0), k: z.number().int().min(1).max(50) });

export const ExplorerNeighbours = z.object({
  trialId: z.number().int(),
  index: z.number().int(),
  /** Nearest first; Euclidean distance between the codes (the VAE's means). */
  neighbours: z.array(z.object({ index: z.number().int(), distance: z.number() })),
});

export type ExplorerPointsData = z.infer<typeof ExplorerPoints>;
export type ExplorerImagesData = z.infer<typeof ExplorerImages>;
export type ExplorerNeighboursData = z.infer<typeof ExplorerNeighbours>;
