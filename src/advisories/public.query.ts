/**
 * The public site's advisories: published, readable by the anonymous actor (TLP:CLEAR and public
 * scope — through `visibleTo`), each in the asked language when a current translation exists; and
 * the Atom feed (RFC 4287) of them.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { anonymous } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { visibleTo } from '../core/visibility.ts';
import type { DbOrTx } from '../db/client.ts';
import type { AdvisorySnapshot } from './csaf.ts';
import { renderSnapshot, type RenderedAdvisory } from './render.ts';
import { advisories, advisoryRevisions } from './tables.ts';

/** The latest published revision — only when it was itself published TLP:CLEAR (a draft re-marked CLEAR does not open an older AMBER revision). */
const latest = and(eq(advisoryRevisions.advisoryId, advisories.id), eq(advisoryRevisions.number, advisories.publishedRevision),
  sql`${advisoryRevisions.snapshot}->>'tlp' = 'clear'`);

export async function publicAdvisories(db: DbOrTx, lang: string, publicUrl: string, limit = 50): Promise<RenderedAdvisory[]> {
  const rows = await db.select({ snapshot: advisoryRevisions.snapshot }).from(advisories).innerJoin(advisoryRevisions, latest)
    .where(and(sql`${advisories.publishedRevision} > 0`, visibleTo(anonymous, advisories)))
    .orderBy(desc(advisories.currentReleaseDate)).limit(limit);
  return rows.map((r) => renderSnapshot(r.snapshot as AdvisorySnapshot, lang, publicUrl));
}

export async function publicAdvisory(db: DbOrTx, trackingId: string, lang: string, publicUrl: string): Promise<RenderedAdvisory> {
  const [row] = await db.select({ snapshot: advisoryRevisions.snapshot }).from(advisories).innerJoin(advisoryRevisions, latest)
    .where(and(eq(advisories.trackingId, trackingId), visibleTo(anonymous, advisories)));
  if (!row) throw notFound('Advisory');
  return renderSnapshot(row.snapshot as AdvisorySnapshot, lang, publicUrl);
}

const xml = (s: string) => s.replace(/[<>&'"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) =>
  ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? '');

const FEED_TITLE: Record<string, string> = {
  en: 'Security advisories', es: 'Avisos de seguridad', pt: 'Alertas de segurança', fr: 'Avis de sécurité',
};

/** Atom 1.0: feed id/title/updated/link/author, entries with id, title, updated, published, link, summary, content. */
export function atomFeed(items: RenderedAdvisory[], lang: string, publicUrl: string, publisherName: string): string {
  const self = `${publicUrl}/feeds/advisories.atom?lang=${lang}`;
  const updated = items.reduce((m, i) => (i.currentReleaseDate > m ? i.currentReleaseDate : m), new Date(0).toISOString());
  const entries = items.map((i) => `  <entry xml:lang="${xml(i.lang)}">
    <id>${xml(`${publicUrl}/advisories/${encodeURIComponent(i.trackingId)}`)}</id>
    <title>${xml(`${i.trackingId}: ${i.title}`)}</title>
    <updated>${i.currentReleaseDate}</updated>
    <published>${i.initialReleaseDate}</published>
    <link rel="alternate" type="text/html" href="${xml(`${i.url}?lang=${i.lang}`)}"/>
    <link rel="related" type="application/json" href="${xml(`${publicUrl}/api/public/advisories/${encodeURIComponent(i.trackingId)}/csaf`)}"/>
    <category term="${xml(i.severity)}" label="severity"/>
${i.cves.map((c) => `    <category term="${xml(c)}" scheme="https://www.cve.org/"/>`).join('\n')}
    <summary type="text">${xml(i.summary)}</summary>
    <content type="html">${xml(i.bodyHtml)}</content>
  </entry>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(lang)}">
  <id>${xml(`${publicUrl}/feeds/advisories.atom?lang=${lang}`)}</id>
  <title>${xml(`${publisherName} — ${FEED_TITLE[lang] ?? FEED_TITLE.en}`)}</title>
  <updated>${updated}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${publicUrl}/public/advisories?lang=${lang}`)}"/>
  <author><name>${xml(publisherName)}</name><uri>${xml(publicUrl)}</uri></author>
  <generator>Hemisphere</generator>
${entries}
</feed>
`;
}
