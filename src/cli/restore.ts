/**
 * `restore --in FILE [--force]`: replaces the embedded database with a backup made by `backup`.
 * The archive is first unpacked and opened in a side directory (so a bad file changes nothing),
 * then swapped in; an existing database is kept as pgdata.before-restore-<timestamp>. Refuses to
 * replace a non-empty database without --force, and runs under the data-directory lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDirLock, DataDirLockedError } from '../db/lockfile.ts';
import { CliError, configOrExit, EXIT, parseOptions, required, runCommand, UsageError } from './args.ts';
import { hasDatabase, pgdataOf } from './backup.ts';

const USAGE = '  restore --in FILE.tar.gz [--force]\n' +
  '                                  replace the embedded database with a backup (platform stopped; keeps the old one aside)';
export const help = USAGE;

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const opts = parseOptions(args, { in: 'string', force: 'flag' }, USAGE);
    const file = path.resolve(required(opts.in, 'in', USAGE));
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`No such file: ${file}`, USAGE);
    const config = configOrExit();
    if (config.databaseUrl) {
      throw new CliError('DATABASE_URL is set: restore a PostgreSQL server with pg_restore (or psql for a plain dump), not with this command.');
    }
    let lock;
    try {
      lock = acquireDirLock(config.dataDir);
    } catch (err) {
      if (err instanceof DataDirLockedError) {
        throw new CliError(`${err.message}\nStop the platform before restoring.`, EXIT.locked);
      }
      throw err;
    }
    try {
      const pgdata = pgdataOf(config.dataDir);
      const existing = fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0;
      if (existing && !opts.force) {
        throw new CliError(`${pgdata} already holds a database. Re-run with --force to replace it (it will be kept as pgdata.before-restore-<timestamp>).`);
      }
      const staging = `${pgdata}.restoring-${process.pid}`;
      fs.rmSync(staging, { recursive: true, force: true });
      try {
        const client = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([fs.readFileSync(file)]) });
        try {
          await client.query('SELECT count(*) FROM hs_migrations');
        } finally {
          await client.close();
        }
      } catch (err) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new CliError(`${file} is not a usable Hemisphere backup (${(err as Error).message}); nothing was changed.`);
      }
      if (!hasDatabase(staging)) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new CliError(`${file} is not a usable Hemisphere backup; nothing was changed.`);
      }
      let keptAs: string | null = null;
      if (existing) {
        keptAs = `${pgdata}.before-restore-${stamp()}`;
        fs.renameSync(pgdata, keptAs);
      } else {
        fs.rmSync(pgdata, { recursive: true, force: true });
      }
      fs.renameSync(staging, pgdata);
      console.log(`Restored ${file} into ${pgdata}.${keptAs ? ` The previous database was kept as ${keptAs}.` : ''}`);
      return 0;
    } finally {
      lock.release();
    }
  });
}
