/**
 * Who may see channels and messages. TLP and sharing scope come from the one visibility function
 * (`visibleTo` / `canSee` on each row's marking); on top of it an invite-only channel is readable
 * only by its members (and its creator). Nothing here widens what `visibleTo` allows.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { isNetworkMember, type Actor, type UserActor } from '../core/actor.ts';
import { isCoordinator } from '../core/policy.ts';
import { canSee, visibleTo, type Marking } from '../core/visibility.ts';
import { notFound } from '../core/errors.ts';
import type { DbOrTx } from '../db/client.ts';
import { channelMembers, channels, messages } from './tables.ts';

export type ChannelRow = typeof channels.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
/** What the access rules read from a channel (its marking, access mode and creator). */
export type ChannelAccess = Pick<ChannelRow, 'id' | 'access' | 'createdBy' | 'tlp' | 'scope' | 'ownerOrgId' | 'scopeOrgIds' | 'sharingGroupId' | 'recipientUserIds'>;
export const channelAccessColumns = {
  id: channels.id, access: channels.access, createdBy: channels.createdBy, tlp: channels.tlp, scope: channels.scope,
  ownerOrgId: channels.ownerOrgId, scopeOrgIds: channels.scopeOrgIds, sharingGroupId: channels.sharingGroupId, recipientUserIds: channels.recipientUserIds,
};

export const markingOf = (r: Marking): Marking => ({
  tlp: r.tlp, scope: r.scope, ownerOrgId: r.ownerOrgId, createdBy: r.createdBy,
  scopeOrgIds: r.scopeOrgIds, sharingGroupId: r.sharingGroupId, recipientUserIds: r.recipientUserIds,
});

/** SQL: the actor may enter the channel row `channels` (visible, and open or a member). */
export function channelReadable(actor: Actor): SQL {
  const vis = visibleTo(actor, channels);
  if (actor.kind === 'system') return vis;
  if (actor.kind !== 'user') return sql`false`;
  return sql`(${vis} AND (${channels.access} = 'open' OR ${channels.createdBy} = ${actor.userId}::uuid OR EXISTS (
    SELECT 1 FROM channel_members cm WHERE cm.channel_id = ${channels.id} AND cm.user_id = ${actor.userId}::uuid)))`;
}

/** SQL: the actor may read the message row `messages` (joined with `channels`). */
export function messageReadable(actor: Actor): SQL {
  return sql`(${visibleTo(actor, messages)} AND ${channelReadable(actor)})`;
}

/** Same rule in code, for one loaded channel (members: user ids of an invite-only channel). */
export function canEnterChannel(actor: Actor, ch: ChannelAccess, isMember: boolean): boolean {
  if (!canSee(actor, markingOf(ch as unknown as Marking))) return false;
  if (actor.kind === 'system') return true;
  return ch.access === 'open' || isMember || (actor.kind === 'user' && ch.createdBy === actor.userId);
}

/**
 * Everything `canSee` and `canEnterChannel` read from a person apart from their user id: their
 * organisations (owner and scope checks), whether one of them is in the trusted network, and their
 * sharing groups. Two people with the same key get the same verdict on any message for which
 * `verdictIsShared` holds, unless one of them is the message's or the channel's creator (creators
 * always see their own) — so the node decides once per key, not once per person.
 */
export function audienceKey(a: UserActor): string {
  const orgs = a.memberships.map((m) => m.orgId).sort();
  return `${[...new Set(orgs)].join(',')}|${isNetworkMember(a) ? 'n' : '-'}|${[...new Set(a.groupIds)].sort().join(',')}`;
}

/**
 * Whether the verdict on a message depends only on the reader's `audienceKey` (and on whether the
 * reader created the message or the channel): not for TLP:RED (named recipients) on the message or
 * the channel, nor for invite-only channels (membership is per person).
 */
export function verdictIsShared(m: Marking, ch: ChannelAccess): boolean {
  return m.tlp !== 'red' && ch.tlp !== 'red' && ch.access === 'open';
}

export async function isChannelMember(db: DbOrTx, channelId: string, userId: string): Promise<boolean> {
  const r = await db.select({ u: channelMembers.userId }).from(channelMembers)
    .where(and(eq(channelMembers.channelId, channelId), eq(channelMembers.userId, userId)));
  return r.length > 0;
}

/** The channel, if the actor may enter it; not_found otherwise (existence is not revealed). */
export async function loadChannelFor(db: DbOrTx, actor: Actor, channelId: string): Promise<ChannelRow> {
  const [ch] = await db.select().from(channels).where(and(eq(channels.id, channelId), channelReadable(actor)));
  if (!ch) throw notFound('Channel');
  return ch;
}

/** The message, if the actor may read it; not_found otherwise. */
export async function loadMessageFor(db: DbOrTx, actor: Actor, messageId: string): Promise<{ m: MessageRow; ch: ChannelRow }> {
  const [r] = await db.select({ m: messages, ch: channels }).from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(eq(messages.id, messageId), messageReadable(actor)));
  if (!r) throw notFound('Message');
  return r;
}

/** Team leads of a team in the channel's audience, and coordinators, raise urgent alerts (the UI shows the action from this). */
export function mayRaiseUrgent(a: UserActor, ch: ChannelRow): boolean {
  if (isCoordinator(a)) return true;
  return a.memberships.some((x) => x.role === 'org_admin' && (x.orgId === ch.ownerOrgId || ch.scopeOrgIds.includes(x.orgId)
    || ch.scope === 'network' || (ch.scope === 'group' && a.groupIds.includes(ch.sharingGroupId ?? ''))));
}

/** Who manages a channel's members: its owners, its organisation's team leads, coordinators who can see it. */
export function managesChannel(a: UserActor, ch: ChannelRow, memberRole: string | null): boolean {
  if (memberRole === 'owner') return true;
  if (ch.ownerOrgId && a.memberships.some((m) => m.orgId === ch.ownerOrgId && m.role === 'org_admin')) return true;
  return isCoordinator(a) && canSee(a, markingOf(ch as unknown as Marking));
}
