/**
 * Member-list recipients are written when a campaign starts, but a campaign can be paused for days
 * or take minutes to send: whoever leaves the audience in between (removed from their team,
 * disabled) must not be sent the alert. Delivery re-checks each batch against the audience.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../../test/harness.ts';
import { createTestUser } from '../auth/test-helpers.ts';
import { system } from '../core/actor.ts';
import { memberships, outboxEvents, users } from '../core/tables.ts';
import { createCampaign, sendCampaign } from './campaigns.command.ts';
import type { Composed } from './compose.ts';
import { START_TOPIC, startHandler, TICK_TOPIC, tickHandler, type DeliverySettings } from './delivery.ts';
import { createList } from './lists.command.ts';
import { mailingRecipients } from './tables.ts';

const dbs: TestDb[] = [];
after(async () => { for (const d of dbs) await d.drop(); });
const meta = { actor: system('test') };

async function runPending(t: TestDb, topic: string, handler: (ev: { id: string; topic: string; payload: unknown; attempts: number }) => Promise<void>) {
  const db = t.database.db;
  const evs = await db.select().from(outboxEvents).where(and(eq(outboxEvents.topic, topic), eq(outboxEvents.status, 'pending')));
  for (const ev of evs) {
    await db.update(outboxEvents).set({ status: 'done' }).where(eq(outboxEvents.id, ev.id));
    await handler({ id: ev.id, topic, payload: ev.payload, attempts: 1 });
  }
  return evs.length;
}

test('a member removed from their team or disabled after the recipients were written is not sent the alert', async () => {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  const stays = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const removed = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const disabled = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const list = await createList(db, meta, { slug: `m-${Date.now().toString(36)}`, name: 'Network', description: '', kind: 'members', audience: { type: 'network_members' }, topics: [] });
  const c = await createCampaign(db, meta, { listId: list.id, subject: { en: 'Members only' }, body: { en: 'b' }, topic: null, tlp: 'clear', ratePerSecond: null });
  await sendCampaign(db, meta, c.id);
  assert.equal(await runPending(t, START_TOPIC, startHandler(t.database)), 1);
  const written = await db.select({ email: mailingRecipients.email }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, c.id));
  assert.deepEqual(written.map((r) => r.email).sort(), [stays.email, removed.email, disabled.email].sort());

  // Between the start and the first batch: one is removed from their team, one is disabled.
  await db.delete(memberships).where(eq(memberships.userId, removed.id));
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.id));

  const sent: Composed[] = [];
  const settings: DeliverySettings = {
    outboxDir: '/nonexistent', publicUrl: 'http://hemisphere.test', domain: 'lists.hemisphere.test', from: 'Hemisphere <no-reply@hemisphere.test>',
    ratePerSecond: 100, concurrency: 2, maxAttempts: 3, retryBaseSeconds: 1, signer: () => { throw new Error('not an alert'); },
  };
  const tick = tickHandler(t.database, settings, { send: async (m) => { sent.push(m); }, close() {} });
  for (let i = 0; i < 5 && (await runPending(t, TICK_TOPIC, tick)); i++);
  assert.deepEqual(sent.map((m) => m.envelope.to), [stays.email], 'only the person still in the audience');
  const rows = await db.select({ email: mailingRecipients.email, status: mailingRecipients.status }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, c.id));
  const status = Object.fromEntries(rows.map((r) => [r.email, r.status]));
  assert.deepEqual([status[stays.email], status[removed.email], status[disabled.email]], ['sent', 'cancelled', 'cancelled']);
});
