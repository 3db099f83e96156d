/**
 * Reading cases. The case row through `visibleTo` (loadCaseFor / list); its items are then read
 * for that one case, internal ones only for the owning team; linked cases only when the reader can
 * see them too (existence of the others is not revealed).
 */
import { and, asc, desc, eq, inArray, notInArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { visibleTo } from '../core/visibility.ts';
import { organisations, users } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { isCaseOwner, loadCaseFor, seesInternal, worksOnCase } from './access.ts';
import { assistanceRequests, caseAttachments, caseLinks, caseObservables, caseParticipants, cases, caseTasks, caseTimeline } from './tables.ts';
import { allowedActions, CLOSED_STATUSES, type CaseStatus } from './workflow.ts';
import { papLabel, type Pap } from './taxonomy.ts';

/** `open`: only cases not closed (see CLOSED_STATUSES). */
export type CaseFilter = { status?: string; open?: boolean; q?: string; limit: number; offset: number };

export async function listCases(db: DbOrTx, actor: Actor, f: CaseFilter) {
  const where = and(
    visibleTo(actor, cases),
    f.status ? eq(cases.status, f.status) : undefined,
    f.open ? notInArray(cases.status, [...CLOSED_STATUSES]) : undefined,
    f.q ? or(sql`${cases.title} ILIKE ${`%${f.q}%`}`, sql`${cases.reference} ILIKE ${`%${f.q}%`}`) : undefined,
  );
  const items = await db.select({
    id: cases.id, reference: cases.reference, title: cases.title, status: cases.status, severity: cases.severity, classification: cases.classification,
    tlp: cases.tlp, pap: cases.pap, ownerOrgId: cases.ownerOrgId, ownerName: organisations.name, updatedAt: cases.updatedAt, createdAt: cases.createdAt,
  }).from(cases).leftJoin(organisations, eq(organisations.id, cases.ownerOrgId)).where(where)
    .orderBy(desc(cases.updatedAt)).limit(f.limit).offset(f.offset);
  return items;
}

export async function getCase(db: DbOrTx, actor: Actor, id: string) {
  const c = await loadCaseFor(db, actor, id);
  const internal = seesInternal(actor, c);
  const [owner] = await db.select({ id: organisations.id, name: organisations.name, countryCode: organisations.countryCode }).from(organisations).where(eq(organisations.id, c.ownerOrgId!));
  const participants = await db.select({ orgId: caseParticipants.orgId, role: caseParticipants.role, name: organisations.name, countryCode: organisations.countryCode, addedAt: caseParticipants.addedAt })
    .from(caseParticipants).innerJoin(organisations, eq(organisations.id, caseParticipants.orgId)).where(eq(caseParticipants.caseId, id)).orderBy(asc(caseParticipants.addedAt));
  const tasks = await db.select().from(caseTasks).where(and(eq(caseTasks.caseId, id), internal ? undefined : eq(caseTasks.internal, false))).orderBy(asc(caseTasks.dueAt), asc(caseTasks.createdAt));
  const timeline = await db.select({
    id: caseTimeline.id, kind: caseTimeline.kind, event: caseTimeline.event, data: caseTimeline.data, body: caseTimeline.body, internal: caseTimeline.internal,
    at: caseTimeline.at, authorId: caseTimeline.authorId, authorName: users.displayName, authorOrgId: caseTimeline.authorOrgId,
  }).from(caseTimeline).leftJoin(users, eq(users.id, caseTimeline.authorId))
    .where(and(eq(caseTimeline.caseId, id), internal ? undefined : eq(caseTimeline.internal, false))).orderBy(asc(caseTimeline.at), asc(caseTimeline.id));
  const attachments = await db.select().from(caseAttachments).where(and(eq(caseAttachments.caseId, id), internal ? undefined : eq(caseAttachments.internal, false)));
  const links = await db.select({ otherCaseId: caseLinks.otherCaseId, relation: caseLinks.relation, reference: cases.reference, title: cases.title, status: cases.status })
    .from(caseLinks).innerJoin(cases, eq(cases.id, caseLinks.otherCaseId)).where(and(eq(caseLinks.caseId, id), visibleTo(actor, cases)));
  const observables = await db.select().from(caseObservables).where(eq(caseObservables.caseId, id)).orderBy(asc(caseObservables.createdAt));
  const teamIds = [...new Set(observables.flatMap((o) => o.teamOrgIds))];
  const teams = teamIds.length ? await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, teamIds)) : [];
  const [assignee] = c.assigneeId ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, c.assigneeId)) : [];
  const [request] = await db.select({ id: assistanceRequests.id }).from(assistanceRequests).where(and(eq(assistanceRequests.caseId, id), visibleTo(actor, assistanceRequests)));
  const owns = isCaseOwner(actor, c);
  return {
    ...c, papLabel: papLabel(c.pap as Pap), owner, participants, tasks, timeline, attachments, links, assignee: assignee ?? null,
    observables: observables.map((o) => ({ ...o, teams: teams.filter((t) => o.teamOrgIds.includes(t.id)) })),
    assistanceRequestId: request?.id ?? null,
    permissions: { owner: owns, works: worksOnCase(actor, c), internal, actions: owns ? allowedActions(c.status as CaseStatus) : [] },
  };
}
