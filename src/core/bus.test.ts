/**
 * The event bus: ids only, sent when the publishing transaction commits — across processes on
 * PostgreSQL (LISTEN/NOTIFY), within the process on the embedded database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, publish, type BusMessage } from './bus.ts';
import { inTx } from './context.ts';
import { createTestDb, driverUnderTest } from '../../test/harness.ts';
import { CHILD_TEST, spawnFixture } from '../../test/fixtures/child.ts';

async function until(cond: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('in-process: committed publishes reach subscribers, rolled-back ones do not', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const bus = new EventBus(tdb.database);
  await bus.start();
  t.after(() => bus.stop());
  const got: BusMessage[] = [];
  const all: BusMessage[] = [];
  bus.subscribe('test.thing', (m) => got.push(m));
  bus.subscribe('*', (m) => all.push(m));
  bus.subscribe('test.thing', () => {
    throw new Error('a failing subscriber does not stop the others');
  });

  await assert.rejects(
    inTx(tdb.database.db, async (tx) => {
      await publish(tx, { topic: 'test.thing', id: 'rolled-back' });
      throw new Error('change failed');
    }),
    /change failed/,
  );
  await inTx(tdb.database.db, async (tx) => {
    await publish(tx, { topic: 'test.thing', id: 'committed', scope: 'org' });
    assert.deepEqual(got, [], 'nothing is sent before commit');
  });
  await inTx(tdb.database.db, (tx) => publish(tx, { topic: 'test.other', id: 'marker' }));
  await until(() => all.length >= 2, 60_000, 'bus messages');
  assert.deepEqual(got, [{ topic: 'test.thing', id: 'committed', scope: 'org' }]);
  assert.deepEqual(all.map((m) => m.id), ['committed', 'marker']);
});

test('messages carry ids only: a large payload is refused', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  await assert.rejects(
    inTx(tdb.database.db, (tx) => publish(tx, { topic: 'test.thing', id: 'x'.repeat(10_000) })),
    /ids only/,
  );
});

test('cross-process: another process publishes inside its transactions, this one receives the committed ids', CHILD_TEST, async (t) => {
  if (driverUnderTest() !== 'postgres') {
    t.skip('needs TEST_DATABASE_URL (cross-process NOTIFY is a PostgreSQL server property)');
    return;
  }
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const bus = new EventBus(tdb.database);
  await bus.start();
  t.after(() => bus.stop());
  const topic = `test.cross.${crypto.randomUUID().slice(0, 8)}`;
  const got: string[] = [];
  let ended = false;
  bus.subscribe(topic, (m) => got.push(m.id));
  bus.subscribe('test.end', (m) => {
    if (m.id === topic) ended = true;
  });
  const committed = [crypto.randomUUID(), crypto.randomUUID()];
  const rolledBack = [crypto.randomUUID()];
  const child = spawnFixture('bus-publish.ts', { url: tdb.url, topic, committed, rolledBack });
  t.after(() => child.kill('SIGKILL'));
  assert.equal((await child.exited).code, 0, child.stderr());
  await until(() => ended, 60_000, 'the end marker from the child');
  assert.deepEqual(got, committed);
});
