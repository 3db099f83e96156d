/**
 * Delivery mechanics: paged recipient materialisation (ticking starts after the first page, a
 * retried start resumes without duplicates), and retries of a temporary SMTP failure (451 from the
 * receiving MTA) until delivered, with the attempts recorded per recipient.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDb, startTestPlatform, type TestDb } from '../../test/harness.ts';
import { startSmtpSink } from '../../test/smtp.ts';
import { system } from '../core/actor.ts';
import { outboxEvents } from '../core/tables.ts';
import { rows } from '../db/client.ts';
import { materialiseRecipients } from './audience.ts';
import { createCampaign, sendCampaign } from './campaigns.command.ts';
import { START_TOPIC, startHandler, TICK_TOPIC } from './delivery.ts';
import { createList } from './lists.command.ts';
import { mailingCampaigns, mailingLists, mailingRecipients } from './tables.ts';
import { addConfirmed, uniq, untilStatus } from './test-support.ts';

const dbs: TestDb[] = [];
after(async () => { for (const d of dbs) await d.drop(); });
const meta = { actor: system('test') };

async function setup(n: number) {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  const list = await createList(db, meta, { slug: `p-${Date.now().toString(36)}`, name: 'Paged', description: '', kind: 'public', topics: [] });
  await addConfirmed(db, list.id, Array.from({ length: n }, (_, i) => ({ email: uniq(`p${i}`), locale: 'en' })));
  const c = await createCampaign(db, meta, { listId: list.id, subject: { en: 's' }, body: { en: 'b' }, topic: null, tlp: 'clear', ratePerSecond: null });
  await sendCampaign(db, meta, c.id);
  const [row] = await db.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, c.id));
  return { t, db, list, campaign: row! };
}

const ticksOf = async (db: TestDb['database']['db'], campaignId: string) =>
  (await db.select().from(outboxEvents).where(eq(outboxEvents.topic, TICK_TOPIC))).filter((e) => (e.payload as { campaignId: string }).campaignId === campaignId).length;

/** Runs the pending start events (each page enqueues the next) until none is left; returns how many ran. */
async function drainStarts(t: TestDb, pageSize: number): Promise<number> {
  const db = t.database.db;
  let ran = 0;
  for (;;) {
    const [ev] = await db.select().from(outboxEvents).where(and(eq(outboxEvents.topic, START_TOPIC), eq(outboxEvents.status, 'pending'))).orderBy(outboxEvents.seq).limit(1);
    if (!ev) return ran;
    await startHandler(t.database, pageSize)({ id: ev.id, topic: START_TOPIC, payload: ev.payload, attempts: 1 });
    await db.update(outboxEvents).set({ status: 'done' }).where(eq(outboxEvents.id, ev.id));
    ran++;
  }
}

test('recipients are written in pages, one outbox event each; one tick chain starts with the first page; the count is set when complete', async () => {
  const { t, db, campaign } = await setup(10);
  const [ev] = await db.select().from(outboxEvents).where(eq(outboxEvents.topic, START_TOPIC));
  await startHandler(t.database, 3)({ id: ev!.id, topic: START_TOPIC, payload: ev!.payload, attempts: 1 });
  await db.update(outboxEvents).set({ status: 'done' }).where(eq(outboxEvents.id, ev!.id));
  assert.equal(await ticksOf(db, campaign.id), 1, 'ticking starts with the first page');
  const [mid] = await db.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, campaign.id));
  assert.equal(mid!.recipientCount, null, 'not complete after one page');
  assert.equal(await drainStarts(t, 3), 3, 'pages 2, 3 and 4 (the last, partial one)');
  const [c] = await db.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, campaign.id));
  assert.equal(c!.recipientCount, 10);
  assert.equal(c!.status, 'sending');
  const [r] = await rows<{ n: number; d: number }>(db, sql`SELECT count(*)::int AS n, count(DISTINCT email)::int AS d FROM mailing_recipients WHERE campaign_id = ${campaign.id}::uuid`);
  assert.deepEqual(r, { n: 10, d: 10 });
  assert.equal(await ticksOf(db, campaign.id), 1);
});

test('a start retried after a crash mid-materialisation resumes after the last page, without duplicates', async () => {
  const { t, db, list, campaign } = await setup(11);
  const [l] = await db.select().from(mailingLists).where(eq(mailingLists.id, list.id));
  await materialiseRecipients(db, campaign.id, l!, null, { after: null, limit: 4 }); // the page written before the crash
  assert.equal(await drainStarts(t, 4), 2, 'the retried first event writes 5–8, the next 9–11');
  const [r] = await rows<{ n: number; d: number }>(db, sql`SELECT count(*)::int AS n, count(DISTINCT email)::int AS d FROM mailing_recipients WHERE campaign_id = ${campaign.id}::uuid`);
  assert.deepEqual(r, { n: 11, d: 11 });
});

test('a temporary SMTP failure (451) is retried with backoff until delivered', async () => {
  const sink = await startSmtpSink({ rejectData: (i) => (i === 0 ? 'Greylisted, try again later' : undefined) });
  const p = await startTestPlatform({ SMTP_URL: sink.url, REQUIRE_2FA_ROLES: '', MAILING_RETRY_BASE_SECONDS: '1', MAILING_CONCURRENCY: '1' });
  try {
    const db = p.database.db;
    const list = await createList(db, meta, { slug: 'retry', name: 'Retry', description: '', kind: 'public', topics: [] });
    const people = [uniq('r1'), uniq('r2'), uniq('r3')];
    await addConfirmed(db, list.id, people.map((email) => ({ email, locale: 'en' })));
    const c = await createCampaign(db, meta, { listId: list.id, subject: { en: 's' }, body: { en: 'b' }, topic: null, tlp: 'clear', ratePerSecond: null });
    await sendCampaign(db, meta, c.id);
    await untilStatus(db, c.id, 'sent', 30_000);
    assert.equal(sink.messages.length, 3);
    assert.equal(sink.dataReceived, 4);
    const rs = await db.select().from(mailingRecipients).where(and(eq(mailingRecipients.campaignId, c.id)));
    assert.ok(rs.every((r) => r.status === 'sent'));
    const retried = rs.filter((r) => r.attempts === 2);
    assert.equal(retried.length, 1);
  } finally {
    await p.close();
    await sink.close();
  }
});
