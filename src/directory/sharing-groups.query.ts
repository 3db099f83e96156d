/** Reading sharing groups: coordinators see all; others the groups their organisations belong to. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { organisations, sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { canManageGroup, mayReadGroup } from './sharing-groups.command.ts';

const mayRead = mayReadGroup;

async function withMembers(db: DbOrTx, actor: Actor, groups: (typeof sharingGroups.$inferSelect)[]) {
  if (!groups.length) return [];
  const members = await db.select({ groupId: sharingGroupMembers.groupId, orgId: organisations.id, name: organisations.name, countryCode: organisations.countryCode, type: organisations.type })
    .from(sharingGroupMembers).innerJoin(organisations, eq(organisations.id, sharingGroupMembers.orgId))
    .where(inArray(sharingGroupMembers.groupId, groups.map((g) => g.id))).orderBy(asc(organisations.name));
  return groups.map((g) => ({
    ...g,
    members: members.filter((m) => m.groupId === g.id).map(({ groupId: _g, ...m }) => m),
    policies: { canManage: canManageGroup(actor, g) },
  }));
}

export async function listGroups(db: DbOrTx, actor: Actor) {
  const all = await db.select().from(sharingGroups).orderBy(asc(sharingGroups.name));
  return withMembers(db, actor, all.filter((g) => mayRead(actor, g)));
}

export async function getGroup(db: DbOrTx, actor: Actor, id: string) {
  const [g] = await db.select().from(sharingGroups).where(eq(sharingGroups.id, id));
  if (!g || !mayRead(actor, g)) throw notFound('Sharing group');
  return (await withMembers(db, actor, [g]))[0]!;
}
