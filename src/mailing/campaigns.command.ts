/**
 * Campaign life cycle: draft → (scheduled) → sending ⇄ paused → sent, or cancelled from any state
 * before sent. Sending goes through the outbox (delivery.ts); every change is audited. A campaign
 * carries the TLP marking of its list's audience (markingFor), so reads filter with `visibleTo`.
 */
import { and, eq, sql } from 'drizzle-orm';
import { userIdOf } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { enqueue } from '../core/outbox.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { assertMarkingCoherent, canSee, type Marking } from '../core/visibility.ts';
import { actorForEmail } from '../auth/actor-loader.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { LOCALES } from '../i18n/locales.ts';
import { leadOrgIdsNow, markingFor } from './audience.ts';
import { newChain, START_TOPIC, startChain } from './delivery.ts';
import type { CampaignInput, PerLocale } from './schema.ts';
import { mailingCampaigns, mailingLists } from './tables.ts';

export const TEST_TOPIC = 'mailing.campaign.test';

function checkContent(subject: PerLocale, body: PerLocale) {
  const langs = LOCALES.filter((l) => subject[l]?.trim() || body[l]?.trim());
  if (!langs.length) throw invalid('Write the message in at least one language', [{ path: 'subject', message: 'required' }]);
  const half = langs.filter((l) => !subject[l]?.trim() || !body[l]?.trim());
  if (half.length) throw invalid('Each language needs both a subject and a body', half.map((l) => ({ path: `body.${l}`, message: 'subject and body go together' })));
}

const coordinatorOnly = (meta: AuditMeta) => assertCan(isCoordinator(meta.actor), 'Only coordinators run campaigns');

export async function createCampaign(db: DbOrTx, meta: AuditMeta, input: CampaignInput, origin = 'manual') {
  coordinatorOnly(meta);
  checkContent(input.subject, input.body);
  return inTx(db, async (tx) => {
    const [list] = await tx.select().from(mailingLists).where(eq(mailingLists.id, input.listId));
    if (!list || list.archivedAt) throw notFound('Mailing list');
    if (input.topic && !list.topics.includes(input.topic)) throw invalid('Unknown topic', [{ path: 'topic', message: 'not a topic of this list' }]);
    const ownerOrgId = meta.actor.kind === 'user' ? meta.actor.memberships[0]?.orgId ?? null : null;
    const marking = markingFor(list, input.tlp, userIdOf(meta.actor), ownerOrgId, await leadOrgIdsNow(tx, list));
    assertMarkingCoherent(marking); // e.g. GREEN on the public list is refused
    const row = {
      id: newId(), listId: list.id, subject: input.subject, body: input.body, topic: input.topic, status: 'draft',
      ...marking, ratePerSecond: input.ratePerSecond, origin,
    };
    await tx.insert(mailingCampaigns).values(row);
    await appendAudit(tx, meta, { action: 'mailing.campaign.create', targetType: 'mailing_campaign', targetId: row.id, after: { listId: list.id, tlp: row.tlp, origin, languages: Object.keys(input.subject) } });
    return row;
  });
}

async function lock(tx: Tx, id: string) {
  const [c] = await tx.select().from(mailingCampaigns).where(eq(mailingCampaigns.id, id)).for('update');
  if (!c) throw notFound('Campaign');
  return c;
}
const transition = (from: string, to: string) => new DomainError('invalid_transition', `A ${from} campaign cannot be ${to}`);

export async function updateCampaign(db: DbOrTx, meta: AuditMeta, id: string, patch: Partial<Omit<CampaignInput, 'listId'>>) {
  coordinatorOnly(meta);
  return inTx(db, async (tx) => {
    const c = await lock(tx, id);
    if (c.status !== 'draft') throw transition(c.status, 'edited');
    const subject = patch.subject ?? (c.subject as PerLocale);
    const body = patch.body ?? (c.body as PerLocale);
    checkContent(subject, body);
    const [list] = await tx.select().from(mailingLists).where(eq(mailingLists.id, c.listId));
    const tlp = patch.tlp ?? (c.tlp as CampaignInput['tlp']);
    const marking = markingFor(list!, tlp, c.createdBy, c.ownerOrgId, c.scopeOrgIds);
    assertMarkingCoherent(marking);
    const set = { subject, body, tlp, topic: patch.topic === undefined ? c.topic : patch.topic, ratePerSecond: patch.ratePerSecond === undefined ? c.ratePerSecond : patch.ratePerSecond, updatedAt: new Date() };
    await tx.update(mailingCampaigns).set(set).where(eq(mailingCampaigns.id, id));
    await appendAudit(tx, meta, { action: 'mailing.campaign.update', targetType: 'mailing_campaign', targetId: id, before: { tlp: c.tlp, topic: c.topic }, after: { tlp: set.tlp, topic: set.topic } });
    return { ...c, ...set };
  });
}

async function begin(tx: Tx, meta: AuditMeta, id: string, at: Date | null) {
  const c = await lock(tx, id);
  if (c.status !== 'draft' && c.status !== 'scheduled') throw transition(c.status, at ? 'scheduled' : 'sent');
  const chainId = newChain();
  const status = at && at.getTime() > Date.now() ? 'scheduled' : 'sending';
  await tx.update(mailingCampaigns).set({ status, chainId, scheduledAt: at, updatedAt: new Date() }).where(eq(mailingCampaigns.id, id));
  await enqueue(tx, START_TOPIC, { campaignId: id, chainId }, { delayMs: at ? Math.max(0, at.getTime() - Date.now()) : 0 });
  await appendAudit(tx, meta, { action: at ? 'mailing.campaign.schedule' : 'mailing.campaign.send', targetType: 'mailing_campaign', targetId: id, before: { status: c.status }, after: { status, scheduledAt: at } });
  return { id, status, scheduledAt: at };
}

export const sendCampaign = (db: DbOrTx, meta: AuditMeta, id: string) => (coordinatorOnly(meta), inTx(db, (tx) => begin(tx, meta, id, null)));

export async function scheduleCampaign(db: DbOrTx, meta: AuditMeta, id: string, at: Date) {
  coordinatorOnly(meta);
  if (at.getTime() < Date.now() - 60_000) throw invalid('The time is in the past', [{ path: 'at', message: 'must be in the future' }]);
  return inTx(db, (tx) => begin(tx, meta, id, at));
}

export async function pauseCampaign(db: DbOrTx, meta: AuditMeta, id: string) {
  coordinatorOnly(meta);
  return inTx(db, async (tx) => {
    const c = await lock(tx, id);
    if (c.status !== 'sending') throw transition(c.status, 'paused');
    await tx.update(mailingCampaigns).set({ status: 'paused', chainId: null, updatedAt: new Date() }).where(eq(mailingCampaigns.id, id));
    await appendAudit(tx, meta, { action: 'mailing.campaign.pause', targetType: 'mailing_campaign', targetId: id, before: { status: c.status }, after: { status: 'paused' } });
    return { id, status: 'paused' };
  });
}

export async function resumeCampaign(db: DbOrTx, meta: AuditMeta, id: string) {
  coordinatorOnly(meta);
  return inTx(db, async (tx) => {
    const c = await lock(tx, id);
    if (c.status !== 'paused') throw transition(c.status, 'resumed');
    const chainId = newChain();
    await tx.update(mailingCampaigns).set({ status: 'sending', chainId, updatedAt: new Date() }).where(eq(mailingCampaigns.id, id));
    if (c.recipientCount === null) await enqueue(tx, START_TOPIC, { campaignId: id, chainId });
    else await startChain(tx, id, chainId);
    await appendAudit(tx, meta, { action: 'mailing.campaign.resume', targetType: 'mailing_campaign', targetId: id, before: { status: c.status }, after: { status: 'sending' } });
    return { id, status: 'sending' };
  });
}

export async function cancelCampaign(db: DbOrTx, meta: AuditMeta, id: string) {
  coordinatorOnly(meta);
  return inTx(db, async (tx) => {
    const c = await lock(tx, id);
    if (c.status === 'sent' || c.status === 'cancelled') throw transition(c.status, 'cancelled');
    const finishedAt = new Date();
    await tx.update(mailingCampaigns).set({ status: 'cancelled', chainId: null, finishedAt, updatedAt: finishedAt }).where(eq(mailingCampaigns.id, id));
    const res = await tx.execute(sql`UPDATE mailing_recipients SET status = 'cancelled' WHERE campaign_id = ${id}::uuid AND status = 'queued'`);
    const n = (res as unknown as { affectedRows?: number; rowCount?: number }).affectedRows ?? (res as unknown as { rowCount?: number }).rowCount ?? null;
    await appendAudit(tx, meta, { action: 'mailing.campaign.cancel', targetType: 'mailing_campaign', targetId: id, before: { status: c.status }, after: { status: 'cancelled', recipientsCancelled: n } });
    return { id, status: 'cancelled' };
  });
}

/**
 * A test message to one address (not a recipient; marked [TEST]); delivered by the mailing worker.
 * The coordinator must be able to read the campaign (else 404, as for every read). A TLP:CLEAR
 * campaign may be tried on any address; anything marked higher only on the address of someone on
 * the platform who may read it: a test copy is not a way around the campaign's TLP. (An AMBER or
 * higher test is the encrypted-alert notice, as for a recipient without a key: never the text.)
 */
export async function testSendCampaign(db: DbOrTx, meta: AuditMeta, id: string, input: { email: string; locale?: string }) {
  coordinatorOnly(meta);
  return inTx(db, async (tx) => {
    const c = await lock(tx, id);
    if (!canSee(meta.actor, c as Marking)) throw notFound('Campaign');
    if (c.tlp !== 'clear') {
      const reader = await actorForEmail(tx, input.email);
      if (!reader || !canSee(reader, c as Marking)) {
        throw invalid(`A TLP:${c.tlp.toUpperCase()} campaign can only be test-sent to someone on the platform who may read it`,
          [{ path: 'email', message: 'not the address of a platform user who may read this campaign', code: 'test_address_not_allowed' }]);
      }
    }
    await enqueue(tx, TEST_TOPIC, { campaignId: id, email: input.email, locale: input.locale ?? 'en' });
    await appendAudit(tx, meta, { action: 'mailing.campaign.test', targetType: 'mailing_campaign', targetId: id, after: { email: input.email, status: c.status } });
    return { id, queued: true };
  });
}

export const campaignOf = async (db: DbOrTx, id: string) => (await db.select().from(mailingCampaigns).where(and(eq(mailingCampaigns.id, id))))[0];
