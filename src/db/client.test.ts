/**
 * The driver layer's LISTEN/NOTIFY: subscribe, unsubscribe, and — on a PostgreSQL server — a
 * listening connection that is lost (server restart, idle kill) is re-established by itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { rows } from './client.ts';
import { createTestDb, driverUnderTest } from '../../test/harness.ts';

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('listen delivers notifications on commit; unsubscribing stops them', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const { database } = tdb;
  const a: string[] = [];
  const b: string[] = [];
  const offA = await database.listen('hs_test_chan', (p) => a.push(p));
  const offB = await database.listen('hs_test_chan', (p) => b.push(p));
  await database.db.execute(sql`SELECT pg_notify('hs_test_chan', 'one')`);
  await until(() => a.length === 1 && b.length === 1, 60_000, 'first notification');
  await offA();
  await database.db.execute(sql`SELECT pg_notify('hs_test_chan', 'two')`);
  await until(() => b.length === 2, 60_000, 'second notification');
  await offB();
  await database.db.execute(sql`SELECT pg_notify('hs_test_chan', 'three')`);
  await database.db.execute(sql`SELECT pg_notify('hs_test_chan_end', 'x')`);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(a, ['one']);
  assert.deepEqual(b, ['one', 'two']);
});

test('a lost LISTEN connection is re-established and keeps delivering', async (t) => {
  if (driverUnderTest() !== 'postgres') {
    t.skip('needs TEST_DATABASE_URL (the embedded database has no separate listening connection)');
    return;
  }
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const { database } = tdb;
  const got: string[] = [];
  await database.listen('hs_test_reconnect', (p) => got.push(p));
  const listeners = () =>
    rows<{ pid: number }>(database.db, sql`SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`);
  const [victim] = await listeners();
  assert.ok(victim, 'the listening connection is visible');
  await database.db.execute(sql`SELECT pg_terminate_backend(${victim.pid})`);
  let n = 0;
  await until(async () => {
    await database.db.execute(sql`SELECT pg_notify('hs_test_reconnect', ${`after-${++n}`})`);
    return got.some((g) => g.startsWith('after-'));
  }, 60_000, 'a notification after the listening connection was killed');
  const now = await listeners();
  assert.equal(now.length, 1, 'exactly one new listening connection');
  assert.notEqual(now[0]!.pid, victim.pid);
});
