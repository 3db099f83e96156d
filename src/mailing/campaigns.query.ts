/**
 * Reads of lists and campaigns. Every read of a campaign (management list, detail, preview,
 * archive) filters with `visibleTo`/`canSee` on the campaign's TLP marking: the public archive is
 * what an anonymous actor may see; members see their member lists' alerts; no role sees past TLP.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { isCoordinator } from '../core/policy.ts';
import { canSee, visibleTo, type Marking } from '../core/visibility.ts';
import type { Tlp } from '../core/tlp.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { toLocale } from '../i18n/locales.ts';
import { audienceSize } from './audience.ts';
import { composeListMessage, pickLocale } from './compose.ts';
import type { PerLocale } from './schema.ts';
import { mailingCampaigns, mailingLists } from './tables.ts';
import { mailingSecret } from './tokens.ts';

export async function listLists(db: DbOrTx, actor: Actor) {
  const all = await db.select().from(mailingLists).where(isNull(mailingLists.archivedAt)).orderBy(mailingLists.name);
  const mine = isCoordinator(actor) ? all : all.filter((l) => l.kind === 'public');
  return Promise.all(mine.map(async (l) => ({
    id: l.id, slug: l.slug, kind: l.kind, name: l.name, description: l.description, topics: l.topics,
    ...(isCoordinator(actor) ? { audience: l.audience, size: await audienceSize(db, l) } : {}),
  })));
}

export async function publicListBySlug(db: DbOrTx, slug: string) {
  const [l] = await db.select().from(mailingLists).where(and(eq(mailingLists.slug, slug), eq(mailingLists.kind, 'public'), isNull(mailingLists.archivedAt)));
  if (!l) throw notFound('Mailing list');
  return { id: l.id, slug: l.slug, name: l.name, description: l.description, topics: l.topics };
}

type Counts = Record<string, number>;
async function countsOf(db: DbOrTx, ids: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (!ids.length) return out;
  const rs = await rows<{ campaign_id: string; status: string; n: number }>(db, sql`
    SELECT campaign_id, status, count(*)::int AS n FROM mailing_recipients WHERE campaign_id = ANY(${`{${ids.join(',')}}`}::uuid[]) GROUP BY campaign_id, status`);
  for (const r of rs) out.set(r.campaign_id, { ...out.get(r.campaign_id), [r.status]: r.n });
  return out;
}

const present = (c: typeof mailingCampaigns.$inferSelect, counts?: Counts) => ({
  id: c.id, listId: c.listId, subject: c.subject as PerLocale, body: c.body as PerLocale, topic: c.topic, status: c.status, tlp: c.tlp,
  ratePerSecond: c.ratePerSecond, scheduledAt: c.scheduledAt, startedAt: c.startedAt, finishedAt: c.finishedAt,
  recipientCount: c.recipientCount, origin: c.origin, createdAt: c.createdAt, counts: counts ?? {},
});

export async function listCampaigns(db: DbOrTx, actor: Actor, q: { listId?: string; status?: string }) {
  const where = and(visibleTo(actor, mailingCampaigns), q.listId ? eq(mailingCampaigns.listId, q.listId) : undefined, q.status ? eq(mailingCampaigns.status, q.status) : undefined);
  const cs = await db.select().from(mailingCampaigns).where(where).orderBy(desc(mailingCampaigns.createdAt)).limit(200);
  const counts = await countsOf(db, cs.map((c) => c.id));
  return cs.map((c) => present(c, counts.get(c.id)));
}

export async function getCampaign(db: DbOrTx, actor: Actor, id: string) {
  const [c] = await db.select().from(mailingCampaigns).where(and(eq(mailingCampaigns.id, id), visibleTo(actor, mailingCampaigns)));
  if (!c) throw notFound('Campaign');
  return present(c, (await countsOf(db, [id])).get(id));
}

/** The message as a recipient of that language would get it (headers and body), without sending. */
export async function previewCampaign(db: DbOrTx, deps: { publicUrl: string; domain: string; from: string }, actor: Actor, id: string, locale: string) {
  const [c] = await db.select().from(mailingCampaigns).where(and(eq(mailingCampaigns.id, id), visibleTo(actor, mailingCampaigns)));
  if (!c) throw notFound('Campaign');
  const [list] = await db.select().from(mailingLists).where(eq(mailingLists.id, c.listId));
  const campaign = { id: c.id, subject: c.subject as PerLocale, body: c.body as PerLocale, tlp: 'clear' as Tlp };
  // Previewed unsigned: the preview shows content and headers; signing happens at delivery.
  const m = await composeListMessage({ ...deps, secret: await mailingSecret(db) }, { ...list!, kind: 'public' }, campaign, { seq: 0, email: 'recipient@example.org', locale: toLocale(locale) });
  const chosen = pickLocale(campaign, locale);
  return { locale: chosen, subject: campaign.subject[chosen] ?? '', text: campaign.body[chosen] ?? '', raw: m.raw };
}

/** Sent announcements the actor may read (anonymous: public TLP:CLEAR only), newest first, in their language when written. */
export async function archive(db: DbOrTx, actor: Actor, q: { locale?: string; listSlug?: string; limit?: number }) {
  const cs = await db.select({ c: mailingCampaigns, listName: mailingLists.name, listSlug: mailingLists.slug }).from(mailingCampaigns)
    .innerJoin(mailingLists, eq(mailingLists.id, mailingCampaigns.listId))
    .where(and(eq(mailingCampaigns.status, 'sent'), visibleTo(actor, mailingCampaigns), q.listSlug ? eq(mailingLists.slug, q.listSlug) : undefined))
    .orderBy(desc(mailingCampaigns.finishedAt)).limit(q.limit ?? 50);
  return cs.map(({ c, listName, listSlug }) => {
    const l = pickLocale({ subject: c.subject as PerLocale, body: c.body as PerLocale }, q.locale ?? 'en');
    return { id: c.id, list: { name: listName, slug: listSlug }, tlp: c.tlp, sentAt: c.finishedAt, locale: l, subject: (c.subject as PerLocale)[l] ?? '', languages: Object.keys(c.subject as object) };
  });
}

export async function archivedMessage(db: DbOrTx, actor: Actor, id: string, locale?: string) {
  const [row] = await db.select({ c: mailingCampaigns, listName: mailingLists.name }).from(mailingCampaigns)
    .innerJoin(mailingLists, eq(mailingLists.id, mailingCampaigns.listId)).where(and(eq(mailingCampaigns.id, id), eq(mailingCampaigns.status, 'sent')));
  if (!row || !canSee(actor, row.c as unknown as Marking)) throw notFound('Announcement');
  const c = row.c;
  const l = pickLocale({ subject: c.subject as PerLocale, body: c.body as PerLocale }, locale ?? 'en');
  return { id: c.id, list: row.listName, tlp: c.tlp, sentAt: c.finishedAt, locale: l, subject: (c.subject as PerLocale)[l] ?? '', body: (c.body as PerLocale)[l] ?? '', languages: Object.keys(c.subject as object) };
}
