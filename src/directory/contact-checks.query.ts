/** Contact checks as read by coordinators (list, report with unreachable teams) and by contacts (notices, link). */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { sha256 } from '../core/ids.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { organisations } from '../core/tables.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { teamsInScope } from './contact-checks.command.ts';
import { contactCheckRequests, contactChecks, contactCheckSchedules, directoryNotices, teamContacts } from './tables.ts';

export async function listChecks(db: DbOrTx, actor: Actor) {
  assertCan(isCoordinator(actor), 'Only coordinators see contact checks');
  return rows<{ id: string; scope: string; sharing_group_id: string | null; schedule_id: string | null; started_at: Date; deadline_at: Date; requests: number; answered: number; teams: number }>(db, sql`
    SELECT c.id, c.scope, c.sharing_group_id, c.schedule_id, c.started_at, c.deadline_at,
           count(r.id)::int AS requests, count(r.answered_at)::int AS answered, count(DISTINCT r.org_id)::int AS teams
      FROM contact_checks c LEFT JOIN contact_check_requests r ON r.check_id = c.id
     GROUP BY c.id ORDER BY c.started_at DESC LIMIT 200`).then((list) => list.map((r) => ({
    id: r.id, scope: r.scope, sharingGroupId: r.sharing_group_id, scheduleId: r.schedule_id,
    startedAt: new Date(r.started_at), deadlineAt: new Date(r.deadline_at), requests: r.requests, answered: r.answered, teams: r.teams,
  })));
}

/** Per team: contacts asked and answered; unreachable = no contact answered (or no contact at all). */
export async function checkReport(db: DbOrTx, actor: Actor, id: string) {
  assertCan(isCoordinator(actor), 'Only coordinators see contact-check reports');
  const [check] = await db.select().from(contactChecks).where(eq(contactChecks.id, id));
  if (!check) throw notFound('Contact check');
  const requests = await db.select({
    id: contactCheckRequests.id, orgId: contactCheckRequests.orgId, email: contactCheckRequests.email, contactId: contactCheckRequests.contactId,
    contactName: teamContacts.name, answeredAt: contactCheckRequests.answeredAt, answeredBy: contactCheckRequests.answeredBy,
  }).from(contactCheckRequests).leftJoin(teamContacts, eq(teamContacts.id, contactCheckRequests.contactId))
    .where(eq(contactCheckRequests.checkId, id));
  const scoped = await teamsInScope(db, check);
  const names = new Map(scoped.map((t) => [t.id, t.name]));
  const missing = [...new Set(requests.map((r) => r.orgId))].filter((o) => !names.has(o));
  if (missing.length) {
    for (const o of await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(sql`${organisations.id} = ANY(${`{${missing.join(',')}}`}::uuid[])`)) names.set(o.id, o.name);
  }
  const teams = [...names.entries()].map(([orgId, name]) => {
    const mine = requests.filter((r) => r.orgId === orgId);
    const answered = mine.filter((r) => r.answeredAt).length;
    return {
      orgId, name, asked: mine.length, answered, reachable: answered > 0,
      contacts: mine.map((r) => ({ requestId: r.id, contactId: r.contactId, name: r.contactName, email: r.email, answeredAt: r.answeredAt, answeredBy: r.answeredBy })),
    };
  }).sort((a, b) => Number(a.reachable) - Number(b.reachable) || a.name.localeCompare(b.name));
  return {
    id: check.id, scope: check.scope, sharingGroupId: check.sharingGroupId, startedAt: check.startedAt, deadlineAt: check.deadlineAt,
    overdue: check.deadlineAt < new Date(),
    totals: { teams: teams.length, reachable: teams.filter((t) => t.reachable).length, requests: requests.length, answered: requests.filter((r) => r.answeredAt).length },
    unreachable: teams.filter((t) => !t.reachable).map((t) => ({ orgId: t.orgId, name: t.name, asked: t.asked })),
    teams,
  };
}

/** What the emailed link is about (shown before the person confirms). */
export async function requestByToken(db: DbOrTx, token: string) {
  const [r] = await db.select({
    team: organisations.name, contact: teamContacts.name, email: contactCheckRequests.email, answeredAt: contactCheckRequests.answeredAt, deadlineAt: contactChecks.deadlineAt,
  }).from(contactCheckRequests)
    .innerJoin(contactChecks, eq(contactChecks.id, contactCheckRequests.checkId))
    .innerJoin(organisations, eq(organisations.id, contactCheckRequests.orgId))
    .leftJoin(teamContacts, eq(teamContacts.id, contactCheckRequests.contactId))
    .where(eq(contactCheckRequests.tokenHash, sha256(token)));
  if (!r) throw notFound('Confirmation link');
  return r;
}

/** The signed-in user's directory notices (contact checks to answer, stale entries, expiring keys). */
export async function myNotices(db: DbOrTx, actor: Actor, opts: { unreadOnly?: boolean } = {}) {
  if (actor.kind !== 'user') return [];
  return db.select().from(directoryNotices)
    .where(and(eq(directoryNotices.userId, actor.userId), opts.unreadOnly ? isNull(directoryNotices.readAt) : undefined))
    .orderBy(desc(directoryNotices.createdAt)).limit(100);
}

export async function listSchedules(db: DbOrTx, actor: Actor) {
  assertCan(isCoordinator(actor), 'Only coordinators see schedules');
  return db.select().from(contactCheckSchedules).orderBy(contactCheckSchedules.nextRunAt);
}
