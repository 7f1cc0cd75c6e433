import type { DatasetSummary } from '../../../shared/dto';

export type PreviewImage = DatasetSummary['preview'][number];
export type FileFailure = DatasetSummary['failures'][number];
