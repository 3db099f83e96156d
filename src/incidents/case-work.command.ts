/**
 * Working on a case: manual timeline notes, tasks with due dates, links to other cases and
 * attachments (blob store). The owner's and participants' working members add; internal items
 * (owner only) may be written by the owner's members only. Audited, with timeline entries.
 */
import { and, eq } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { BlobStore } from '../blobs/store.ts';
import type { DbOrTx } from '../db/client.ts';
import { assertOwner, assertWorks, isCaseOwner, loadCaseFor, seesInternal } from './access.ts';
import { caseAttachments, caseLinks, caseTasks, caseTimeline } from './tables.ts';
import { autoEntry } from './timeline.ts';

const who = (meta: AuditMeta) => (meta.actor.kind === 'user' ? meta.actor : null);

export async function addNote(db: DbOrTx, meta: AuditMeta, caseId: string, input: { body: string; internal?: boolean }) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, caseId);
    assertWorks(meta.actor, c);
    if (input.internal && !isCaseOwner(meta.actor, c)) throw forbidden('Internal notes are for the owning team');
    const u = who(meta);
    const orgId = u?.memberships.find((m) => m.orgId === c.ownerOrgId || c.scopeOrgIds.includes(m.orgId))?.orgId ?? null;
    const [row] = await tx.insert(caseTimeline).values({
      id: newId(), caseId, kind: 'note', body: input.body, internal: !!input.internal, authorId: u?.userId ?? null, authorOrgId: orgId,
    }).returning();
    await appendAudit(tx, meta, { action: 'incidents.case.note', targetType: 'case', targetId: caseId, orgId: c.ownerOrgId, after: { id: row!.id, internal: row!.internal } });
    return row!;
  });
}

export async function addTask(db: DbOrTx, meta: AuditMeta, caseId: string, input: { title: string; dueAt?: Date; assigneeId?: string; internal?: boolean }) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, caseId);
    assertWorks(meta.actor, c);
    if (input.internal && !isCaseOwner(meta.actor, c)) throw forbidden('Internal tasks are for the owning team');
    const [row] = await tx.insert(caseTasks).values({
      id: newId(), caseId, title: input.title, dueAt: input.dueAt ?? null, assigneeId: input.assigneeId ?? null, internal: !!input.internal,
      createdBy: who(meta)?.userId ?? null,
    }).returning();
    await autoEntry(tx, meta, caseId, 'task.added', { taskId: row!.id, title: row!.title, dueAt: row!.dueAt }, row!.internal);
    await appendAudit(tx, meta, { action: 'incidents.case.task.add', targetType: 'case', targetId: caseId, orgId: c.ownerOrgId, after: row });
    return row!;
  });
}

export async function updateTask(db: DbOrTx, meta: AuditMeta, caseId: string, taskId: string, input: { done?: boolean; title?: string; dueAt?: Date | null }) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, caseId);
    assertWorks(meta.actor, c);
    const [t] = await tx.select().from(caseTasks).where(and(eq(caseTasks.id, taskId), eq(caseTasks.caseId, caseId)));
    if (!t || (t.internal && !seesInternal(meta.actor, c))) throw notFound('Task');
    const [after] = await tx.update(caseTasks).set({
      title: input.title ?? t.title, dueAt: input.dueAt === undefined ? t.dueAt : input.dueAt,
      doneAt: input.done === undefined ? t.doneAt : input.done ? (t.doneAt ?? new Date()) : null,
    }).where(eq(caseTasks.id, taskId)).returning();
    await autoEntry(tx, meta, caseId, input.done === true ? 'task.done' : input.done === false ? 'task.reopened' : 'task.changed', { taskId, title: after!.title }, t.internal);
    await appendAudit(tx, meta, { action: 'incidents.case.task.update', targetType: 'case', targetId: caseId, orgId: c.ownerOrgId, before: t, after });
    return after!;
  });
}

/** Link two cases the actor can both see (owner of the first). */
export async function linkCases(db: DbOrTx, meta: AuditMeta, caseId: string, input: { otherCaseId: string; relation: string }) {
  if (input.otherCaseId === caseId) throw invalid('A case cannot link to itself', [{ path: 'otherCaseId', message: 'another case' }]);
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, caseId);
    assertOwner(meta.actor, c);
    await loadCaseFor(tx, meta.actor, input.otherCaseId);
    const added = await tx.insert(caseLinks).values({ caseId, otherCaseId: input.otherCaseId, relation: input.relation, createdBy: who(meta)?.userId ?? null })
      .onConflictDoNothing().returning();
    if (!added.length) throw conflict('Already linked');
    await autoEntry(tx, meta, caseId, 'link.added', { otherCaseId: input.otherCaseId, relation: input.relation });
    await appendAudit(tx, meta, { action: 'incidents.case.link', targetType: 'case', targetId: caseId, orgId: c.ownerOrgId, after: added[0] });
    return added[0]!;
  });
}

export async function addAttachment(db: DbOrTx, store: BlobStore, meta: AuditMeta, caseId: string, input: { filename: string; contentType: string; data: Buffer; internal?: boolean; maxBytes: number }) {
  const c0 = await loadCaseFor(db, meta.actor, caseId);
  assertWorks(meta.actor, c0);
  if (input.internal && !isCaseOwner(meta.actor, c0)) throw forbidden('Internal attachments are for the owning team');
  const blob = await store.put(input.data, { maxBytes: input.maxBytes });
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, caseId);
    const [row] = await tx.insert(caseAttachments).values({
      id: newId(), caseId, filename: input.filename.slice(0, 255), contentType: input.contentType.slice(0, 200), size: blob.size, sha256: blob.sha256,
      internal: !!input.internal, uploadedBy: who(meta)?.userId ?? null,
    }).returning();
    await autoEntry(tx, meta, caseId, 'attachment.added', { attachmentId: row!.id, filename: row!.filename, sha256: blob.sha256 }, row!.internal);
    await appendAudit(tx, meta, { action: 'incidents.case.attachment', targetType: 'case', targetId: caseId, orgId: c.ownerOrgId, after: row });
    return row!;
  });
}

export async function readAttachment(db: DbOrTx, store: BlobStore, meta: AuditMeta, caseId: string, attachmentId: string) {
  const c = await loadCaseFor(db, meta.actor, caseId);
  const [a] = await db.select().from(caseAttachments).where(and(eq(caseAttachments.id, attachmentId), eq(caseAttachments.caseId, caseId)));
  if (!a || (a.internal && !seesInternal(meta.actor, c))) throw notFound('Attachment');
  const data = await store.get(a.sha256);
  if (!data) throw notFound('Attachment content');
  return { meta: a, data };
}
