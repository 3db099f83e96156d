/**
 * A published advisory in a reader's language: the up-to-date translation when there is one,
 * otherwise the source text (flagged `fallback`). Markdown is rendered with raw HTML disabled, so
 * the output is safe to embed in a page or an email. Used by the public site, the Atom feed and the
 * mailing capability (announcements and member alerts), always after a visibility-checked read.
 */
import { and, eq } from 'drizzle-orm';
import MarkdownIt from 'markdown-it';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { canSee, visibleTo } from '../core/visibility.ts';
import type { Tlp } from '../core/tlp.ts';
import type { DbOrTx } from '../db/client.ts';
import { toLocale, type Locale } from '../i18n/locales.ts';
import type { AdvisorySnapshot } from './csaf.ts';
import { advisories, advisoryRevisions } from './tables.ts';
import { advisoryUrl } from './workflow.command.ts';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
export const renderMarkdown = (text: string): string => md.render(text);

export type RenderedAdvisory = {
  id: string; trackingId: string; revision: number; lang: Locale; fallback: boolean; availableLangs: string[];
  tlp: Tlp; severity: string; title: string; summary: string; bodyMarkdown: string; bodyHtml: string;
  remediationMarkdown: string; remediationHtml: string; url: string; initialReleaseDate: string; currentReleaseDate: string;
  cves: string[]; snapshot: AdvisorySnapshot;
};

export function renderSnapshot(s: AdvisorySnapshot, lang: string, publicUrl: string): RenderedAdvisory {
  const want = toLocale(lang);
  const fallback = !s.texts[want];
  const t = s.texts[want] ?? s.texts[s.sourceLang]!;
  return {
    id: s.id, trackingId: s.trackingId, revision: s.revision, lang: fallback ? toLocale(s.sourceLang) : want, fallback, availableLangs: Object.keys(s.texts),
    tlp: s.tlp, severity: s.severity, title: t.title, summary: t.summary, bodyMarkdown: t.body, bodyHtml: renderMarkdown(t.body),
    remediationMarkdown: t.remediation, remediationHtml: renderMarkdown(t.remediation), url: advisoryUrl(publicUrl, s.trackingId),
    initialReleaseDate: s.initialReleaseDate, currentReleaseDate: s.currentReleaseDate,
    cves: s.vulnerabilities.map((v) => v.cve).filter((c): c is string => !!c), snapshot: s,
  };
}

/**
 * The latest published revision of an advisory as `actor` may read it, in `lang`. For the mailing
 * capability: call with each recipient as actor (or the system actor, then check `canSee` per
 * recipient with `markingOf`).
 */
export async function renderPublishedAdvisory(db: DbOrTx, actor: Actor, id: string, lang: string, publicUrl: string): Promise<RenderedAdvisory> {
  const [row] = await db.select({ snapshot: advisoryRevisions.snapshot }).from(advisories)
    .innerJoin(advisoryRevisions, and(eq(advisoryRevisions.advisoryId, advisories.id), eq(advisoryRevisions.number, advisories.publishedRevision)))
    .where(and(eq(advisories.id, id), visibleTo(actor, advisories)));
  if (!row) throw notFound('Published advisory');
  return renderSnapshot(row.snapshot as AdvisorySnapshot, lang, publicUrl);
}

/** The advisory's current marking, for `canSee(recipient, marking)` checks by delivery workers. */
export async function advisoryMarking(db: DbOrTx, id: string) {
  const [a] = await db.select({
    tlp: advisories.tlp, scope: advisories.scope, ownerOrgId: advisories.ownerOrgId, createdBy: advisories.createdBy,
    scopeOrgIds: advisories.scopeOrgIds, sharingGroupId: advisories.sharingGroupId, recipientUserIds: advisories.recipientUserIds,
  }).from(advisories).where(eq(advisories.id, id));
  if (!a) throw notFound('Advisory');
  return { ...a, tlp: a.tlp as Tlp, scope: a.scope as Parameters<typeof canSee>[1]['scope'] };
}
