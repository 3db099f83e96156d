/**
 * The advisory workflow: draft → review (submit) → published (publish), or back to draft with a
 * reason. Publishing makes the next revision: an immutable snapshot (fields, marking and every
 * translation that follows the current source text — outdated ones are left out, not shown stale),
 * a revision-history entry, and the CSAF file rendered, hashed (SHA-256, SHA-512) and signed
 * (detached OpenPGP) once, so the provider tree always serves bytes that match their integrity files.
 */
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { userIdOf } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError, forbidden, invalid } from '../core/errors.ts';
import { publish } from '../core/bus.ts';
import type { Tlp } from '../core/tlp.ts';
import type { Db } from '../db/client.ts';
import { platformKey, type KeyConfig } from '../crypto/platform-key.ts';
import { canPublish, loadForEdit } from './advisories.query.ts';
import { csafFilename, tlpFolder, toCsaf, type AdvisorySnapshot, type Publisher } from './csaf.ts';
import { advisories, advisoryRevisions, advisoryTexts, csafDocuments } from './tables.ts';

export type PublishDeps = { db: Db; config: KeyConfig & { publicUrl: string; publisher: Publisher } };

const transition = (from: string, to: string) =>
  new DomainError('invalid_transition', `An advisory cannot go from ${from} to ${to}`, { from, to });

export async function submitForReview(db: Db, meta: AuditMeta, id: string) {
  return inTx(db, async (tx) => {
    const a = await loadForEdit(tx, meta.actor, id);
    if (a.status !== 'draft') throw transition(a.status, 'review');
    await tx.update(advisories).set({ status: 'review', updatedAt: new Date() }).where(eq(advisories.id, id));
    await appendAudit(tx, meta, { action: 'advisory.submit', targetType: 'advisory', targetId: id, orgId: a.ownerOrgId, before: { status: a.status }, after: { status: 'review' } });
    return { id, status: 'review' };
  });
}

export async function returnToDraft(db: Db, meta: AuditMeta, id: string, reason: string) {
  return inTx(db, async (tx) => {
    const a = await loadForEdit(tx, meta.actor, id);
    if (a.status !== 'review') throw transition(a.status, 'draft');
    await tx.update(advisories).set({ status: 'draft', updatedAt: new Date() }).where(eq(advisories.id, id));
    await appendAudit(tx, meta, { action: 'advisory.return', targetType: 'advisory', targetId: id, orgId: a.ownerOrgId, before: { status: a.status }, after: { status: 'draft', reason } });
    return { id, status: 'draft' };
  });
}

export const advisoryUrl = (publicUrl: string, trackingId: string) => `${publicUrl}/advisories/${encodeURIComponent(trackingId)}`;

export async function publishAdvisory(deps: PublishDeps, meta: AuditMeta, id: string, summary: string) {
  const key = await platformKey(deps.db, deps.config);
  return inTx(deps.db, async (tx) => {
    const a = await loadForEdit(tx, meta.actor, id);
    if (!canPublish(meta.actor, a)) throw forbidden('Only a coordinator or an administrator of the owning organisation publishes');
    if (a.status !== 'review') throw transition(a.status, 'published');
    const texts = await tx.select().from(advisoryTexts).where(eq(advisoryTexts.advisoryId, id));
    const source = texts.find((t) => t.lang === a.sourceLang);
    if (!source) throw invalid('The source language text is missing', [{ path: 'text', message: 'required' }]);
    const now = new Date();
    const number = a.publishedRevision + 1;
    const history = await tx.select({ number: advisoryRevisions.number, date: advisoryRevisions.date, summary: advisoryRevisions.summary })
      .from(advisoryRevisions).where(eq(advisoryRevisions.advisoryId, id)).orderBy(asc(advisoryRevisions.number));
    const initial = a.initialReleaseDate ?? now;
    const snapshot: AdvisorySnapshot = {
      id, trackingId: a.trackingId, revision: number, severity: a.severity, sourceLang: a.sourceLang, audience: a.audience,
      vulnerabilities: a.vulnerabilities, affected: a.affected, references: a.references, tlp: a.tlp as Tlp,
      initialReleaseDate: initial.toISOString(), currentReleaseDate: now.toISOString(),
      revisionHistory: [...history.map((h) => ({ number: h.number, date: h.date.toISOString(), summary: h.summary })), { number, date: now.toISOString(), summary }],
      texts: Object.fromEntries(texts.filter((t) => t.lang === a.sourceLang || t.basedOnRevision >= a.contentRevision)
        .map((t) => [t.lang, { title: t.title, summary: t.summary, body: t.body, remediation: t.remediation }])),
    };
    await tx.insert(advisoryRevisions).values({ advisoryId: id, number, date: now, summary, publishedBy: userIdOf(meta.actor), snapshot });
    await tx.update(advisories).set({ status: 'published', publishedRevision: number, initialReleaseDate: initial, currentReleaseDate: now, updatedAt: now })
      .where(eq(advisories.id, id));

    const json = `${JSON.stringify(toCsaf(snapshot, deps.config.publisher, advisoryUrl(deps.config.publicUrl, a.trackingId)), null, 2)}\n`;
    const doc = {
      advisoryId: id, revision: number, tlpFolder: tlpFolder(a.tlp as Tlp), year: initial.getUTCFullYear(), filename: csafFilename(a.trackingId), json,
      sha256: crypto.createHash('sha256').update(json).digest('hex'), sha512: crypto.createHash('sha512').update(json).digest('hex'),
      signature: await key.signDetached(json), initialReleaseDate: initial, currentReleaseDate: now,
    };
    await tx.insert(csafDocuments).values(doc).onConflictDoUpdate({ target: csafDocuments.advisoryId, set: doc });
    await appendAudit(tx, meta, {
      action: 'advisory.publish', targetType: 'advisory', targetId: id, orgId: a.ownerOrgId,
      before: { status: a.status, publishedRevision: a.publishedRevision }, after: { status: 'published', publishedRevision: number, summary, csafSha256: doc.sha256, languages: Object.keys(snapshot.texts) },
    });
    // Ids only, on commit: subscribers (web clients, mailing announcements) re-read it through visibility.
    await publish(tx, { topic: 'advisory.published', id });
    return { id, status: 'published', revision: number, csaf: `${doc.tlpFolder}/${doc.year}/${doc.filename}` };
  });
}

export async function revisionSnapshot(db: Db, id: string, number: number): Promise<AdvisorySnapshot | null> {
  const [r] = await db.select({ snapshot: advisoryRevisions.snapshot }).from(advisoryRevisions).where(and(eq(advisoryRevisions.advisoryId, id), eq(advisoryRevisions.number, number)));
  return (r?.snapshot as AdvisorySnapshot | undefined) ?? null;
}
