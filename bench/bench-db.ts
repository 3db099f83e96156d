/**
 * A fresh, empty, migrated database for one benchmark run, on either driver: an embedded data
 * directory under .tmp/, or a new database on the PostgreSQL server at `pgUrl`. `drop()` removes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { TMP } from '../test/harness.ts';

export type BenchDb = { database: Database; dataDir: string; drop(): Promise<void> };

export async function openBenchDatabase(driver: 'pglite' | 'postgres', label: string, pgUrl: string): Promise<BenchDb> {
  fs.mkdirSync(TMP, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(TMP, `bench-${label}-`));
  let database: Database;
  let dropServerDb = async () => {};
  if (driver === 'postgres') {
    const name = `hs_bench_${label}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    database = await openDatabase({ url: u.toString() });
    dropServerDb = async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    database = await openDatabase({ dataDir, initInChild: true });
  }
  await migrate(database);
  return {
    database,
    dataDir,
    async drop() {
      await database.close().catch(() => {});
      await dropServerDb();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
