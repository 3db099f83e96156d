import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';

/** The database the platform would use (takes the data-directory lock for the embedded driver). */
export const openFromConfig = (c: Config): Promise<Database> =>
  c.databaseUrl ? openDatabase({ url: c.databaseUrl, poolSize: 2 }) : openDatabase({ dataDir: c.dataDir });
