/**
 * `npm run demo` as operators run it (a child process): works on a fresh data directory (or a fresh
 * PostgreSQL database), adds nothing when run again (every table's row count unchanged), refuses
 * while the data directory is locked; `cli org list` shows the network.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { createTestDb, driverUnderTest, ROOT, tempDir, type TestDb } from '../../test/harness.ts';
import { openDatabase, rows, type Database } from '../db/client.ts';
import { acquireDirLock } from '../db/lockfile.ts';
import { DEMO_ORGS, DEMO_PASSWORD } from './data.ts';
import { DEMO_ADVISORIES, DEMO_PUBLICATIONS } from './advisories.ts';

const dirs: string[] = [];
let pgDb: TestDb | undefined;
after(async () => {
  await pgDb?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _omit, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...inherited, LOG_LEVEL: 'silent', ...env }, timeout: 120_000,
  });
}

async function counts(db: Database): Promise<Record<string, number>> {
  const tables = await rows<{ t: string }>(db.db, sql`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { t } of tables) out[t] = (await rows<{ n: number }>(db.db, sql.raw(`SELECT count(*)::int AS n FROM "${t}"`)))[0]!.n;
  return out;
}

test('npm run demo on a fresh store loads the network, and running it twice adds nothing', async () => {
  const dataDir = tempDir('demo');
  dirs.push(dataDir);
  const env: Record<string, string> = { DATA_DIR: dataDir };
  if (driverUnderTest() === 'postgres') {
    pgDb = await createTestDb({ migrated: false });
    env.DATABASE_URL = pgDb.url!;
  }
  const open = async () => (pgDb ? pgDb.database : openDatabase({ dataDir }));
  const close = async (db: Database) => { if (!pgDb) await db.close(); };

  const first = cli(['demo'], env);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`password: ${DEMO_PASSWORD}`));
  assert.match(first.stdout, /coordinator@demo\.example\.org/);
  let db = await open();
  const once = await counts(db);
  await close(db);
  assert.equal(once.organisations, DEMO_ORGS.length);
  assert.equal(once.countries, 249);
  assert.ok(once.membership_applications! >= 6);
  assert.ok(once.points_of_contact! >= 1);
  // Advisories written through the real workflow: the CLEAR and GREEN ones published (CSAF file each), one left in review.
  assert.equal(once.advisories, DEMO_ADVISORIES.length);
  assert.equal(once.csaf_documents, DEMO_ADVISORIES.filter((d) => d.target === 'published').length);
  assert.equal(once.publications, DEMO_PUBLICATIONS.length);

  const second = cli(['demo'], env);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /added: 0 organisations, 0 users, 0 memberships/);
  db = await open();
  assert.deepEqual(await counts(db), once);
  const [oas] = await rows<{ n: number }>(db.db, sql`SELECT count(*)::int AS n FROM countries WHERE oas_member`);
  assert.equal(oas!.n, 35);
  await close(db);

  const list = cli(['org', 'list'], env);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /NAME\s+TYPE\s+COUNTRY\s+MEMBERS/);
  assert.match(list.stdout, /Hemisphere Demo Hub \(fictional\)\s+hub\s+PA\s+1/);
  assert.match(list.stdout, new RegExp(`${DEMO_ORGS.length} organisation\\(s\\)`));
});

test('npm run demo refuses, with a clear message, while the platform holds the data directory', () => {
  const dataDir = tempDir('demo-locked');
  dirs.push(dataDir);
  const lock = acquireDirLock(dataDir);
  try {
    const r = cli(['demo'], { DATA_DIR: dataDir });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /Cannot load the demo network while the platform is running/);
    assert.ok(!fs.existsSync(`${dataDir}/pgdata/PG_VERSION`), 'nothing was created in the locked directory');
  } finally {
    lock.release();
  }
});
