/**
 * The outbox delivers each event exactly once in effect: a worker killed mid-delivery leaves its
 * lease to expire and another process delivers the same message (same Message-ID) — the SMTP peer
 * accepts it once; failures retry with backoff and end 'dead'; parallel workers never double-deliver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { backoffDelay, enqueue, OutboxWorker, type OutboxEvent } from './outbox.ts';
import { outboxEvents } from './tables.ts';
import { inTx } from './context.ts';
import { openDatabase, rows, type Database } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { queueMail } from '../mail/mailer.ts';
import { createTestDb, driverUnderTest, tempDir } from '../../test/harness.ts';
import { startSmtpSink } from '../../test/smtp.ts';
import { CHILD_TEST, spawnFixture } from '../../test/fixtures/child.ts';

const eventRow = async (database: Database, id: string) =>
  (await database.db.select().from(outboxEvents).where(eq(outboxEvents.id, id)))[0]!;

test('a worker process killed while the SMTP server holds DATA: the next process delivers the message exactly once', CHILD_TEST, async (t) => {
  const sink = await startSmtpSink({ holdData: (i) => (i === 0 ? 3000 : 0) });
  t.after(() => sink.close());
  const children: ReturnType<typeof spawnFixture>[] = [];
  t.after(() => children.forEach((c) => c.kill('SIGKILL')));

  // The database the worker processes share: a PostgreSQL database, or one embedded data directory.
  let where: { url?: string; dataDir?: string };
  let reopen: () => Promise<Database>;
  let eventId: string;
  const mail = { to: 'soc@example.org', subject: 'Exactly once', text: 'Delivered once, even across a crash.' };
  if (driverUnderTest() === 'postgres') {
    const tdb = await createTestDb();
    t.after(() => tdb.drop());
    eventId = await inTx(tdb.database.db, (tx) => queueMail(tx, mail));
    where = { url: tdb.url };
    reopen = async () => tdb.database;
  } else {
    const dataDir = tempDir('outbox-crash');
    t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const database = await openDatabase({ dataDir });
    await migrate(database);
    eventId = await inTx(database.db, (tx) => queueMail(tx, mail));
    await database.close(); // the worker processes take the lock in turn
    where = { dataDir };
    reopen = () => openDatabase({ dataDir });
  }
  const workerArgs = { ...where, smtpUrl: sink.url, leaseSeconds: 2, pollMs: 50, maxAttempts: 5 };

  const first = spawnFixture('outbox-worker.ts', workerArgs);
  children.push(first);
  await first.waitForLine(/^STARTED$/);
  await sink.waitForData(1); // the message is on the wire; the sink holds its answer
  first.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL');

  const second = spawnFixture('outbox-worker.ts', workerArgs);
  children.push(second);
  await second.waitForLine(/^STARTED$/);
  await sink.waitFor(1);
  second.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, second.stderr());

  assert.equal(sink.dataReceived, 2, 'the message was transmitted twice (once to a dead sender)');
  assert.equal(sink.messages.length, 1, 'and accepted once');
  const [msg] = sink.messages;
  assert.equal(msg!.messageId, `<${eventId}@hemisphere.test>`);
  assert.equal(msg!.email.subject, 'Exactly once');
  assert.deepEqual(msg!.envelope.to, ['soc@example.org']);

  const database = await reopen();
  if (driverUnderTest() === 'pglite') t.after(() => database.close());
  const ev = await eventRow(database, eventId);
  assert.equal(ev.status, 'done');
  assert.equal(ev.attempts, 2);
  assert.equal(ev.lockedUntil, null);
});

test('a failing handler is retried with exponential backoff and ends dead after maxAttempts', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const database = tdb.database;
  const seen: OutboxEvent[] = [];
  const errors: string[] = [];
  const worker = new OutboxWorker(database, {
    leaseSeconds: 30, pollMs: 1000, maxAttempts: 3, backoffMs: 60_000,
    onError: (ev, err) => errors.push(`${ev.id}:${(err as Error).message}`),
  });
  worker.on('test.flaky', async (ev) => {
    seen.push(ev);
    throw new Error(`smtp down (attempt ${ev.attempts})`);
  });
  const id = await inTx(database.db, (tx) => enqueue(tx, 'test.flaky', { n: 1 }));
  const due = () => database.db.update(outboxEvents).set({ availableAt: new Date(Date.now() - 1000) }).where(eq(outboxEvents.id, id));
  const waitSeconds = async () =>
    (await rows<{ s: number }>(database.db, sql`SELECT extract(epoch FROM available_at - now())::float8 AS s FROM outbox_events WHERE id = ${id}`))[0]!.s;

  for (let attempt = 1; attempt <= 3; attempt++) {
    assert.equal(await worker.runOnce(), 1, `attempt ${attempt} runs`);
    const ev = await eventRow(database, id);
    assert.equal(ev.attempts, attempt);
    assert.equal(ev.lastError, `smtp down (attempt ${attempt})`);
    assert.equal(ev.lockedUntil, null);
    if (attempt < 3) {
      assert.equal(ev.status, 'pending');
      const wait = await waitSeconds();
      const expected = backoffDelay(attempt, 60_000) / 1000;
      assert.ok(wait > expected - 10 && wait <= expected + 1, `backoff after attempt ${attempt}: ${wait}s, expected ~${expected}s`);
      assert.equal(await worker.runOnce(), 0, 'not retried before its backoff has passed');
      await due();
    } else {
      assert.equal(ev.status, 'dead');
    }
  }
  await due();
  assert.equal(await worker.runOnce(), 0, 'a dead event is never retried');
  assert.deepEqual(seen.map((e) => [e.id, e.attempts]), [[id, 1], [id, 2], [id, 3]]);
  assert.deepEqual(seen[0]!.payload, { n: 1 });
  assert.equal(errors.length, 3);

  assert.equal(backoffDelay(1, 2000), 2000);
  assert.equal(backoffDelay(4, 2000), 16_000);
  assert.equal(backoffDelay(40, 2000), 3_600_000, 'capped at one hour');
});

test('an event enqueued in a rolled-back transaction is never delivered', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const delivered: string[] = [];
  const worker = new OutboxWorker(tdb.database, { leaseSeconds: 30, pollMs: 1000, maxAttempts: 3 });
  worker.on('test.tx', async (ev) => void delivered.push(ev.id));
  await assert.rejects(
    inTx(tdb.database.db, async (tx) => {
      await enqueue(tx, 'test.tx', { n: 'rolled back' });
      throw new Error('command failed');
    }),
    /command failed/,
  );
  const kept = await inTx(tdb.database.db, (tx) => enqueue(tx, 'test.tx', { n: 'committed' }));
  while ((await worker.runOnce()) > 0) {
    /* drain */
  }
  assert.deepEqual(delivered, [kept]);
  const ev = await eventRow(tdb.database, kept);
  assert.equal(ev.status, 'done');
  assert.ok(ev.doneAt instanceof Date);
});

test('parallel workers deliver each of 200 events exactly once (FOR UPDATE SKIP LOCKED)', CHILD_TEST, async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const pg = driverUnderTest() === 'postgres';
  // On PostgreSQL two nodes, each with its own pool; the embedded database has a single connection.
  const nodes: Database[] = [tdb.database];
  if (pg) {
    const second = await openDatabase({ url: tdb.url!, poolSize: 4 });
    t.after(() => second.close());
    nodes.push(second);
  }
  const ids = await inTx(tdb.database.db, async (tx) => {
    const out: string[] = [];
    for (let i = 0; i < 200; i++) out.push(await enqueue(tx, 'test.parallel', { i }));
    return out;
  });
  const deliveries = new Map<string, number>();
  const byWorker = nodes.map(() => 0);
  const workers = nodes.map((database, w) =>
    new OutboxWorker(database, { leaseSeconds: 60, pollMs: 20, maxAttempts: 3, batch: 10 }).on('test.parallel', async (ev) => {
      deliveries.set(ev.id, (deliveries.get(ev.id) ?? 0) + 1);
      byWorker[w]!++;
      await new Promise((r) => setTimeout(r, 2));
    }),
  );
  await Promise.all(workers.map((w) => w.start()));
  const deadline = Date.now() + 300_000; // bounds a hang only
  for (;;) {
    const [r] = await rows<{ done: number }>(tdb.database.db, sql`SELECT count(*)::int AS done FROM outbox_events WHERE topic = 'test.parallel' AND status = 'done'`);
    if (r!.done === 200) break;
    assert.ok(Date.now() < deadline, `only ${r!.done} of 200 delivered`);
    await new Promise((res) => setTimeout(res, 50));
  }
  await Promise.all(workers.map((w) => w.stop()));
  assert.equal(deliveries.size, 200);
  assert.deepEqual([...deliveries.values()].filter((n) => n !== 1), [], 'no event delivered twice');
  assert.deepEqual(new Set(deliveries.keys()), new Set(ids));
  const [att] = await rows<{ max: number }>(tdb.database.db, sql`SELECT max(attempts)::int AS max FROM outbox_events WHERE topic = 'test.parallel'`);
  assert.equal(att!.max, 1);
  if (pg) assert.ok(byWorker.every((n) => n > 0), `both workers took part: ${byWorker.join(' / ')}`);
});

test('an event whose worker died on its last allowed attempt is marked dead, not claimed forever', async (t) => {
  const tdb = await createTestDb();
  t.after(() => tdb.drop());
  const database = tdb.database;
  const delivered: string[] = [];
  const worker = new OutboxWorker(database, { leaseSeconds: 30, pollMs: 1000, maxAttempts: 3 });
  worker.on('test.poison', async (ev) => void delivered.push(ev.id));
  const [poison, crashedOnce] = await inTx(database.db, async (tx) => [
    await enqueue(tx, 'test.poison', { kills: 'the worker' }),
    await enqueue(tx, 'test.poison', { kills: 'nothing' }),
  ]);
  // What claims by workers that were then killed leave behind: attempts counted, lease expired.
  const expired = new Date(Date.now() - 1000);
  await database.db.update(outboxEvents).set({ attempts: 3, lockedUntil: expired, lockedBy: 'gone:1' }).where(eq(outboxEvents.id, poison));
  await database.db.update(outboxEvents).set({ attempts: 1, lockedUntil: expired, lockedBy: 'gone:2' }).where(eq(outboxEvents.id, crashedOnce));
  while ((await worker.runOnce()) > 0) {
    /* drain */
  }
  assert.deepEqual(delivered, [crashedOnce], 'the event still within its attempts is retried');
  const dead = await eventRow(database, poison);
  assert.equal(dead.status, 'dead');
  assert.equal(dead.attempts, 3);
  assert.match(dead.lastError ?? '', /last attempt/);
  const retried = await eventRow(database, crashedOnce);
  assert.equal(retried.status, 'done');
  assert.equal(retried.attempts, 2);
});
