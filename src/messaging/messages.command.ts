/**
 * Posting, editing, deleting and marking messages. A message inherits its channel's audience and
 * carries its own TLP (never more open than the channel default); TLP:RED names recipients, each of
 * whom must be inside the channel's audience. Every change appends a delivery event (events.ts) and
 * an audit row in the same transaction; deletions keep an audited tombstone.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { loadUserActor } from '../auth/actor-loader.ts';
import type { Actor } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError, forbidden, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isCoordinator } from '../core/policy.ts';
import { tlpRank, type Tlp } from '../core/tlp.ts';
import { assertMarkingCoherent, type Marking } from '../core/visibility.ts';
import { memberships, organisations, users } from '../core/tables.ts';
import { toLocale } from '../i18n/locales.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { canEnterChannel, loadChannelFor, loadMessageFor, type ChannelRow } from './access.ts';
import { appendEvent, lockEventOrder, nextMessageSeq } from './events.ts';
import { renderMarkdown } from './markdown.ts';
import { channelMembers, messageAttachments, messageEdits, messages } from './tables.ts';

export const TS_CONFIG = { en: 'english', es: 'spanish', pt: 'portuguese', fr: 'french' } as const;
export const tsConfigOf = (lang: string) => TS_CONFIG[toLocale(lang)];

export type PostInput = {
  channelId: string; body: string; tlp?: Tlp; recipientUserIds?: string[]; replyToId?: string;
  mentionUserIds?: string[]; mentionOrgIds?: string[]; attachmentIds?: string[]; lang?: string;
};

function userOf(a: Actor) {
  if (a.kind !== 'user') throw forbidden();
  return a;
}

/** RED recipients must exist and be able to enter the channel themselves. */
async function checkRecipients(tx: DbOrTx, ch: ChannelRow, ids: string[]): Promise<void> {
  for (const id of ids) {
    const who = await loadUserActor(tx, id, { via: 'session', sessionId: '' });
    const member = (await tx.select({ u: channelMembers.userId }).from(channelMembers)
      .where(and(eq(channelMembers.channelId, ch.id), eq(channelMembers.userId, id)))).length > 0;
    if (!who || !canEnterChannel(who, ch, member)) {
      throw invalid('A recipient is outside the channel’s audience', [{ path: 'recipientUserIds', message: `${id} cannot see this channel` }]);
    }
  }
}

async function checkMentions(tx: DbOrTx, userIds: string[], orgIds: string[]) {
  if (userIds.length) {
    const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, userIds));
    if (found.length !== new Set(userIds).size) throw invalid('Unknown person mentioned', [{ path: 'mentionUserIds', message: 'unknown user' }]);
  }
  if (orgIds.length) {
    const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, orgIds));
    if (found.length !== new Set(orgIds).size) throw invalid('Unknown organisation mentioned', [{ path: 'mentionOrgIds', message: 'unknown organisation' }]);
  }
}

export async function postMessage(db: DbOrTx, meta: AuditMeta, input: PostInput) {
  const a = userOf(meta.actor);
  return inTx(db, async (tx) => {
    const ch = await loadChannelFor(tx, a, input.channelId);
    if (ch.archivedAt) throw new DomainError('invalid_transition', 'The channel is archived');
    const tlp: Tlp = input.tlp ?? (ch.defaultTlp as Tlp);
    if (tlpRank(tlp) < tlpRank(ch.defaultTlp as Tlp)) {
      throw invalid('A message cannot be more open than its channel', [{ path: 'tlp', message: `at least TLP:${ch.defaultTlp.toUpperCase()}` }]);
    }
    const recipients = tlp === 'red' ? [...new Set(input.recipientUserIds ?? [])] : [];
    if (tlp !== 'red' && input.recipientUserIds?.length) {
      throw invalid('Recipients are named for TLP:RED only', [{ path: 'recipientUserIds', message: 'only with tlp red' }]);
    }
    let threadRootId: string | null = null;
    if (input.replyToId) {
      const { m: parent } = await loadMessageFor(tx, a, input.replyToId);
      if (parent.channelId !== ch.id) throw invalid('Reply in the same channel', [{ path: 'replyToId', message: 'other channel' }]);
      threadRootId = parent.threadRootId ?? parent.id;
    }
    const marking: Marking = {
      tlp, scope: ch.scope as Marking['scope'], ownerOrgId: ch.ownerOrgId, createdBy: a.userId,
      scopeOrgIds: ch.scopeOrgIds, sharingGroupId: ch.sharingGroupId, recipientUserIds: recipients,
    };
    assertMarkingCoherent(marking);
    await checkRecipients(tx, ch, recipients);
    await checkMentions(tx, input.mentionUserIds ?? [], input.mentionOrgIds ?? []);
    const [authorOrg] = await tx.select({ orgId: memberships.orgId }).from(memberships)
      .where(eq(memberships.userId, a.userId)).orderBy(memberships.createdAt).limit(1);
    const lang = toLocale(input.lang ?? a.locale);

    await lockEventOrder(tx); // before the audit lock: messaging always takes them in this order
    const id = newId();
    const seq = await nextMessageSeq(tx);
    const [row] = await tx.insert(messages).values({
      id, seq, channelId: ch.id, threadRootId, replyToId: input.replyToId ?? null, authorId: a.userId,
      authorOrgId: authorOrg?.orgId ?? null, body: input.body, html: renderMarkdown(input.body), lang,
      searchVector: sql`to_tsvector(${tsConfigOf(lang)}::regconfig, ${input.body})`,
      mentionUserIds: input.mentionUserIds ?? [], mentionOrgIds: input.mentionOrgIds ?? [], ...marking,
    }).returning();
    if (input.attachmentIds?.length) {
      const ids = [...new Set(input.attachmentIds)];
      const linked = await tx.update(messageAttachments).set({ messageId: id })
        .where(and(inArray(messageAttachments.id, ids), eq(messageAttachments.uploadedBy, a.userId), isNull(messageAttachments.messageId)))
        .returning({ id: messageAttachments.id });
      if (linked.length !== ids.length) throw invalid('Unknown attachment', [{ path: 'attachmentIds', message: 'upload it first (yours, not yet posted)' }]);
    }
    await tx.insert(channelMembers).values({ channelId: ch.id, userId: a.userId, lastReadSeq: seq })
      .onConflictDoUpdate({ target: [channelMembers.channelId, channelMembers.userId], set: { lastReadSeq: seq } });
    await appendAudit(tx, meta, {
      action: 'messaging.message.post', targetType: 'message', targetId: id, orgId: ch.ownerOrgId,
      after: { channelId: ch.id, seq, tlp, recipientUserIds: recipients, replyToId: input.replyToId ?? null },
    });
    await appendEvent(tx, id, ch.id, 'created');
    return row!;
  });
}

async function loadOwn(tx: Tx, a: Actor, messageId: string) {
  const { m, ch } = await loadMessageFor(tx, a, messageId);
  if (m.deletedAt) throw new DomainError('gone', 'The message was deleted');
  return { m, ch };
}

export async function editMessage(db: DbOrTx, meta: AuditMeta, messageId: string, body: string) {
  const a = userOf(meta.actor);
  return inTx(db, async (tx) => {
    const { m } = await loadOwn(tx, a, messageId);
    if (m.authorId !== a.userId) throw forbidden('Only the author edits a message');
    if (m.body === body) return m;
    await lockEventOrder(tx);
    await tx.insert(messageEdits).values({ id: newId(), messageId, body: m.body, editedBy: a.userId, editedAt: m.editedAt ?? m.createdAt });
    const [row] = await tx.update(messages).set({
      body, html: renderMarkdown(body), editedAt: new Date(), searchVector: sql`to_tsvector(${tsConfigOf(m.lang)}::regconfig, ${body})`,
    }).where(eq(messages.id, messageId)).returning();
    await appendAudit(tx, meta, { action: 'messaging.message.edit', targetType: 'message', targetId: messageId, orgId: m.ownerOrgId, before: { body: m.body }, after: { body } });
    await appendEvent(tx, messageId, m.channelId, 'edited');
    return row!;
  });
}

/** Tombstone: the text and attachments are gone for readers; the audit keeps who, when and what. */
export async function deleteMessage(db: DbOrTx, meta: AuditMeta, messageId: string) {
  const a = userOf(meta.actor);
  return inTx(db, async (tx) => {
    const { m, ch } = await loadOwn(tx, a, messageId);
    const teamLead = ch.ownerOrgId !== null && a.memberships.some((x) => x.orgId === ch.ownerOrgId && x.role === 'org_admin');
    if (m.authorId !== a.userId && !teamLead && !isCoordinator(a)) throw forbidden('Only the author, the channel’s team lead or a coordinator deletes');
    await lockEventOrder(tx);
    await tx.delete(messageEdits).where(eq(messageEdits.messageId, messageId));
    await tx.delete(messageAttachments).where(eq(messageAttachments.messageId, messageId));
    const [row] = await tx.update(messages).set({ body: '', html: '', searchVector: null, deletedAt: new Date(), deletedBy: a.userId })
      .where(eq(messages.id, messageId)).returning();
    await appendAudit(tx, meta, {
      action: 'messaging.message.delete', targetType: 'message', targetId: messageId, orgId: m.ownerOrgId,
      before: { body: m.body, authorId: m.authorId, tlp: m.tlp }, after: { deletedBy: a.userId },
    });
    await appendEvent(tx, messageId, m.channelId, 'deleted');
    return row!;
  });
}

/** Mark read up to a seq (never moves backwards; only for people in the channel). */
export async function markRead(db: DbOrTx, actor: Actor, channelId: string, seq: number) {
  const a = userOf(actor);
  const ch = await loadChannelFor(db, a, channelId);
  await db.update(channelMembers).set({ lastReadSeq: sql`greatest(${channelMembers.lastReadSeq}, ${seq})` })
    .where(and(eq(channelMembers.channelId, ch.id), eq(channelMembers.userId, a.userId)));
}
