/**
 * Writing advisories: create (draft), change the structured fields, write the text of a language.
 * Editing a published advisory opens its next revision (status back to `draft`); the published
 * snapshot stays what readers see until the next publication. Every change is audited.
 */
import { and, eq, sql } from 'drizzle-orm';
import { orgIdsOf, userIdOf, type Actor } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, forbidden, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isCoordinator } from '../core/policy.ts';
import { assertMarkingCoherent, type Marking } from '../core/visibility.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import type { Locale } from '../i18n/locales.ts';
import { requireCvss31, severityOf } from './cvss31.ts';
import { requireCvss40 } from './cvss40.ts';
import { loadForEdit } from './advisories.query.ts';
import type { CreateAdvisoryInput, SeverityLevel, TextInput, UpdateAdvisoryInput } from './schema.ts';
import { advisories, advisoryTexts, type AffectedProduct, type Vulnerability } from './tables.ts';

export function normaliseVulnerabilities(input: CreateAdvisoryInput['vulnerabilities']): Vulnerability[] {
  const seen = new Set<string>();
  return input.map((v, i) => {
    if (v.cve) {
      if (seen.has(v.cve)) throw invalid('A CVE is listed twice', [{ path: `vulnerabilities.${i}.cve`, message: 'duplicate' }]);
      seen.add(v.cve);
    }
    const v3 = v.cvssV3 ? requireCvss31(v.cvssV3, `vulnerabilities.${i}.cvssV3`) : null;
    const v4 = v.cvssV4 ? requireCvss40(v.cvssV4, `vulnerabilities.${i}.cvssV4`) : null;
    if (v.cvssV4Score !== undefined && !v4) throw invalid('A v4 score needs its vector', [{ path: `vulnerabilities.${i}.cvssV4`, message: 'required with cvssV4Score' }]);
    return {
      cve: v.cve ?? null, title: v.title, cwe: v.cwe ?? null,
      cvssV3: v3 ? { vectorString: v3.vectorString, baseScore: v3.baseScore, baseSeverity: v3.baseSeverity } : null,
      cvssV4: v4 ? { vectorString: v4.vectorString, baseScore: v.cvssV4Score ?? null } : null,
    };
  });
}

/** The declared severity, or the highest one the scores give (v3.1 computed, v4 as published). */
export function severityFrom(declared: SeverityLevel | undefined, vulns: Vulnerability[]): SeverityLevel {
  if (declared) return declared;
  const scores = vulns.flatMap((v) => [v.cvssV3?.baseScore, v.cvssV4?.baseScore ?? undefined]).filter((s): s is number => typeof s === 'number');
  if (scores.length === 0) return 'medium';
  return severityOf(Math.max(...scores)).toLowerCase() as SeverityLevel;
}

function normaliseAffected(input: CreateAdvisoryInput['affected']): AffectedProduct[] {
  return input.map((a) => ({ vendor: a.vendor, product: a.product, versions: [...new Set(a.versions)], fixedIn: [...new Set(a.fixedIn)] }));
}

function markingOf(actor: Actor, m: CreateAdvisoryInput['marking'], ownerOrgId: string | null): Marking {
  const marking: Marking = { ...m, ownerOrgId, createdBy: userIdOf(actor) };
  assertMarkingCoherent(marking);
  return marking;
}

async function nextTrackingId(tx: Tx, year: number): Promise<string> {
  const prefix = `HEMI-${year}-`;
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(advisories).where(sql`${advisories.trackingId} LIKE ${prefix + '%'}`);
  for (let n = (row?.n ?? 0) + 1; ; n++) {
    const id = `${prefix}${String(n).padStart(4, '0')}`;
    const [taken] = await tx.select({ id: advisories.id }).from(advisories).where(eq(advisories.trackingId, id));
    if (!taken) return id;
  }
}

export async function createAdvisory(db: DbOrTx, meta: AuditMeta, input: CreateAdvisoryInput) {
  const actor = meta.actor;
  const myOrgs = orgIdsOf(actor);
  const ownerOrgId = input.ownerOrgId ?? myOrgs[0] ?? null;
  if (ownerOrgId && !myOrgs.includes(ownerOrgId) && !isCoordinator(actor)) throw forbidden('You can only write advisories for your own organisation');
  const vulnerabilities = normaliseVulnerabilities(input.vulnerabilities);
  const marking = markingOf(actor, input.marking, ownerOrgId);
  return inTx(db, async (tx) => {
    const trackingId = input.trackingId ?? (await nextTrackingId(tx, new Date().getUTCFullYear()));
    const [dup] = await tx.select({ id: advisories.id }).from(advisories).where(eq(advisories.trackingId, trackingId));
    if (dup) throw conflict(`The tracking id ${trackingId} is already used`);
    const row = {
      id: newId(), trackingId, status: 'draft', severity: severityFrom(input.severity, vulnerabilities), sourceLang: input.sourceLang,
      audience: input.audience, vulnerabilities, affected: normaliseAffected(input.affected), references: input.references, ...marking,
    };
    await tx.insert(advisories).values(row);
    const text = { advisoryId: row.id, lang: input.sourceLang, ...input.text, basedOnRevision: 1, updatedBy: userIdOf(actor) };
    await tx.insert(advisoryTexts).values(text);
    await appendAudit(tx, meta, { action: 'advisory.create', targetType: 'advisory', targetId: row.id, orgId: ownerOrgId, after: { ...row, text: input.text } });
    return { id: row.id, trackingId };
  });
}

/** Editing a published advisory starts its next revision. */
const reopened = (status: string) => (status === 'published' ? 'draft' : status);

export async function updateAdvisory(db: DbOrTx, meta: AuditMeta, id: string, input: UpdateAdvisoryInput) {
  return inTx(db, async (tx) => {
    const a = await loadForEdit(tx, meta.actor, id);
    if (a.status === 'review') throw conflict('The advisory is in review: return it to draft before changing it');
    const vulnerabilities = input.vulnerabilities ? normaliseVulnerabilities(input.vulnerabilities) : a.vulnerabilities;
    const marking = input.marking ? markingOf(meta.actor, input.marking, a.ownerOrgId) : null;
    if (marking) marking.createdBy = a.createdBy;
    const patch = {
      severity: input.severity || input.vulnerabilities ? severityFrom(input.severity, vulnerabilities) : a.severity,
      audience: input.audience ?? a.audience, vulnerabilities,
      affected: input.affected ? normaliseAffected(input.affected) : a.affected,
      references: input.references ?? a.references,
      ...(marking ?? {}),
      status: reopened(a.status), updatedAt: new Date(),
    };
    await tx.update(advisories).set(patch).where(eq(advisories.id, id));
    const { createdAt: _c, updatedAt: _u, ...before } = a;
    await appendAudit(tx, meta, { action: 'advisory.update', targetType: 'advisory', targetId: id, orgId: a.ownerOrgId, before, after: patch });
    return { id, status: patch.status };
  });
}

/**
 * Writes one language's text. The source language bumps the content revision when its text
 * changes (translations then show as outdated); a translation records the revision it follows.
 */
export async function saveText(db: DbOrTx, meta: AuditMeta, id: string, lang: Locale, input: TextInput) {
  return inTx(db, async (tx) => {
    const a = await loadForEdit(tx, meta.actor, id);
    if (a.status === 'review') throw conflict('The advisory is in review: return it to draft before changing it');
    const [before] = await tx.select().from(advisoryTexts).where(and(eq(advisoryTexts.advisoryId, id), eq(advisoryTexts.lang, lang)));
    const isSource = lang === a.sourceLang;
    const changed = !before || before.title !== input.title || before.summary !== input.summary || before.body !== input.body || before.remediation !== input.remediation;
    const contentRevision = isSource && changed ? a.contentRevision + 1 : a.contentRevision;
    const row = { advisoryId: id, lang, ...input, basedOnRevision: contentRevision, updatedBy: userIdOf(meta.actor), updatedAt: new Date() };
    await tx.insert(advisoryTexts).values(row).onConflictDoUpdate({ target: [advisoryTexts.advisoryId, advisoryTexts.lang], set: row });
    await tx.update(advisories).set({ contentRevision, status: reopened(a.status), updatedAt: new Date() }).where(eq(advisories.id, id));
    await appendAudit(tx, meta, {
      action: isSource ? 'advisory.source_text' : 'advisory.translation', targetType: 'advisory', targetId: id, orgId: a.ownerOrgId,
      before: before ?? null, after: { ...row, contentRevision },
    });
    return { id, lang, basedOnRevision: contentRevision, contentRevision };
  });
}

export async function deleteTranslation(db: DbOrTx, meta: AuditMeta, id: string, lang: Locale) {
  return inTx(db, async (tx) => {
    const a = await loadForEdit(tx, meta.actor, id);
    if (lang === a.sourceLang) throw conflict('The source language text cannot be removed');
    const gone = await tx.delete(advisoryTexts).where(and(eq(advisoryTexts.advisoryId, id), eq(advisoryTexts.lang, lang))).returning();
    if (gone.length === 0) return { removed: false };
    await appendAudit(tx, meta, { action: 'advisory.translation_remove', targetType: 'advisory', targetId: id, orgId: a.ownerOrgId, before: gone[0] });
    return { removed: true };
  });
}
