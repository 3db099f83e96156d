/**
 * Posting, editing, deleting and marking messages. A message inherits its channel's audience and
 * carries its own TLP (never more open than the channel default); TLP:RED names recipients, each of
 * whom must be inside the channel's audience. Every change appends a delivery event (events.ts) and
 * an audit row in the same transaction; deletions keep an audited tombstone.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { loadUserActor } from '../auth/actor-loader.ts';
import type { Actor } from '../core/actor.ts';
import { appendAudit, nextAuditRow, writeAuditRow, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError, forbidden, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isCoordinator } from '../core/policy.ts';
import { tlpRank, type Tlp } from '../core/tlp.ts';
import { assertMarkingCoherent, type Marking } from '../core/visibility.ts';
import { organisations, users } from '../core/tables.ts';
import { toLocale } from '../i18n/locales.ts';
import { rows, type DbOrTx, type Tx } from '../db/client.ts';
import { canEnterChannel, loadChannelFor, loadMessageFor, type ChannelRow, type MessageRow } from './access.ts';
import { appendEvent, eventNoticeSql, lockEventOrder, lockEventOrderAndAudit } from './events.ts';
import { messageDto, type AttachmentDto } from './messages.query.ts';
import { renderMarkdown } from './markdown.ts';
import { channelMembers, messageAttachments, messageEdits, messages } from './tables.ts';

export const TS_CONFIG = { en: 'english', es: 'spanish', pt: 'portuguese', fr: 'french' } as const;
export const tsConfigOf = (lang: string) => TS_CONFIG[toLocale(lang)];

export type PostInput = {
  channelId: string; body: string; tlp?: Tlp; recipientUserIds?: string[]; replyToId?: string;
  mentionUserIds?: string[]; mentionOrgIds?: string[]; attachmentIds?: string[]; lang?: string;
};

/** What the post statement returns (raw driver values). */
type PostedRow = {
  seq: string | number; author_org_id: string | null; created_at: string; author_name: string | null;
  audit_seq: string | number | null; audit_hash: string | null;
};
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

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
    const lang = toLocale(input.lang ?? a.locale);
    const html = renderMarkdown(input.body);
    const id = newId();
    const attachmentIds = [...new Set(input.attachmentIds ?? [])];
    const mentionUserIds = input.mentionUserIds ?? [];
    const mentionOrgIds = input.mentionOrgIds ?? [];

    // The serialised part: both locks in one statement, then one statement that assigns the seq and
    // writes the message, the author's read marker, the delivery event and its notice, and reads the
    // audit head (a later statement than the locks, so it sees every earlier post), then the audit row.
    await lockEventOrderAndAudit(tx);
    const [r] = await rows<PostedRow>(tx, sql`WITH next AS (SELECT coalesce(max(seq), 0) + 1 AS seq FROM messages),
      m AS (INSERT INTO messages (id, seq, channel_id, thread_root_id, reply_to_id, author_id, author_org_id, body, html, lang, search_vector,
              mention_user_ids, mention_org_ids, tlp, scope, owner_org_id, created_by, scope_org_ids, sharing_group_id, recipient_user_ids)
            SELECT ${id}::uuid, next.seq, ${ch.id}::uuid, ${threadRootId}::uuid, ${input.replyToId ?? null}::uuid, ${a.userId}::uuid,
              (SELECT org_id FROM memberships WHERE user_id = ${a.userId}::uuid ORDER BY created_at LIMIT 1),
              ${input.body}, ${html}, ${lang}, to_tsvector(${tsConfigOf(lang)}::regconfig, ${input.body}),
              ${uuids(mentionUserIds)}, ${uuids(mentionOrgIds)}, ${marking.tlp}, ${marking.scope}, ${marking.ownerOrgId}::uuid,
              ${marking.createdBy}::uuid, ${uuids(marking.scopeOrgIds)}, ${marking.sharingGroupId}::uuid, ${uuids(marking.recipientUserIds)}
              FROM next
            RETURNING seq, author_org_id, created_at),
      marker AS (INSERT INTO channel_members (channel_id, user_id, last_read_seq) SELECT ${ch.id}::uuid, ${a.userId}::uuid, m.seq FROM m
            ON CONFLICT (channel_id, user_id) DO UPDATE SET last_read_seq = EXCLUDED.last_read_seq),
      ev AS (INSERT INTO message_events (message_id, channel_id, kind) SELECT ${id}::uuid, ${ch.id}::uuid, 'created' FROM m RETURNING pos)
      SELECT m.seq, m.author_org_id, m.created_at, (SELECT display_name FROM users WHERE id = ${a.userId}::uuid) AS author_name,
             ${eventNoticeSql(sql`ev.pos`)} AS notified, h.seq AS audit_seq, h.hash AS audit_hash
        FROM m CROSS JOIN ev LEFT JOIN audit_head h ON h.id = 1`);
    const seq = Number(r!.seq);
    let attachments: AttachmentDto[] = [];
    if (attachmentIds.length) {
      const linked = await tx.update(messageAttachments).set({ messageId: id })
        .where(and(inArray(messageAttachments.id, attachmentIds), eq(messageAttachments.uploadedBy, a.userId), isNull(messageAttachments.messageId)))
        .returning();
      if (linked.length !== attachmentIds.length) throw invalid('Unknown attachment', [{ path: 'attachmentIds', message: 'upload it first (yours, not yet posted)' }]);
      attachments = linked.map((x) => ({ id: x.id, filename: x.filename, contentType: x.contentType, size: x.size }));
    }
    const head = r!.audit_seq === null ? null : { seq: Number(r!.audit_seq), hash: r!.audit_hash! };
    await writeAuditRow(tx, nextAuditRow(head, meta, {
      action: 'messaging.message.post', targetType: 'message', targetId: id, orgId: ch.ownerOrgId,
      after: { channelId: ch.id, seq, tlp, recipientUserIds: recipients, replyToId: input.replyToId ?? null },
    }));
    const row: MessageRow = {
      id, seq, channelId: ch.id, threadRootId, replyToId: input.replyToId ?? null, authorId: a.userId, authorOrgId: r!.author_org_id,
      body: input.body, html, lang, searchVector: null, mentionUserIds, mentionOrgIds, urgentAt: null, urgentBy: null, editedAt: null,
      deletedAt: null, deletedBy: null, createdAt: messages.createdAt.mapFromDriverValue(r!.created_at) as Date, ...marking,
    };
    return { message: row, dto: messageDto(row, r!.author_name, attachments) };
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
