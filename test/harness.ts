/**
 * Test harness. Each test file gets its own freshly migrated database:
 *  - embedded (default): a PGlite instance loaded from a migrated template dump (made once per
 *    migration set and cached under .tmp/, so files do not each pay initdb + migrations);
 *  - PostgreSQL server when TEST_DATABASE_URL is set: a new database cloned from a migrated template
 *    database (CREATE DATABASE … TEMPLATE), dropped when the file ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { loadConfig, testDatabaseUrl, type Config } from '../src/config.ts';
import { startPlatform, type Platform } from '../src/platform.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TMP = path.join(ROOT, '.tmp');
export const SHARED_TESTDATA = path.resolve(ROOT, '../shared/testdata');

const migrationsKey = () =>
  crypto.createHash('sha256').update(readMigrations().map((m) => m.hash).join(',')).digest('hex').slice(0, 12);

export type TestDb = { database: Database; url?: string; drop(): Promise<void> };

export function driverUnderTest(): 'pglite' | 'postgres' {
  return testDatabaseUrl() ? 'postgres' : 'pglite';
}

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(TMP, `pglite-template-${migrationsKey()}.tar.gz`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const db = await openDatabase({ memory: true });
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('gzip');
  await db.close();
  fs.mkdirSync(TMP, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return dump;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function pgTemplate(adminUrl: string): Promise<string> {
  const name = `hs_template_${migrationsKey()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(7224601099)');
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE ${name}`);
      const db = await openDatabase({ url: withDatabase(adminUrl, name), poolSize: 1 });
      await migrate(db);
      await db.close();
    }
    await admin.query('SELECT pg_advisory_unlock(7224601099)');
  } finally {
    await admin.end();
  }
  return name;
}

/** A fresh, migrated database of the driver under test, private to the caller. */
export async function createTestDb(opts: { migrated?: boolean } = {}): Promise<TestDb> {
  const adminUrl = testDatabaseUrl();
  const migrated = opts.migrated !== false;
  if (!adminUrl) {
    const database = migrated
      ? await openDatabase({ memory: true, loadDataDir: await pgliteTemplate() })
      : await openDatabase({ memory: true });
    return { database, drop: () => database.close() };
  }
  const name = `hs_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if (migrated) {
      const template = await pgTemplate(adminUrl);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } else {
      await admin.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url });
  return {
    database,
    url,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

/** A scratch directory under .tmp, removed by the caller's cleanup. */
export function tempDir(prefix: string): string {
  fs.mkdirSync(TMP, { recursive: true });
  return fs.mkdtempSync(path.join(TMP, `${prefix}-`));
}

export type TestPlatform = Platform & { config: Config; testDb: TestDb; close(): Promise<void> };

/** The whole platform on a fresh database, listening on a random port. */
export async function startTestPlatform(env: Record<string, string> = {}, overrides: Partial<Config> = {}): Promise<TestPlatform> {
  const testDb = await createTestDb();
  const dataDir = tempDir('platform');
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '50', ...env },
    { port: 0, host: '127.0.0.1', ...overrides },
  );
  const platform = await startPlatform(config, { database: testDb.database, logger: pino({ level: 'silent' }) });
  const address = platform.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    ...platform,
    url,
    config,
    testDb,
    async close() {
      await platform.stop();
      await testDb.drop().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Skip message for conformance tests when the third-party data is absent. */
export function testdataPath(...parts: string[]): string | null {
  const p = path.join(SHARED_TESTDATA, ...parts);
  return fs.existsSync(p) ? p : null;
}

export { PGlite };

/** A response body as loosely typed JSON (tests assert on its shape). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (r: Response): Promise<any> => r.json();
