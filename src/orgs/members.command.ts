/** People in organisations: add (from an accepted invitation), change role, remove. */
import { and, eq, sql } from 'drizzle-orm';
import type { OrgRole } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, notFound } from '../core/errors.ts';
import { assertCan } from '../core/policy.ts';
import { memberships } from '../core/tables.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { canManageMembers } from './policy.ts';
import { authChanged } from '../auth/auth-changes.ts';

/** Inside the caller's transaction (an invitation being accepted). Existing membership: role kept or raised. */
export async function addMember(tx: Tx, meta: AuditMeta, input: { orgId: string; userId: string; role: OrgRole }) {
  const [existing] = await tx.select().from(memberships).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId)));
  if (existing) {
    if (existing.role === input.role) return;
    await tx.update(memberships).set({ role: input.role }).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId)));
  } else {
    await tx.insert(memberships).values(input);
  }
  await authChanged(tx, 'user', input.userId);
  await appendAudit(tx, meta, {
    action: 'org.member.add', targetType: 'organisation', targetId: input.orgId, orgId: input.orgId,
    before: existing ? { userId: input.userId, role: existing.role } : null, after: { userId: input.userId, role: input.role },
  });
}

async function assertNotLastAdmin(tx: Tx, orgId: string, userId: string) {
  const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'org_admin'), sql`${memberships.userId} <> ${userId}`));
  if ((r?.n ?? 0) === 0) throw conflict('An organisation keeps at least one org admin');
}

export async function changeMemberRole(db: DbOrTx, meta: AuditMeta, input: { orgId: string; userId: string; role: OrgRole }) {
  assertCan(canManageMembers(meta.actor, input.orgId), 'Only an org admin manages members');
  return inTx(db, async (tx) => {
    const [m] = await tx.select().from(memberships).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId))).for('update');
    if (!m) throw notFound('Member');
    if (m.role === 'org_admin' && input.role !== 'org_admin') await assertNotLastAdmin(tx, input.orgId, input.userId);
    await tx.update(memberships).set({ role: input.role }).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId)));
    await authChanged(tx, 'user', input.userId);
    await appendAudit(tx, meta, {
      action: 'org.member.role', targetType: 'organisation', targetId: input.orgId, orgId: input.orgId,
      before: { userId: input.userId, role: m.role }, after: { userId: input.userId, role: input.role },
    });
    return { userId: input.userId, role: input.role };
  });
}

export async function removeMember(db: DbOrTx, meta: AuditMeta, input: { orgId: string; userId: string }) {
  assertCan(canManageMembers(meta.actor, input.orgId), 'Only an org admin manages members');
  return inTx(db, async (tx) => {
    const [m] = await tx.select().from(memberships).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId))).for('update');
    if (!m) throw notFound('Member');
    if (m.role === 'org_admin') await assertNotLastAdmin(tx, input.orgId, input.userId);
    await tx.delete(memberships).where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, input.userId)));
    await authChanged(tx, 'user', input.userId);
    await appendAudit(tx, meta, {
      action: 'org.member.remove', targetType: 'organisation', targetId: input.orgId, orgId: input.orgId,
      before: { userId: input.userId, role: m.role },
    });
  });
}
