/**
 * Migrations: applied once, even when several nodes start together on one PostgreSQL server;
 * a migration changed after it was applied is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { rows } from './client.ts';
import { migrate, MigrationMismatchError, readMigrations } from './migrate.ts';
import { createTestDb, driverUnderTest } from '../../test/harness.ts';
import { CHILD_TEST, spawnFixture } from '../../test/fixtures/child.ts';

const tags = () => readMigrations().map((m) => m.tag);

test('migrate applies every migration once and is a no-op afterwards', async (t) => {
  const tdb = await createTestDb({ migrated: false });
  t.after(() => tdb.drop());
  assert.deepEqual(await migrate(tdb.database), tags());
  assert.deepEqual(await migrate(tdb.database), []);
  const applied = await rows<{ tag: string }>(tdb.database.db, sql`SELECT tag FROM hs_migrations ORDER BY tag`);
  assert.deepEqual(applied.map((r) => r.tag), [...tags()].sort());
});

test('a migration changed after it was applied is refused and changes nothing', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const list = readMigrations();
  const target = list[list.length - 1]!;
  const modified = list.map((m) =>
    m.tag === target.tag ? { ...m, hash: `${m.hash.slice(0, -1)}x`, statements: ['CREATE TABLE should_not_exist (id int)'] } : m,
  );
  await assert.rejects(migrate(tdb.database, modified), (err: unknown) => {
    assert.ok(err instanceof MigrationMismatchError);
    assert.match(err.message, new RegExp(target.tag));
    return true;
  });
  const [exists] = await rows<{ r: string | null }>(tdb.database.db, sql`SELECT to_regclass('should_not_exist')::text AS r`);
  assert.equal(exists!.r, null);
  // A new migration after a changed one is not applied either (the whole run is one transaction).
  const withNew = [...modified, { tag: '9999_new', hash: 'h', statements: ['CREATE TABLE also_not (id int)'] }];
  await assert.rejects(migrate(tdb.database, withNew), MigrationMismatchError);
  const [n] = await rows<{ c: number }>(tdb.database.db, sql`SELECT count(*)::int AS c FROM hs_migrations WHERE tag = '9999_new'`);
  assert.equal(n!.c, 0);
});

test('four processes migrating one PostgreSQL database together apply each migration exactly once', CHILD_TEST, async (t) => {
  if (driverUnderTest() !== 'postgres') {
    t.skip('needs TEST_DATABASE_URL (concurrent migration is a property of a PostgreSQL server)');
    return;
  }
  const tdb = await createTestDb({ migrated: false });
  t.after(() => tdb.drop());
  const children = Array.from({ length: 4 }, () => spawnFixture('migrate.ts', { url: tdb.url }));
  t.after(() => children.forEach((c) => c.kill('SIGKILL')));
  await Promise.all(children.map((c) => c.waitForLine(/^READY$/)));
  for (const c of children) c.proc.stdin!.write('go\n');
  const results = await Promise.all(
    children.map(async (c) => {
      const line = await c.waitForLine(/^\{"applied"/);
      assert.equal((await c.exited).code, 0, c.stderr());
      return (JSON.parse(line) as { applied: string[] }).applied;
    }),
  );
  const appliers = results.filter((r) => r.length > 0);
  assert.equal(appliers.length, 1, `exactly one process applies: ${JSON.stringify(results)}`);
  assert.deepEqual(appliers[0], tags());
  const counts = await rows<{ tag: string; n: number }>(
    tdb.database.db,
    sql`SELECT tag, count(*)::int AS n FROM hs_migrations GROUP BY tag ORDER BY tag`,
  );
  assert.deepEqual(counts, [...tags()].sort().map((tag) => ({ tag, n: 1 })));
});
