/**
 * Cases: create (with their channel), change fields, move through the workflow, add and remove
 * participating organisations. Every change is audited and leaves an automatic timeline entry in
 * the same transaction; the teams concerned are notified in the app and by e-mail.
 */
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Tlp } from '../core/tlp.ts';
import { assertMarkingCoherent, type Marking } from '../core/visibility.ts';
import { memberships, organisations } from '../core/tables.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { assertOwner, loadCaseFor, type CaseRow } from './access.ts';
import { openCaseChannel, removeChannelMembersOf, syncCaseChannel, syncCaseChannelMarking } from './case-channel.ts';
import { CASE_EVENTS, caseEvent } from './emails.ts';
import { notify, peopleById, peopleOf } from './notify.ts';
import type { CreateCaseInput, UpdateCaseInput } from './schema.ts';
import { caseLinks, caseParticipants, cases } from './tables.ts';
import { RSIT_FOR_REGIONAL, type ParticipantRole, type RegionalClass } from './taxonomy.ts';
import { autoEntry } from './timeline.ts';
import { CLOSED_STATUSES, nextStatus, type CaseAction, type CaseStatus } from './workflow.ts';

export type CaseDeps = { publicUrl: string };
export const caseLink = (deps: CaseDeps, id: string) => `${deps.publicUrl}/incidents/cases/${id}`;

const userMemberships = (a: Actor) => (a.kind === 'user' ? a.memberships : []);

/** Letters and digits that cannot be misread (no 0/O, 1/I/L, U). */
const REF_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new case reference, e.g. HS-2026-K7QM4: the year and five random characters (30^5 ≈ 24 million
 * per year), not a running number — a running number would tell every team how many cases the
 * others opened (TLP:RED ones included) between two of its own.
 */
async function newReference(tx: DbOrTx): Promise<string> {
  const year = new Date().getUTCFullYear();
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7224601071)`);
  for (;;) {
    const ref = `HS-${year}-${Array.from({ length: 5 }, () => REF_ALPHABET[crypto.randomInt(REF_ALPHABET.length)]).join('')}`;
    const [taken] = await rows<{ one: number }>(tx, sql`SELECT 1 AS one FROM cases WHERE reference = ${ref}`);
    if (!taken) return ref;
  }
}

export function caseMarking(tlp: Tlp, ownerOrgId: string, createdBy: string | null, orgIds: string[], recipientUserIds: string[]): Marking {
  return { tlp, scope: 'orgs', ownerOrgId, createdBy, scopeOrgIds: [...new Set([ownerOrgId, ...orgIds])], sharingGroupId: null, recipientUserIds };
}

/** The assignee works in one of the case's teams; on a TLP:RED case, is also one of its named recipients (else they would be told of a case they may not read). */
async function assertAssignable(tx: DbOrTx, userId: string, orgIds: string[], redRecipients?: string[]) {
  if (redRecipients && !redRecipients.includes(userId)) {
    throw invalid('On a TLP:RED case the assignee must be one of its named recipients', [{ path: 'assigneeId', message: 'not a named recipient of this TLP:RED case' }]);
  }
  const [m] = await tx.select().from(memberships).where(and(eq(memberships.userId, userId), sql`${memberships.orgId} = ANY(${`{${orgIds.join(',')}}`}::uuid[])`));
  if (!m) throw invalid('The assignee must belong to a team of the case', [{ path: 'assigneeId', message: 'not a member of the case’s teams' }]);
}

export async function createCase(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, input: CreateCaseInput & { reportId?: string; participants?: { orgId: string; role: ParticipantRole }[] }) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  const ownerOrgId = input.ownerOrgId ?? userMemberships(a).find((m) => m.role !== 'observer')?.orgId;
  if (!ownerOrgId || !userMemberships(a).some((m) => m.orgId === ownerOrgId && m.role !== 'observer')) throw forbidden('Open cases for a team you work in');
  const tlp = (input.tlp ?? 'amber') as Tlp;
  const recipients = tlp === 'red' ? [...new Set([a.userId, ...(input.recipientUserIds ?? [])])] : [];
  const participants = input.participants ?? [];
  const marking = caseMarking(tlp, ownerOrgId, a.userId, participants.map((p) => p.orgId), recipients);
  assertMarkingCoherent(marking);
  return inTx(db, async (tx) => {
    if (input.assigneeId) await assertAssignable(tx, input.assigneeId, [ownerOrgId], tlp === 'red' ? recipients : undefined);
    const id = newId();
    const reference = await newReference(tx);
    const classification = input.classification as RegionalClass;
    const [row] = await tx.insert(cases).values({
      id, reference, title: input.title, description: input.description ?? '', classification, rsit: input.rsit ?? RSIT_FOR_REGIONAL[classification],
      severity: input.severity ?? 'medium', pap: input.pap ?? 'amber', status: 'new', assigneeId: input.assigneeId ?? null, reportId: input.reportId ?? null,
      ...marking,
    }).returning();
    for (const p of participants) await tx.insert(caseParticipants).values({ caseId: id, orgId: p.orgId, role: p.role, addedBy: a.userId });
    const channelId = await openCaseChannel(tx, meta, { id, reference, title: input.title, tlp, ownerOrgId, orgIds: participants.map((p) => p.orgId) });
    await tx.update(cases).set({ channelId }).where(eq(cases.id, id));
    await autoEntry(tx, meta, id, 'created', { reference, status: 'new', tlp, pap: row!.pap });
    await appendAudit(tx, meta, { action: 'incidents.case.create', targetType: 'case', targetId: id, orgId: ownerOrgId, after: { ...row, channelId } });
    if (input.assigneeId && input.assigneeId !== a.userId) {
      await notify(tx, await peopleById(tx, [input.assigneeId]), { kind: 'case.assigned', caseId: id },
        { template: caseEvent, vars: { reference }, event: CASE_EVENTS.assigned, link: caseLink(deps, id) });
    }
    return { ...row!, channelId };
  });
}

const FIELDS = ['title', 'description', 'classification', 'rsit', 'severity', 'tlp', 'pap', 'assigneeId'] as const;

export async function updateCase(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, id: string, input: UpdateCaseInput) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, id, { lock: true });
    assertOwner(meta.actor, c);
    const set: Partial<typeof cases.$inferInsert> = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const f of FIELDS) {
      const v = input[f];
      if (v === undefined || v === c[f]) continue;
      (set as Record<string, unknown>)[f] = v;
      changed[f] = { from: f === 'description' ? undefined : c[f], to: f === 'description' ? undefined : v };
    }
    const tlp = (input.tlp ?? c.tlp) as Tlp;
    let recipients = c.recipientUserIds;
    if (input.recipientUserIds !== undefined || tlp !== c.tlp) {
      recipients = tlp === 'red' ? [...new Set([...(input.recipientUserIds ?? c.recipientUserIds), ...(meta.actor.kind === 'user' ? [meta.actor.userId] : [])])] : [];
      set.recipientUserIds = recipients;
    }
    assertMarkingCoherent(caseMarking(tlp, c.ownerOrgId!, c.createdBy, c.scopeOrgIds, recipients));
    if (input.assigneeId) await assertAssignable(tx, input.assigneeId, [c.ownerOrgId!, ...c.scopeOrgIds], tlp === 'red' ? recipients : undefined);
    if (!Object.keys(set).length) return c;
    const [after] = await tx.update(cases).set({ ...set, updatedAt: new Date() }).where(eq(cases.id, id)).returning();
    // The case channel follows the case's TLP and RED recipients (a case turned RED must not keep an open channel).
    if (set.tlp !== undefined || set.recipientUserIds !== undefined) await syncCaseChannelMarking(tx, meta, after!);
    for (const [field, ch] of Object.entries(changed)) await autoEntry(tx, meta, id, `field.${field}`, ch);
    await appendAudit(tx, meta, { action: 'incidents.case.update', targetType: 'case', targetId: id, orgId: c.ownerOrgId, before: c, after });
    if (input.assigneeId && input.assigneeId !== c.assigneeId) {
      await notify(tx, await peopleById(tx, [input.assigneeId]), { kind: 'case.assigned', caseId: id },
        { template: caseEvent, vars: { reference: c.reference }, event: CASE_EVENTS.assigned, link: caseLink(deps, id) }, meta.actor.kind === 'user' ? meta.actor.userId : null);
    }
    return after!;
  });
}

export async function transitionCase(db: DbOrTx, meta: AuditMeta, id: string, action: CaseAction, opts: { reason?: string; duplicateOfId?: string } = {}) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, id, { lock: true });
    assertOwner(meta.actor, c);
    const to: CaseStatus = nextStatus(c.status as CaseStatus, action);
    if (action === 'reject' && !opts.reason) throw invalid('Say why the case is rejected', [{ path: 'reason', message: 'required to reject' }]);
    let duplicateOfId: string | null = null;
    if (action === 'mark_duplicate') {
      if (!opts.duplicateOfId || opts.duplicateOfId === id) throw invalid('Name the case this one duplicates', [{ path: 'duplicateOfId', message: 'required, another case' }]);
      const other = await loadCaseFor(tx, meta.actor, opts.duplicateOfId);
      duplicateOfId = other.id;
      await tx.insert(caseLinks).values({ caseId: id, otherCaseId: other.id, relation: 'duplicate_of', createdBy: meta.actor.kind === 'user' ? meta.actor.userId : null })
        .onConflictDoUpdate({ target: [caseLinks.caseId, caseLinks.otherCaseId], set: { relation: 'duplicate_of' } });
    }
    const now = new Date();
    const [after] = await tx.update(cases).set({
      status: to, updatedAt: now, duplicateOfId: action === 'reopen' ? null : (duplicateOfId ?? c.duplicateOfId),
      openedAt: to === 'open' && !c.openedAt ? now : c.openedAt,
      closedAt: CLOSED_STATUSES.includes(to) ? now : null,
    }).where(eq(cases.id, id)).returning();
    await autoEntry(tx, meta, id, 'status', { from: c.status, to, action, reason: opts.reason ?? null, duplicateOfId });
    await appendAudit(tx, meta, { action: `incidents.case.${action}`, targetType: 'case', targetId: id, orgId: c.ownerOrgId, before: { status: c.status }, after: { status: to, reason: opts.reason ?? null, duplicateOfId } });
    return after!;
  });
}

/** Add a participating organisation (owner only); it then sees the case and its channel. */
export async function addParticipant(db: DbOrTx, meta: AuditMeta, deps: CaseDeps, id: string, input: { orgId: string; role: ParticipantRole; userIds?: string[] }, opts: { channelUserIds?: string[]; skipOwnerCheck?: boolean } = {}) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, id, { lock: true });
    if (!opts.skipOwnerCheck) assertOwner(meta.actor, c);
    if (input.orgId === c.ownerOrgId) throw invalid('The owning team already takes part', [{ path: 'orgId', message: 'the owner' }]);
    const [org] = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, input.orgId));
    if (!org) throw notFound('Organisation');
    const added = await tx.insert(caseParticipants).values({ caseId: id, orgId: input.orgId, role: input.role, addedBy: meta.actor.kind === 'user' ? meta.actor.userId : null })
      .onConflictDoNothing().returning();
    if (!added.length) throw conflict('This organisation already takes part');
    const userIds = input.userIds ?? [];
    if (c.tlp === 'red') {
      if (!userIds.length) throw invalid('TLP:RED case: name the people of this organisation who may read it', [{ path: 'userIds', message: 'required for TLP:RED' }]);
      const people = await tx.select({ u: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, input.orgId), sql`${memberships.userId} = ANY(${`{${userIds.join(',')}}`}::uuid[])`));
      if (people.length !== new Set(userIds).size) throw invalid('Everyone named must belong to that organisation', [{ path: 'userIds', message: 'not all members' }]);
    }
    const scopeOrgIds = [...new Set([...c.scopeOrgIds, input.orgId])];
    const recipientUserIds = c.tlp === 'red' ? [...new Set([...c.recipientUserIds, ...userIds])] : c.recipientUserIds;
    const [after] = await tx.update(cases).set({ scopeOrgIds, recipientUserIds, updatedAt: new Date() }).where(eq(cases.id, id)).returning();
    await syncCaseChannel(tx, meta, after!, [...(opts.channelUserIds ?? []), ...(c.tlp === 'red' ? userIds : [])]);
    await autoEntry(tx, meta, id, 'participant.added', { orgId: input.orgId, name: org.name, role: input.role });
    await appendAudit(tx, meta, { action: 'incidents.case.participant.add', targetType: 'case', targetId: id, orgId: c.ownerOrgId, after: added[0] });
    const people = c.tlp === 'red' ? await peopleById(tx, userIds) : await peopleOf(tx, [input.orgId]);
    await notify(tx, people, { kind: 'case.participant', caseId: id },
      { template: caseEvent, vars: { reference: c.reference }, event: CASE_EVENTS.participant_added, link: caseLink(deps, id) });
    return after!;
  });
}

export async function removeParticipant(db: DbOrTx, meta: AuditMeta, id: string, orgId: string) {
  return inTx(db, async (tx) => {
    const c = await loadCaseFor(tx, meta.actor, id, { lock: true });
    assertOwner(meta.actor, c);
    const gone = await tx.delete(caseParticipants).where(and(eq(caseParticipants.caseId, id), eq(caseParticipants.orgId, orgId))).returning();
    if (!gone.length) throw notFound('Participant');
    const leaving = (await tx.select({ u: memberships.userId }).from(memberships).where(eq(memberships.orgId, orgId))).map((r) => r.u);
    const [after] = await tx.update(cases).set({
      scopeOrgIds: c.scopeOrgIds.filter((o) => o !== orgId), recipientUserIds: c.recipientUserIds.filter((u) => !leaving.includes(u) || u === c.createdBy),
      updatedAt: new Date(),
    }).where(eq(cases.id, id)).returning();
    await syncCaseChannel(tx, meta, after!);
    await removeChannelMembersOf(tx, after!, leaving);
    await autoEntry(tx, meta, id, 'participant.removed', { orgId });
    await appendAudit(tx, meta, { action: 'incidents.case.participant.remove', targetType: 'case', targetId: id, orgId: c.ownerOrgId, before: gone[0] });
    return after!;
  });
}

export type { CaseRow };
