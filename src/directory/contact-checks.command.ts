/**
 * Contact checks: a coordinator (or a schedule) asks every contact of the teams in scope — all
 * teams, or a sharing group's — to confirm they are reachable. Each contact gets an email with a
 * unique link (only its hash is stored) and, when the address belongs to a user, an in-app notice.
 * Answering (by the link, or in the app as that user) records who and when and sets the contact's
 * "last verified".
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { userIdOf } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { DomainError, forbidden, notFound } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { organisations, sharingGroupMembers, sharingGroups, users } from '../core/tables.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { contactCheckRequest } from './emails.ts';
import { contactCheckRequests, contactChecks, contactCheckSchedules, directoryNotices, teamContacts } from './tables.ts';

export type CheckDeps = { publicUrl: string; deadlineDays: number };
export type CheckScopeInput = { scope: 'all' | 'group'; sharingGroupId?: string };

/** Organisations in scope: every team of the network, or the members of a sharing group. */
export async function teamsInScope(db: DbOrTx, s: { scope: string; sharingGroupId?: string | null }) {
  if (s.scope === 'group') {
    return db.select({ id: organisations.id, name: organisations.name }).from(sharingGroupMembers)
      .innerJoin(organisations, eq(organisations.id, sharingGroupMembers.orgId)).where(eq(sharingGroupMembers.groupId, s.sharingGroupId!));
  }
  return db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.networkMember, true));
}

export async function startCheck(db: DbOrTx, deps: CheckDeps, meta: AuditMeta, input: CheckScopeInput, scheduleId: string | null = null) {
  assertCan(isCoordinator(meta.actor), 'Only coordinators start contact checks');
  return inTx(db, async (tx) => {
    if (input.scope === 'group') {
      const [g] = await tx.select({ id: sharingGroups.id }).from(sharingGroups).where(eq(sharingGroups.id, input.sharingGroupId!));
      if (!g) throw notFound('Sharing group');
    }
    const teams = await teamsInScope(tx, input);
    const id = newId();
    const deadlineAt = new Date(Date.now() + deps.deadlineDays * 86_400_000);
    await tx.insert(contactChecks).values({ id, scope: input.scope, sharingGroupId: input.sharingGroupId ?? null, scheduleId, startedBy: userIdOf(meta.actor), deadlineAt });
    const teamName = new Map(teams.map((t) => [t.id, t.name]));
    const contacts = teams.length ? await tx.select().from(teamContacts).where(inArray(teamContacts.orgId, teams.map((t) => t.id))) : [];
    const emails = [...new Set(contacts.map((c) => c.email.toLowerCase()))];
    const known = emails.length
      ? await tx.select({ id: users.id, email: users.email, locale: users.locale }).from(users)
        .where(and(inArray(sql`lower(${users.email})`, emails), isNull(users.disabledAt)))
      : [];
    const userOf = new Map(known.map((u) => [u.email.toLowerCase(), u]));
    const deadline = deadlineAt.toISOString().slice(0, 10);
    for (const c of contacts) {
      const token = randomSecret();
      const requestId = newId();
      const user = userOf.get(c.email.toLowerCase());
      await tx.insert(contactCheckRequests).values({ id: requestId, checkId: id, orgId: c.orgId, contactId: c.id, email: c.email, userId: user?.id ?? null, tokenHash: sha256(token) });
      const link = `${deps.publicUrl}/directory/verify?token=${encodeURIComponent(token)}`;
      await queueMail(tx, {
        ...renderMail(contactCheckRequest, user?.locale ?? 'en', { team: teamName.get(c.orgId) ?? '', name: c.name, function: c.function || c.kind, deadline, link }, c.email),
        tag: 'directory.contact-check',
      });
      if (user) {
        await tx.insert(directoryNotices).values({ id: newId(), userId: user.id, kind: 'contact_check', data: { requestId, checkId: id, orgId: c.orgId, team: teamName.get(c.orgId), contact: c.name } });
      }
    }
    await appendAudit(tx, meta, {
      action: 'directory.contact_check.start', targetType: 'contact_check', targetId: id,
      after: { scope: input.scope, sharingGroupId: input.sharingGroupId ?? null, scheduleId, teams: teams.length, requests: contacts.length },
    });
    return { id, scope: input.scope, sharingGroupId: input.sharingGroupId ?? null, teams: teams.length, requests: contacts.length, deadlineAt };
  });
}

async function answer(tx: Tx, meta: AuditMeta, req: typeof contactCheckRequests.$inferSelect, via: 'link' | 'app') {
  if (req.answeredAt) return { alreadyAnswered: true, answeredAt: req.answeredAt };
  const at = new Date();
  const by = userIdOf(meta.actor) ?? `link:${req.email}`;
  await tx.update(contactCheckRequests).set({ answeredAt: at, answeredBy: by }).where(eq(contactCheckRequests.id, req.id));
  if (req.contactId) await tx.update(teamContacts).set({ lastVerifiedAt: at, lastVerifiedBy: by }).where(eq(teamContacts.id, req.contactId));
  await tx.update(directoryNotices).set({ readAt: at })
    .where(and(eq(directoryNotices.kind, 'contact_check'), sql`${directoryNotices.data}->>'requestId' = ${req.id}`, isNull(directoryNotices.readAt)));
  await appendAudit(tx, meta, {
    action: 'directory.contact_check.answer', targetType: 'contact_check', targetId: req.checkId, orgId: req.orgId,
    after: { requestId: req.id, contactId: req.contactId, email: req.email, via, at },
  });
  return { alreadyAnswered: false, answeredAt: at };
}

/** The emailed link: whoever holds it confirms that the address is reachable. */
export async function answerByToken(db: DbOrTx, meta: AuditMeta, token: string) {
  return inTx(db, async (tx) => {
    const [req] = await tx.select().from(contactCheckRequests).where(eq(contactCheckRequests.tokenHash, sha256(token))).for('update');
    if (!req) throw new DomainError('not_found', 'This confirmation link is not known (it may have been replaced by a newer check)');
    return answer(tx, meta, req, 'link');
  });
}

/** In the app: the signed-in user whose address was asked confirms. */
export async function answerAsUser(db: DbOrTx, meta: AuditMeta, requestId: string) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  return inTx(db, async (tx) => {
    const [req] = await tx.select().from(contactCheckRequests).where(eq(contactCheckRequests.id, requestId)).for('update');
    if (!req) throw notFound('Contact-check request');
    if (req.userId !== a.userId && req.email.toLowerCase() !== a.email.toLowerCase()) throw forbidden('This request was sent to another address');
    return answer(tx, meta, req, 'app');
  });
}

export async function createSchedule(db: DbOrTx, meta: AuditMeta, input: CheckScopeInput & { everyMonths: number; firstRunAt?: Date }) {
  assertCan(isCoordinator(meta.actor), 'Only coordinators schedule contact checks');
  return inTx(db, async (tx) => {
    const [row] = await tx.insert(contactCheckSchedules).values({
      id: newId(), scope: input.scope, sharingGroupId: input.sharingGroupId ?? null, everyMonths: input.everyMonths,
      nextRunAt: input.firstRunAt ?? new Date(), createdBy: userIdOf(meta.actor),
    }).returning();
    await appendAudit(tx, meta, { action: 'directory.contact_check.schedule', targetType: 'contact_check_schedule', targetId: row!.id, after: row });
    return row!;
  });
}

export async function deleteSchedule(db: DbOrTx, meta: AuditMeta, id: string) {
  assertCan(isCoordinator(meta.actor), 'Only coordinators remove schedules');
  return inTx(db, async (tx) => {
    const [row] = await tx.delete(contactCheckSchedules).where(eq(contactCheckSchedules.id, id)).returning();
    if (!row) throw notFound('Schedule');
    await appendAudit(tx, meta, { action: 'directory.contact_check.unschedule', targetType: 'contact_check_schedule', targetId: id, before: row });
  });
}
