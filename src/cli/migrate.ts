import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openFromConfig } from './open.ts';

export const help = '  migrate                         apply pending database migrations';

export async function run(): Promise<number> {
  const database = await openFromConfig(loadConfig());
  try {
    const applied = await migrate(database);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
}
