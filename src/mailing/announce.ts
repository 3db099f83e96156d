/**
 * Optional automatic announcements: when MAILING_AUTO_ANNOUNCE_LIST names a public list, the
 * first publication of a public TLP:CLEAR advisory ('advisory.published' on the bus) or report
 * ('publication.published') becomes a campaign to that list, in every language it was written in,
 * sent at once. Only what an anonymous reader may see is announced (`canSee(anonymous, …)`).
 * Idempotent across nodes: the campaign's origin ('advisory:<id>') is unique per list, so every
 * node may react to the same bus notice and only one campaign results.
 */
import { and, eq } from 'drizzle-orm';
import { anonymous, system } from '../core/actor.ts';
import { canSee, type Marking } from '../core/visibility.ts';
import type { Database } from '../db/client.ts';
import { LOCALES, type Locale } from '../i18n/locales.ts';
import { advisories, advisoryTexts } from '../advisories/tables.ts';
import { publications } from '../reports/tables.ts';
import { createCampaign, sendCampaign } from './campaigns.command.ts';
import type { PerLocale } from './schema.ts';
import { mailingCampaigns, mailingLists } from './tables.ts';

export type Announceable = { kind: 'advisory' | 'publication'; id: string };

async function content(database: Database, publicUrl: string, what: Announceable): Promise<{ origin: string; subject: PerLocale; body: PerLocale } | null> {
  const db = database.db;
  const subject: PerLocale = {};
  const body: PerLocale = {};
  if (what.kind === 'advisory') {
    const [a] = await db.select().from(advisories).where(eq(advisories.id, what.id));
    if (!a || a.status !== 'published' || !canSee(anonymous, a as unknown as Marking)) return null;
    for (const t of await db.select().from(advisoryTexts).where(eq(advisoryTexts.advisoryId, a.id))) {
      if (!(LOCALES as readonly string[]).includes(t.lang)) continue;
      subject[t.lang as Locale] = `[${a.trackingId}] ${t.title}`;
      body[t.lang as Locale] = `${t.summary}\n\n${publicUrl}/advisories/${a.trackingId}?lang=${t.lang}\n`;
    }
    return { origin: `advisory:${a.id}`, subject, body };
  }
  const [p] = await db.select().from(publications).where(eq(publications.id, what.id));
  if (!p || !canSee(anonymous, p as unknown as Marking)) return null;
  for (const t of await db.select().from(publications).where(eq(publications.slug, p.slug))) {
    if (!canSee(anonymous, t as unknown as Marking) || !(LOCALES as readonly string[]).includes(t.lang)) continue;
    subject[t.lang as Locale] = t.title;
    body[t.lang as Locale] = `${t.summary}\n\n${publicUrl}/public/reports?lang=${t.lang}\n`;
  }
  return { origin: `publication:${p.slug}`, subject, body };
}

/** Announce one publication on the configured list; returns the campaign id, or null when nothing is due. */
export async function announcePublication(database: Database, cfg: { publicUrl: string; listSlug: string | undefined }, what: Announceable): Promise<string | null> {
  if (!cfg.listSlug) return null;
  const db = database.db;
  const [list] = await db.select().from(mailingLists).where(and(eq(mailingLists.slug, cfg.listSlug), eq(mailingLists.kind, 'public')));
  if (!list || list.archivedAt) return null;
  const c = await content(database, cfg.publicUrl, what);
  if (!c || !Object.keys(c.subject).length) return null;
  const [dup] = await db.select({ id: mailingCampaigns.id }).from(mailingCampaigns).where(and(eq(mailingCampaigns.listId, list.id), eq(mailingCampaigns.origin, c.origin)));
  if (dup) return null;
  const meta = { actor: system('mailing.announce') };
  try {
    const created = await createCampaign(db, meta, { listId: list.id, subject: c.subject, body: c.body, topic: null, tlp: 'clear', ratePerSecond: null }, c.origin);
    await sendCampaign(db, meta, created.id);
    return created.id;
  } catch (err) {
    if (/unique|duplicate/i.test(String((err as Error)?.message ?? err))) return null; // another node won
    throw err;
  }
}
