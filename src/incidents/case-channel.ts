/**
 * The case's channel (messaging capability, kind 'context', contextType 'case'). Its audience follows
 * the case's: created with the owner and participants, widened when a participant joins, narrowed
 * when one leaves. TLP:RED cases get an invite-only channel (AMBER+STRICT default, members named).
 */
import { and, eq, notInArray } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import type { Tlp } from '../core/tlp.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { createChannel } from '../messaging/channels.command.ts';
import { channelMembers, channels } from '../messaging/tables.ts';
import type { CaseRow } from './access.ts';

export async function openCaseChannel(tx: DbOrTx, meta: AuditMeta, c: { id: string; reference: string; title: string; tlp: Tlp; ownerOrgId: string; orgIds: string[] }) {
  const ch = await createChannel(tx, meta, {
    kind: 'context', name: `${c.reference} ${c.title}`.slice(0, 120), topic: `Case ${c.reference}`,
    access: c.tlp === 'red' ? 'invite' : 'open', defaultTlp: c.tlp === 'red' ? 'amber+strict' : c.tlp,
    orgId: c.ownerOrgId, orgIds: c.orgIds, contextType: 'case', contextId: c.id,
  });
  return ch.id;
}

/** Make the channel's audience the case's organisations; add `userIds` as members. */
export async function syncCaseChannel(tx: Tx, meta: AuditMeta, c: CaseRow, addUserIds: string[] = []) {
  if (!c.channelId) return;
  const orgIds = [...new Set([c.ownerOrgId!, ...c.scopeOrgIds])];
  const [before] = await tx.select({ scopeOrgIds: channels.scopeOrgIds }).from(channels).where(eq(channels.id, c.channelId));
  if (!before) return;
  await tx.update(channels).set({ scopeOrgIds: orgIds }).where(eq(channels.id, c.channelId));
  for (const userId of addUserIds) {
    await tx.insert(channelMembers).values({ channelId: c.channelId, userId, role: 'member' }).onConflictDoNothing();
  }
  await appendAudit(tx, meta, {
    action: 'messaging.channel.audience', targetType: 'channel', targetId: c.channelId, orgId: c.ownerOrgId,
    before: { scopeOrgIds: before.scopeOrgIds }, after: { scopeOrgIds: orgIds, addedMembers: addUserIds, reason: `case ${c.reference}` },
  });
}

export async function removeChannelMembersOf(tx: DbOrTx, c: CaseRow, userIds: string[]) {
  if (!c.channelId) return;
  for (const u of userIds) await tx.delete(channelMembers).where(and(eq(channelMembers.channelId, c.channelId), eq(channelMembers.userId, u)));
}

/**
 * After the case's TLP or RED recipients change: the channel's marking and access follow. A TLP:RED
 * case gets an invite-only AMBER+STRICT channel whose members are exactly the named recipients (and
 * the channel's creator, who is the case's author); any other case turns the channel open again
 * with the case's TLP as its default.
 */
export async function syncCaseChannelMarking(tx: Tx, meta: AuditMeta, c: CaseRow) {
  if (!c.channelId) return;
  const [before] = await tx.select({ access: channels.access, tlp: channels.tlp, createdBy: channels.createdBy }).from(channels).where(eq(channels.id, c.channelId));
  if (!before) return;
  const red = c.tlp === 'red';
  const tlp = red ? 'amber+strict' : c.tlp;
  const access = red ? 'invite' : 'open';
  await tx.update(channels).set({ access, tlp, defaultTlp: tlp }).where(eq(channels.id, c.channelId));
  let removed: string[] = [];
  if (red) {
    const keep = [...new Set([...c.recipientUserIds, ...(before.createdBy ? [before.createdBy] : [])])];
    removed = (await tx.delete(channelMembers).where(and(eq(channelMembers.channelId, c.channelId), notInArray(channelMembers.userId, keep)))
      .returning({ u: channelMembers.userId })).map((r) => r.u);
    for (const userId of c.recipientUserIds) await tx.insert(channelMembers).values({ channelId: c.channelId, userId, role: 'member' }).onConflictDoNothing();
  }
  await appendAudit(tx, meta, {
    action: 'messaging.channel.audience', targetType: 'channel', targetId: c.channelId, orgId: c.ownerOrgId,
    before: { access: before.access, tlp: before.tlp }, after: { access, tlp, removedMembers: removed, reason: `case ${c.reference} is TLP:${c.tlp.toUpperCase()}` },
  });
}
