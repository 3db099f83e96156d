/**
 * Member-list recipients are written when a campaign starts, but a campaign can be paused for days
 * or take minutes to send: whoever leaves the audience in between (removed from their team,
 * disabled), opts out of a member list, unsubscribes from the public list or stops following the
 * campaign's topic, must not be sent it. Delivery re-checks each batch against the audience.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../../test/harness.ts';
import { createTestUser } from '../auth/test-helpers.ts';
import { system } from '../core/actor.ts';
import { memberships, users } from '../core/tables.ts';
import { createCampaign, sendCampaign } from './campaigns.command.ts';
import { unsubscribeByToken, updatePreferences } from './subscriptions.command.ts';
import { addConfirmed, runPending, uniq } from './test-support.ts';
import { mailingSecret, unsubscribeToken } from './tokens.ts';
import type { Composed } from './compose.ts';
import { START_TOPIC, startHandler, TICK_TOPIC, tickHandler, type DeliverySettings } from './delivery.ts';
import { createList } from './lists.command.ts';
import { mailingRecipients } from './tables.ts';

const dbs: TestDb[] = [];
after(async () => { for (const d of dbs) await d.drop(); });
const meta = { actor: system('test') };

const settings: DeliverySettings = {
  outboxDir: '/nonexistent', publicUrl: 'http://hemisphere.test', domain: 'lists.hemisphere.test', from: 'Hemisphere <no-reply@hemisphere.test>',
  ratePerSecond: 100, concurrency: 2, maxAttempts: 3, retryBaseSeconds: 1, signer: () => { throw new Error('not an alert'); },
};

/** Deliver every batch of the started campaigns; returns what was sent. */
async function deliverAll(t: TestDb): Promise<Composed[]> {
  const sent: Composed[] = [];
  const tick = tickHandler(t.database, settings, { send: async (m) => { sent.push(m); }, close() {} });
  for (let i = 0; i < 5 && (await runPending(t.database.db, TICK_TOPIC, tick)); i++);
  return sent;
}

async function statusByEmail(t: TestDb, campaignId: string) {
  const rows = await t.database.db.select({ email: mailingRecipients.email, status: mailingRecipients.status }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, campaignId));
  return Object.fromEntries(rows.map((r) => [r.email, r.status]));
}

/** A CLEAR campaign on a network-members list, started: its recipients are written. */
async function startedNetworkCampaign(t: TestDb) {
  const db = t.database.db;
  const list = await createList(db, meta, { slug: `n-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, name: 'Network', description: '', kind: 'members', audience: { type: 'network_members' }, topics: [] });
  const c = await createCampaign(db, meta, { listId: list.id, subject: { en: 'Members only' }, body: { en: 'b' }, topic: null, tlp: 'clear', ratePerSecond: null });
  await sendCampaign(db, meta, c.id);
  assert.equal(await runPending(db, START_TOPIC, startHandler(t.database)), 1);
  return { list, c };
}

test('a member removed from their team or disabled after the recipients were written is not sent the alert', async () => {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  const stays = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const removed = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const disabled = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const { list, c } = await startedNetworkCampaign(t);
  const written = await db.select({ email: mailingRecipients.email }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, c.id));
  assert.deepEqual(written.map((r) => r.email).sort(), [stays.email, removed.email, disabled.email].sort());

  // Between the start and the first batch: one is removed from their team, one is disabled.
  await db.delete(memberships).where(eq(memberships.userId, removed.id));
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.id));

  const sent = await deliverAll(t);
  assert.deepEqual(sent.map((m) => m.envelope.to), [stays.email], 'only the person still in the audience');
  const status = await statusByEmail(t, c.id);
  assert.deepEqual([status[stays.email], status[removed.email], status[disabled.email]], ['sent', 'cancelled', 'cancelled']);
});

test('a member who opts out of the list after the recipients were written is not sent the campaign', async () => {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  const stays = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const leaves = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const { list, c } = await startedNetworkCampaign(t);
  await unsubscribeByToken(db, meta, unsubscribeToken(await mailingSecret(db), list.id, leaves.email), 'one-click');
  assert.deepEqual((await deliverAll(t)).map((m) => m.envelope.to), [stays.email]);
  const status = await statusByEmail(t, c.id);
  assert.deepEqual([status[stays.email], status[leaves.email]], ['sent', 'cancelled']);
});

test('a public-list subscriber who unsubscribes or drops the topic after the recipients were written is not sent the campaign', async () => {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  const list = await createList(db, meta, { slug: `p-${Date.now().toString(36)}`, name: 'Public', description: '', kind: 'public', topics: ['advisories', 'events'] });
  const [stays, leaves, dropsTopic] = [uniq('stays'), uniq('leaves'), uniq('drops')];
  await addConfirmed(db, list.id, [{ email: stays, locale: 'en' }, { email: leaves, locale: 'es' }, { email: dropsTopic, locale: 'fr', topics: ['advisories', 'events'] }]);
  const c = await createCampaign(db, meta, { listId: list.id, subject: { en: 'Advisory', es: 'Aviso', fr: 'Avis' }, body: { en: 'b', es: 'b', fr: 'b' }, topic: 'advisories', tlp: 'clear', ratePerSecond: null });
  await sendCampaign(db, meta, c.id);
  assert.equal(await runPending(t.database.db, START_TOPIC, startHandler(t.database)), 1);
  assert.equal(Object.keys(await statusByEmail(t, c.id)).length, 3, 'all three were written as recipients');

  const secret = await mailingSecret(db);
  await unsubscribeByToken(db, meta, unsubscribeToken(secret, list.id, leaves), 'page');
  await updatePreferences(db, meta, { token: unsubscribeToken(secret, list.id, dropsTopic), locale: 'fr', topics: ['events'] });

  assert.deepEqual((await deliverAll(t)).map((m) => m.envelope.to), [stays]);
  const status = await statusByEmail(t, c.id);
  assert.deepEqual([status[stays], status[leaves], status[dropsTopic]], ['sent', 'cancelled', 'cancelled']);
});
