/**
 * Reading advisories. Every read filters with `visibleTo` (TLP and sharing scope) first; on top of
 * that, an advisory that was never published is shown only to its editors (author, owning
 * organisation, coordinators) — never to someone the marking would not already admit.
 */
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { orgIdsOf, type Actor } from '../core/actor.ts';
import { forbidden, notFound } from '../core/errors.ts';
import { isCoordinator } from '../core/policy.ts';
import { visibleTo } from '../core/visibility.ts';
import { memberships } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { LOCALES, type Locale } from '../i18n/locales.ts';
import { advisories, advisoryRevisions, advisoryTexts } from './tables.ts';

export type AdvisoryRow = typeof advisories.$inferSelect;
export type TranslationState = 'source' | 'current' | 'outdated' | 'missing';

const uuidArray = (ids: string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** SQL: the actor is one of the advisory's editors (author, owning organisation, coordinator). */
export function editorOf(actor: Actor): SQL {
  if (actor.kind === 'system') return sql`true`;
  if (actor.kind !== 'user') return sql`false`;
  if (isCoordinator(actor)) return sql`true`;
  return sql`(${advisories.createdBy} = ${actor.userId}::uuid OR ${advisories.ownerOrgId} = ANY(${uuidArray(orgIdsOf(actor))}))`;
}

export function canEdit(actor: Actor, a: Pick<AdvisoryRow, 'createdBy' | 'ownerOrgId'>): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  if (isCoordinator(actor) || a.createdBy === actor.userId) return true;
  return actor.memberships.some((m) => m.orgId === a.ownerOrgId && m.role !== 'observer');
}

/** May publish: a coordinator, or an administrator of the owning organisation. */
export function canPublish(actor: Actor, a: Pick<AdvisoryRow, 'ownerOrgId'>): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return isCoordinator(actor) || actor.memberships.some((m) => m.orgId === a.ownerOrgId && m.role === 'org_admin');
}

const readable = (actor: Actor) => and(visibleTo(actor, advisories), or(sql`${advisories.publishedRevision} > 0`, editorOf(actor)))!;

/** The live row, for a change: visible to the actor and editable by them (locked FOR UPDATE). */
export async function loadForEdit(db: DbOrTx, actor: Actor, id: string): Promise<AdvisoryRow> {
  const [a] = await db.select().from(advisories).where(and(eq(advisories.id, id), readable(actor))).for('update');
  if (!a) throw notFound('Advisory');
  if (!canEdit(actor, a)) throw forbidden('You cannot edit this advisory');
  return a;
}

export type ListFilter = { status?: string; lang?: Locale; q?: string; limit?: number; offset?: number };

export async function listAdvisories(db: DbOrTx, actor: Actor, f: ListFilter = {}) {
  const conds: SQL[] = [readable(actor)];
  if (f.status) conds.push(eq(advisories.status, f.status));
  if (f.q) conds.push(sql`(${advisories.trackingId} ILIKE ${'%' + f.q + '%'} OR EXISTS (SELECT 1 FROM ${advisoryTexts} t WHERE t.advisory_id = ${advisories.id} AND t.title ILIKE ${'%' + f.q + '%'}))`);
  const rows = await db.select().from(advisories).where(and(...conds))
    .orderBy(desc(sql`coalesce(${advisories.currentReleaseDate}, ${advisories.updatedAt})`)).limit(f.limit ?? 50).offset(f.offset ?? 0);
  if (rows.length === 0) return [];
  const texts = await db.select({ advisoryId: advisoryTexts.advisoryId, lang: advisoryTexts.lang, title: advisoryTexts.title, summary: advisoryTexts.summary, basedOnRevision: advisoryTexts.basedOnRevision })
    .from(advisoryTexts).where(sql`${advisoryTexts.advisoryId} = ANY(${uuidArray(rows.map((r) => r.id))})`);
  return rows.map((a) => {
    const mine = texts.filter((t) => t.advisoryId === a.id);
    const shown = mine.find((t) => t.lang === f.lang && t.basedOnRevision === a.contentRevision) ?? mine.find((t) => t.lang === a.sourceLang)!;
    return {
      id: a.id, trackingId: a.trackingId, status: a.status, severity: a.severity, tlp: a.tlp, scope: a.scope, sourceLang: a.sourceLang,
      lang: shown?.lang ?? a.sourceLang, title: shown?.title ?? '', summary: shown?.summary ?? '', publishedRevision: a.publishedRevision,
      cves: a.vulnerabilities.map((v) => v.cve).filter(Boolean), currentReleaseDate: a.currentReleaseDate, updatedAt: a.updatedAt,
      translations: translationStates(a, mine),
      canEdit: canEdit(actor, a),
    };
  });
}

export function translationStates(a: Pick<AdvisoryRow, 'sourceLang' | 'contentRevision'>, texts: { lang: string; basedOnRevision: number }[]) {
  return Object.fromEntries(LOCALES.map((l) => {
    const t = texts.find((x) => x.lang === l);
    const state: TranslationState = l === a.sourceLang ? 'source' : !t ? 'missing' : t.basedOnRevision < a.contentRevision ? 'outdated' : 'current';
    return [l, state];
  })) as Record<Locale, TranslationState>;
}

/** One advisory: the live draft and history for editors; the latest published snapshot for all who may see it. */
export async function getAdvisory(db: DbOrTx, actor: Actor, id: string) {
  const [a] = await db.select().from(advisories).where(and(eq(advisories.id, id), readable(actor)));
  if (!a) throw notFound('Advisory');
  const editor = canEdit(actor, a);
  const revisions = await db.select({ number: advisoryRevisions.number, date: advisoryRevisions.date, summary: advisoryRevisions.summary })
    .from(advisoryRevisions).where(eq(advisoryRevisions.advisoryId, id)).orderBy(asc(advisoryRevisions.number));
  const [latest] = a.publishedRevision > 0
    ? await db.select({ snapshot: advisoryRevisions.snapshot }).from(advisoryRevisions)
      .where(and(eq(advisoryRevisions.advisoryId, id), eq(advisoryRevisions.number, a.publishedRevision)))
    : [];
  const base = {
    id: a.id, trackingId: a.trackingId, status: a.status, tlp: a.tlp, scope: a.scope, publishedRevision: a.publishedRevision,
    canEdit: editor, canPublish: editor && canPublish(actor, a), revisions, published: latest?.snapshot ?? null,
  };
  if (!editor) return { ...base, live: null };
  const texts = await db.select().from(advisoryTexts).where(eq(advisoryTexts.advisoryId, id));
  return {
    ...base,
    live: {
      severity: a.severity, sourceLang: a.sourceLang, audience: a.audience, vulnerabilities: a.vulnerabilities, affected: a.affected,
      references: a.references, contentRevision: a.contentRevision, ownerOrgId: a.ownerOrgId,
      marking: { tlp: a.tlp, scope: a.scope, scopeOrgIds: a.scopeOrgIds, sharingGroupId: a.sharingGroupId, recipientUserIds: a.recipientUserIds },
      texts: Object.fromEntries(texts.map((t) => [t.lang, { title: t.title, summary: t.summary, body: t.body, remediation: t.remediation, basedOnRevision: t.basedOnRevision, updatedAt: t.updatedAt }])),
      translations: translationStates(a, texts),
    },
  };
}

/** Organisation admins of the owner (for review notifications and the UI). */
export async function ownerAdmins(db: DbOrTx, orgId: string) {
  return db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'org_admin')));
}
