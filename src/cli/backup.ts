/**
 * `backup --out FILE`: a consistent copy of the embedded database (PGlite `dumpDataDir('gzip')`,
 * a .tar.gz of its data directory), taken while holding the data-directory lock, so the platform
 * must be stopped. A PostgreSQL server is backed up with its own tools (pg_dump), not here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configOrExit, CliError, openConfigured, parseOptions, required, runCommand, UsageError } from './args.ts';

const USAGE = '  backup --out FILE.tar.gz        copy the embedded database to a file (platform stopped)';
export const help = USAGE;

export const pgdataOf = (dataDir: string): string => path.join(dataDir, 'pgdata');

export function hasDatabase(pgdata: string): boolean {
  return fs.existsSync(path.join(pgdata, 'PG_VERSION'));
}

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const opts = parseOptions(args, { out: 'string' }, USAGE);
    const out = path.resolve(required(opts.out, 'out', USAGE));
    if (fs.existsSync(out)) throw new UsageError(`${out} already exists; choose a new file name`, USAGE);
    if (!fs.existsSync(path.dirname(out))) throw new UsageError(`The folder ${path.dirname(out)} does not exist`, USAGE);
    const config = configOrExit();
    if (config.databaseUrl) {
      throw new CliError('DATABASE_URL is set: the data lives in a PostgreSQL server. Back it up with pg_dump ' +
        '(e.g. `pg_dump --format=custom --file=hemisphere.dump "$DATABASE_URL"`), not with this command.');
    }
    const pgdata = pgdataOf(config.dataDir);
    if (!hasDatabase(pgdata)) throw new CliError(`There is no embedded database in ${pgdata} to back up.`);
    const database = await openConfigured(config); // holds the data-directory lock until closed
    try {
      const dump = await database.pglite!.dumpDataDir('gzip');
      const tmp = `${out}.partial-${process.pid}`;
      fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
      fs.renameSync(tmp, out);
      console.log(`Backup written to ${out} (${(dump.size / 1048576).toFixed(1)} MiB). Restore it with: npm run cli -- restore --in ${out}`);
      if (!config.platformKeyPassphrase) {
        console.log(`Keep ${path.join(config.dataDir, 'platform-key.passphrase')} safe as well, apart from the backup: the platform's signing key,`
          + ' TOTP seeds and feed credentials in the database are sealed with it (on another machine, put it back there or set PLATFORM_KEY_PASSPHRASE).');
      }
      return 0;
    } finally {
      await database.close();
    }
  });
}
