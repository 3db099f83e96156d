/**
 * Sharing groups (trust circles): name, description, releasability, owner organisation, member
 * organisations. Coordinators create them; coordinators and the owner organisation's admins manage
 * them. Every change is audited. Later capabilities share to them through the visibility function
 * (scope 'group'); the Actor's groupIds come from sharing_group_members.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { orgIdsOf } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { assertCan, isCoordinator } from '../core/policy.ts';
import { organisations, sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { orgRoleOf } from '../orgs/policy.ts';
import { authChanged } from '../auth/auth-changes.ts';

type GroupFields = { name: string; description: string; releasability: string; ownerOrgId?: string | null };

export const canManageGroup = (a: Actor, g: { ownerOrgId: string | null }): boolean =>
  isCoordinator(a) || (g.ownerOrgId !== null && orgRoleOf(a, g.ownerOrgId) === 'org_admin');

/** Who may read a group: coordinators, its member organisations and its owner. */
export const mayReadGroup = (a: Actor, g: { id: string; ownerOrgId: string | null }) =>
  isCoordinator(a) || (a.kind === 'user' && a.groupIds.includes(g.id)) || (g.ownerOrgId !== null && orgIdsOf(a).includes(g.ownerOrgId));

async function assertOrg(tx: Tx, id: string) {
  const [o] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, id));
  if (!o) throw notFound('Organisation');
}

async function loadForManage(tx: Tx, actor: Actor, id: string) {
  const [g] = await tx.select().from(sharingGroups).where(eq(sharingGroups.id, id)).for('update');
  if (!g || !mayReadGroup(actor, g)) throw notFound('Sharing group');
  assertCan(canManageGroup(actor, g), 'Only coordinators and the owner organisation manage this group');
  return g;
}

export async function createGroup(db: DbOrTx, meta: AuditMeta, input: GroupFields) {
  assertCan(isCoordinator(meta.actor), 'Only coordinators create sharing groups');
  return inTx(db, async (tx) => {
    if (input.ownerOrgId) await assertOrg(tx, input.ownerOrgId);
    const [g] = await tx.insert(sharingGroups).values({ id: newId(), ...input, ownerOrgId: input.ownerOrgId ?? null }).returning();
    // The owner is a member of its own group.
    if (g!.ownerOrgId) await tx.insert(sharingGroupMembers).values({ groupId: g!.id, orgId: g!.ownerOrgId }).onConflictDoNothing();
    if (g!.ownerOrgId) await authChanged(tx, 'org', g!.ownerOrgId);
    await appendAudit(tx, meta, { action: 'sharing_group.create', targetType: 'sharing_group', targetId: g!.id, after: g });
    return g!;
  });
}

export async function updateGroup(db: DbOrTx, meta: AuditMeta, id: string, patch: Partial<GroupFields>) {
  return inTx(db, async (tx) => {
    const before = await loadForManage(tx, meta.actor, id);
    if (patch.ownerOrgId !== undefined && patch.ownerOrgId !== before.ownerOrgId) {
      assertCan(isCoordinator(meta.actor), 'Only coordinators change the owner of a group');
      if (patch.ownerOrgId) await assertOrg(tx, patch.ownerOrgId);
    }
    const [g] = await tx.update(sharingGroups).set(patch).where(eq(sharingGroups.id, id)).returning();
    if (g!.ownerOrgId) await tx.insert(sharingGroupMembers).values({ groupId: id, orgId: g!.ownerOrgId }).onConflictDoNothing();
    if (g!.ownerOrgId && g!.ownerOrgId !== before.ownerOrgId) await authChanged(tx, 'org', g!.ownerOrgId);
    await appendAudit(tx, meta, { action: 'sharing_group.update', targetType: 'sharing_group', targetId: id, before, after: g });
    return g!;
  });
}

export async function deleteGroup(db: DbOrTx, meta: AuditMeta, id: string) {
  return inTx(db, async (tx) => {
    const before = await loadForManage(tx, meta.actor, id);
    const members = await tx.select({ orgId: sharingGroupMembers.orgId }).from(sharingGroupMembers).where(eq(sharingGroupMembers.groupId, id));
    await tx.delete(sharingGroups).where(eq(sharingGroups.id, id));
    for (const m of members) await authChanged(tx, 'org', m.orgId);
    await appendAudit(tx, meta, { action: 'sharing_group.delete', targetType: 'sharing_group', targetId: id, before: { ...before, members: members.map((m) => m.orgId) } });
  });
}

export async function addGroupMember(db: DbOrTx, meta: AuditMeta, id: string, orgId: string) {
  return inTx(db, async (tx) => {
    await loadForManage(tx, meta.actor, id);
    await assertOrg(tx, orgId);
    const r = await tx.insert(sharingGroupMembers).values({ groupId: id, orgId }).onConflictDoNothing().returning();
    if (!r.length) throw conflict('This organisation already is a member of the group');
    await authChanged(tx, 'org', orgId);
    await appendAudit(tx, meta, { action: 'sharing_group.member.add', targetType: 'sharing_group', targetId: id, after: { orgId } });
  });
}

export async function removeGroupMember(db: DbOrTx, meta: AuditMeta, id: string, orgId: string) {
  return inTx(db, async (tx) => {
    const g = await loadForManage(tx, meta.actor, id);
    if (g.ownerOrgId === orgId) throw conflict('The owner organisation stays a member; change the owner first');
    const r = await tx.delete(sharingGroupMembers).where(and(eq(sharingGroupMembers.groupId, id), eq(sharingGroupMembers.orgId, orgId))).returning();
    if (!r.length) throw notFound('Group member');
    await authChanged(tx, 'org', orgId);
    await appendAudit(tx, meta, { action: 'sharing_group.member.remove', targetType: 'sharing_group', targetId: id, before: { orgId } });
  });
}
