import { migrate } from '../db/migrate.ts';
import { configOrExit, openConfigured, parseOptions, runCommand } from './args.ts';

const USAGE = '  migrate                         apply pending database migrations';
export const help = USAGE;

export async function run(args: string[] = []): Promise<number> {
  return runCommand(async () => {
    parseOptions(args, {}, USAGE);
    const database = await openConfigured(configOrExit());
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    } finally {
      await database.close();
    }
  });
}
