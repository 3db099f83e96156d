import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { DataDirLockedError } from '../db/lockfile.ts';
import { blobStoreFor } from '../blobs/store.ts';
import { formatDemoSummary, loadDemo } from '../demo/load.ts';
import { openFromConfig } from './open.ts';

export const help = '  demo                            load the fictional demo network (idempotent; `npm run demo`)';

export async function run(): Promise<number> {
  const config = loadConfig();
  let database;
  try {
    database = await openFromConfig(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(`Cannot load the demo network while the platform is running.\n${err.message}\nOr start it with \`npm start -- --demo\`.`);
      return 3;
    }
    throw err;
  }
  try {
    await migrate(database);
    console.log(formatDemoSummary(await loadDemo(database.db, blobStoreFor(config.dataDir), { publish: config })));
    return 0;
  } finally {
    await database.close();
  }
}
