// Child process of the kill-during-export test and bench: exports two trials alternately into one folder,
// replacing it each time, until killed. Prints "looping" once the first export has finished.
import { openStorage } from '../../src/core/storage/sqlite';
import { exportTrial } from '../../src/core/export/exportBundle';
import type { DataLocations } from '../../src/core/paths';

async function main(): Promise<void> {
  const [locationsJson, idsCsv, folder] = process.argv.slice(2);
  const locations = JSON.parse(locationsJson) as DataLocations;
  const ids = idsCsv.split(',').map(Number);
  const storage = openStorage(locations.dbPath);
  for (let i = 0; ; i++) {
    await exportTrial({ storage, trialId: ids[i % ids.length], folder, force: true, locations, now: new Date(0) });
    if (i === 0) process.stdout.write('looping\n');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err));
  process.exit(1);
});
