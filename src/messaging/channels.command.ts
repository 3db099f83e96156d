/**
 * Creating channels and changing who is in them. A channel's kind fixes its audience (its marking):
 * network-wide → the trusted network; group → a sharing group; bilateral → exactly two
 * organisations; org → one organisation; context → named organisations for a case or exercise.
 * Every change is audited in its transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isCoordinator } from '../core/policy.ts';
import type { Tlp } from '../core/tlp.ts';
import { assertMarkingCoherent, canSee, type Marking, type Scope } from '../core/visibility.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import type { DbOrTx } from '../db/client.ts';
import { canEnterChannel, loadChannelFor, markingOf } from './access.ts';
import { channelMembers, channels } from './tables.ts';

export const CHANNEL_KINDS = ['network', 'group', 'bilateral', 'org', 'context'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type CreateChannelInput = {
  kind: ChannelKind; name: string; topic?: string; access?: 'open' | 'invite'; defaultTlp: Exclude<Tlp, 'red'>;
  /** The organisation the channel belongs to (default: the creator's first). */
  orgId?: string;
  /** bilateral: the other organisation; context: the organisations taking part. */
  otherOrgId?: string; orgIds?: string[];
  sharingGroupId?: string;
  contextType?: string; contextId?: string;
};

const userOrgs = (a: Actor) => (a.kind === 'user' ? a.memberships : []);

export async function createChannel(db: DbOrTx, meta: AuditMeta, input: CreateChannelInput) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  const orgId = input.orgId ?? userOrgs(a)[0]?.orgId;
  const mine = userOrgs(a).find((m) => m.orgId === orgId);
  if (!orgId || (!mine && !isCoordinator(a))) throw forbidden('Create channels for an organisation you belong to');
  let scope: Scope;
  let scopeOrgIds: string[] = [];
  let sharingGroupId: string | null = null;
  switch (input.kind) {
    case 'network':
      if (!isCoordinator(a) && !(mine?.networkMember && mine.role === 'org_admin'))
        throw forbidden('Network-wide channels are opened by coordinators or team leads of network teams');
      scope = 'network';
      break;
    case 'group':
      if (!input.sharingGroupId) throw invalid('A sharing group is required', [{ path: 'sharingGroupId', message: 'required' }]);
      if (!a.groupIds.includes(input.sharingGroupId)) throw forbidden('Your organisation is not in this sharing group');
      scope = 'group';
      sharingGroupId = input.sharingGroupId;
      break;
    case 'bilateral':
      if (!input.otherOrgId || input.otherOrgId === orgId)
        throw invalid('Name the other organisation', [{ path: 'otherOrgId', message: 'required and different from yours' }]);
      scope = 'orgs';
      scopeOrgIds = [orgId, input.otherOrgId];
      break;
    case 'org':
      if (!mine) throw forbidden('Only members open their organisation’s channel');
      scope = 'org';
      break;
    case 'context':
      if (!input.contextType || !input.contextId)
        throw invalid('A context is required', [{ path: 'contextType', message: 'contextType and contextId are required' }]);
      scope = 'orgs';
      scopeOrgIds = [...new Set([orgId, ...(input.orgIds ?? [])])];
      break;
  }
  const marking: Marking = {
    tlp: input.defaultTlp, scope, ownerOrgId: orgId, createdBy: a.userId, scopeOrgIds, sharingGroupId, recipientUserIds: [],
  };
  assertMarkingCoherent(marking);
  return inTx(db, async (tx) => {
    const id = newId();
    const [row] = await tx.insert(channels).values({
      id, kind: input.kind, name: input.name, topic: input.topic ?? '', access: input.access ?? (input.kind === 'context' ? 'invite' : 'open'),
      defaultTlp: input.defaultTlp, contextType: input.contextType ?? null, contextId: input.contextId ?? null, ...marking,
    }).returning();
    await tx.insert(channelMembers).values({ channelId: id, userId: a.userId, role: 'owner' });
    await appendAudit(tx, meta, { action: 'messaging.channel.create', targetType: 'channel', targetId: id, orgId, after: row });
    return row!;
  });
}

/** Join an open channel the actor can see (idempotent). */
export async function joinChannel(db: DbOrTx, meta: AuditMeta, channelId: string) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  return inTx(db, async (tx) => {
    const ch = await loadChannelFor(tx, a, channelId);
    const added = await tx.insert(channelMembers).values({ channelId: ch.id, userId: a.userId, role: 'member' })
      .onConflictDoNothing().returning();
    if (added.length) await appendAudit(tx, meta, { action: 'messaging.channel.join', targetType: 'channel', targetId: ch.id, after: { userId: a.userId } });
    return { joined: added.length > 0 };
  });
}

/** Add a person (owners of the channel, its organisation's team leads, or coordinators). */
export async function inviteToChannel(db: DbOrTx, meta: AuditMeta, channelId: string, userId: string) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  return inTx(db, async (tx) => {
    const ch = await loadChannelFor(tx, a, channelId);
    await assertManages(tx, a, ch);
    const invitee = await loadUserActor(tx, userId, { via: 'session', sessionId: '' });
    // The invitee must be inside the channel's audience: an invitation never widens TLP or scope.
    if (!invitee || !canEnterChannel(invitee, ch, true)) throw forbidden('This person is outside the channel’s audience');
    const added = await tx.insert(channelMembers).values({ channelId, userId, role: 'member' }).onConflictDoNothing().returning();
    if (!added.length) throw conflict('Already a member');
    await appendAudit(tx, meta, { action: 'messaging.channel.invite', targetType: 'channel', targetId: channelId, after: { userId } });
    return added[0]!;
  });
}

/** Leave (oneself) or remove someone (managers). */
export async function removeFromChannel(db: DbOrTx, meta: AuditMeta, channelId: string, userId: string) {
  const a = meta.actor;
  if (a.kind !== 'user') throw forbidden();
  return inTx(db, async (tx) => {
    const ch = await loadChannelFor(tx, a, channelId);
    if (userId !== a.userId) await assertManages(tx, a, ch);
    const gone = await tx.delete(channelMembers).where(and(eq(channelMembers.channelId, channelId), eq(channelMembers.userId, userId))).returning();
    if (!gone.length) throw notFound('Member');
    await appendAudit(tx, meta, {
      action: userId === a.userId ? 'messaging.channel.leave' : 'messaging.channel.remove', targetType: 'channel', targetId: channelId, before: gone[0],
    });
  });
}

/** Follow / unfollow (digest) and the read marker: per person, not audited state of the channel. */
export async function setFollow(db: DbOrTx, actor: Actor, channelId: string, follow: boolean) {
  if (actor.kind !== 'user') throw forbidden();
  const ch = await loadChannelFor(db, actor, channelId);
  await db.insert(channelMembers).values({ channelId: ch.id, userId: actor.userId, follow })
    .onConflictDoUpdate({ target: [channelMembers.channelId, channelMembers.userId], set: { follow } });
}

async function assertManages(tx: DbOrTx, a: Actor, ch: typeof channels.$inferSelect) {
  if (a.kind !== 'user') throw forbidden();
  if (isCoordinator(a) && canSee(a, markingOf(ch as unknown as Marking))) return;
  if (ch.ownerOrgId && a.memberships.some((m) => m.orgId === ch.ownerOrgId && m.role === 'org_admin')) return;
  const [me] = await tx.select().from(channelMembers).where(and(eq(channelMembers.channelId, ch.id), eq(channelMembers.userId, a.userId)));
  if (me?.role === 'owner') return;
  throw forbidden('Only the channel’s owners, its team leads or coordinators manage members');
}
