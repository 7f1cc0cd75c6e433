// A shared study's images live on every worker's machine: each copy must be the study's. The first worker to
// run records the fingerprint of its copy with the study; every later one compares its own before training.
import { DatasetError } from '../data/types';
import { fingerprintDifference, folderFingerprint } from '../data/folderFingerprint';
import { isSampleRef } from '../data/sample';
import { readStudyAttributes, writeStudyAttributes } from './attributes';
import type { Study } from './study';

/** Records the study's dataset fingerprint, or refuses (DATASET_DIFFERS) a local copy that differs from it. */
export async function checkStudyDataset(study: Study): Promise<'recorded' | 'same' | 'sample'> {
  const folder = study.spec.dataset.path;
  // The bundled sample is written the same way on every machine.
  if (isSampleRef(folder)) return 'sample';
  const local = await folderFingerprint(folder);
  // Read and written under the study's lock, so two first workers cannot record two different copies.
  return study.storage.exclusive(async (tx) => {
    const recorded = (await readStudyAttributes(tx, study.id)).datasetFingerprint;
    if (!recorded) {
      await writeStudyAttributes(tx, study.id, { datasetFingerprint: local });
      return 'recorded';
    }
    const difference = fingerprintDifference(recorded, local);
    if (difference) throw new DatasetError('DATASET_DIFFERS', { path: folder, detail: difference });
    return 'same';
  }, { studyId: study.id });
}
