/**
 * Reading messages: channel list with unread counts, history pages, threads, edit history,
 * full-text search and the delivery-log replay. Every query filters with `messageReadable`
 * (visibleTo on the message + the channel) — no handler filters by itself.
 */
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { forbidden } from '../core/errors.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { users } from '../core/tables.ts';
import { channelAccessColumns, channelReadable, loadChannelFor, managesChannel, mayRaiseUrgent, loadMessageFor, messageReadable, type MessageRow } from './access.ts';
import { channelMembers, channels, messageAttachments, messageEdits, messageEvents, messages } from './tables.ts';

export type AttachmentDto = { id: string; filename: string; contentType: string; size: number };
export type MessageDto = {
  id: string; seq: number; channelId: string; threadRootId: string | null; replyToId: string | null;
  authorId: string | null; authorName: string | null; authorOrgId: string | null;
  tlp: string; recipientUserIds: string[]; body: string; html: string; lang: string;
  mentionUserIds: string[]; mentionOrgIds: string[]; urgent: boolean; edited: boolean; deleted: boolean;
  createdAt: string; editedAt: string | null; attachments: AttachmentDto[];
};

export function messageDto(m: Omit<MessageRow, 'searchVector'>, authorName: string | null, attachments: AttachmentDto[]): MessageDto {
  const deleted = m.deletedAt !== null;
  return {
    id: m.id, seq: m.seq, channelId: m.channelId, threadRootId: m.threadRootId, replyToId: m.replyToId,
    authorId: m.authorId, authorName, authorOrgId: m.authorOrgId, tlp: m.tlp, recipientUserIds: m.recipientUserIds,
    body: deleted ? '' : m.body, html: deleted ? '' : m.html, lang: m.lang, mentionUserIds: m.mentionUserIds,
    mentionOrgIds: m.mentionOrgIds, urgent: m.urgentAt !== null, edited: m.editedAt !== null, deleted,
    createdAt: m.createdAt.toISOString(), editedAt: m.editedAt?.toISOString() ?? null, attachments: deleted ? [] : attachments,
  };
}

/** Author names and attachments for loaded rows, in two queries. */
export async function toDtos(db: DbOrTx, ms: MessageRow[]): Promise<MessageDto[]> {
  if (!ms.length) return [];
  const authorIds = [...new Set(ms.map((m) => m.authorId).filter((x): x is string => !!x))];
  const names = new Map((authorIds.length ? await db.select({ id: users.id, n: users.displayName }).from(users).where(inArray(users.id, authorIds)) : [])
    .map((u) => [u.id, u.n]));
  const atts = await db.select().from(messageAttachments).where(inArray(messageAttachments.messageId, ms.map((m) => m.id)));
  const byMsg = new Map<string, AttachmentDto[]>();
  for (const x of atts) {
    const list = byMsg.get(x.messageId!) ?? [];
    list.push({ id: x.id, filename: x.filename, contentType: x.contentType, size: x.size });
    byMsg.set(x.messageId!, list);
  }
  return ms.map((m) => messageDto(m, m.authorId ? names.get(m.authorId) ?? null : null, byMsg.get(m.id) ?? []));
}

/** Channels the actor may enter, with membership, follow flag and unread count (visible messages only). */
export async function listChannels(db: DbOrTx, actor: Actor) {
  if (actor.kind !== 'user') throw forbidden();
  const list = await db.select({ c: channels, member: channelMembers }).from(channels)
    .leftJoin(channelMembers, and(eq(channelMembers.channelId, channels.id), eq(channelMembers.userId, actor.userId)))
    .where(and(channelReadable(actor), isNull(channels.archivedAt))).orderBy(asc(channels.name));
  const unread = await rows<{ channel_id: string; n: number }>(db, sql`
    SELECT ${messages.channelId} AS channel_id, count(*)::int AS n
      FROM ${messages} JOIN ${channels} ON ${channels.id} = ${messages.channelId}
      JOIN ${channelMembers} ON ${channelMembers.channelId} = ${messages.channelId} AND ${channelMembers.userId} = ${actor.userId}::uuid
     WHERE ${messages.seq} > ${channelMembers.lastReadSeq} AND ${messages.deletedAt} IS NULL
       AND ${messages.authorId} IS DISTINCT FROM ${actor.userId}::uuid AND ${messageReadable(actor)}
     GROUP BY ${messages.channelId}`);
  const counts = new Map(unread.map((u) => [u.channel_id, u.n]));
  return list.map(({ c, member }) => ({
    id: c.id, kind: c.kind, name: c.name, topic: c.topic, access: c.access, defaultTlp: c.defaultTlp,
    ownerOrgId: c.ownerOrgId, scopeOrgIds: c.scopeOrgIds, sharingGroupId: c.sharingGroupId, contextType: c.contextType, contextId: c.contextId,
    member: !!member, role: member?.role ?? null, follow: member?.follow ?? false, lastReadSeq: member?.lastReadSeq ?? 0,
    unread: counts.get(c.id) ?? 0,
    /** What the UI may offer; the commands decide again. */
    canUrgent: mayRaiseUrgent(actor, c), canManage: managesChannel(actor, c, member?.role ?? null),
  }));
}

export async function channelMembersOf(db: DbOrTx, actor: Actor, channelId: string) {
  const ch = await loadChannelFor(db, actor, channelId);
  return db.select({ userId: channelMembers.userId, role: channelMembers.role, displayName: users.displayName, joinedAt: channelMembers.joinedAt })
    .from(channelMembers).innerJoin(users, eq(users.id, channelMembers.userId)).where(eq(channelMembers.channelId, ch.id)).orderBy(users.displayName);
}

/** A page of a channel's history, newest first (before = a seq), top-level or one thread. */
export async function channelHistory(db: DbOrTx, actor: Actor, channelId: string, opts: { before?: number; limit: number; threadRootId?: string }) {
  const ch = await loadChannelFor(db, actor, channelId);
  const conds = [eq(messages.channelId, ch.id), messageReadable(actor)];
  if (opts.before) conds.push(lt(messages.seq, opts.before));
  if (opts.threadRootId) conds.push(sql`(${messages.id} = ${opts.threadRootId}::uuid OR ${messages.threadRootId} = ${opts.threadRootId}::uuid)`);
  else conds.push(isNull(messages.threadRootId));
  const page = await db.select({ m: messages }).from(messages).innerJoin(channels, eq(channels.id, messages.channelId))
    .where(and(...conds)).orderBy(desc(messages.seq)).limit(opts.limit + 1);
  const more = page.length > opts.limit;
  const items = await toDtos(db, page.slice(0, opts.limit).map((r) => r.m));
  const replies = items.length ? await rows<{ root: string; n: number }>(db, sql`
    SELECT ${messages.threadRootId} AS root, count(*)::int AS n FROM ${messages} JOIN ${channels} ON ${channels.id} = ${messages.channelId}
     WHERE ${messages.threadRootId} = ANY(${`{${items.map((i) => i.id).join(',')}}`}::uuid[]) AND ${messages.deletedAt} IS NULL AND ${messageReadable(actor)}
     GROUP BY 1`) : [];
  const rc = new Map(replies.map((r) => [r.root, r.n]));
  return { items: items.map((i) => ({ ...i, replyCount: rc.get(i.id) ?? 0 })), nextBefore: more ? items[items.length - 1]!.seq : null };
}

export async function editHistory(db: DbOrTx, actor: Actor, messageId: string) {
  const { m } = await loadMessageFor(db, actor, messageId);
  const edits = await db.select().from(messageEdits).where(eq(messageEdits.messageId, m.id)).orderBy(asc(messageEdits.editedAt));
  return edits.map((e) => ({ body: e.body, editedAt: e.editedAt.toISOString(), editedBy: e.editedBy }));
}

/**
 * Full-text search over what the actor may read. Each message is indexed in its own language
 * (en/es/pt/fr stemming) and the query is parsed with the same configuration row by row, so
 * "ataques" finds "ataque" in Spanish messages and "attacks" finds "attack" in English ones.
 */
export async function searchMessages(db: DbOrTx, actor: Actor, q: string, opts: { channelId?: string; limit: number }) {
  const conds = [messageReadable(actor), isNull(messages.deletedAt),
    sql`${messages.searchVector} @@ websearch_to_tsquery((CASE ${messages.lang} WHEN 'es' THEN 'spanish' WHEN 'pt' THEN 'portuguese' WHEN 'fr' THEN 'french' ELSE 'english' END)::regconfig, ${q})`];
  if (opts.channelId) conds.push(eq(messages.channelId, opts.channelId));
  const found = await db.select({ m: messages, channelName: channels.name }).from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId)).where(and(...conds))
    .orderBy(desc(messages.seq)).limit(opts.limit);
  const dtos = await toDtos(db, found.map((f) => f.m));
  return dtos.map((d, i) => ({ ...d, channelName: found[i]!.channelName }));
}

/** The message columns a delivery needs (all but the search vector). */
const { searchVector: _sv, ...deliveryColumns } = getTableColumns(messages);
export type DeliveredMessage = Omit<MessageRow, 'searchVector'>;

/**
 * A page of the delivery log after `cursor`, in position order, each event with its message, its
 * channel and the message's DTO — one query (author name and attachments joined in). With an actor,
 * only the events whose message the actor may read (replay); without, all of them (the node's pump,
 * which then decides per connected person).
 */
export async function eventPage(db: DbOrTx, cursor: number, limit: number, actor?: Actor) {
  const attachments = sql<AttachmentDto[] | null>`(SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename,
    'contentType', a.content_type, 'size', a.size) ORDER BY a.created_at, a.id) FROM message_attachments a WHERE a.message_id = ${messages.id})`;
  const found = await db.select({ pos: messageEvents.pos, kind: messageEvents.kind, m: deliveryColumns, ch: channelAccessColumns, authorName: users.displayName, attachments })
    .from(messageEvents).innerJoin(messages, eq(messages.id, messageEvents.messageId)).innerJoin(channels, eq(channels.id, messages.channelId))
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(actor ? and(gt(messageEvents.pos, cursor), messageReadable(actor)) : gt(messageEvents.pos, cursor))
    .orderBy(asc(messageEvents.pos)).limit(limit);
  return found.map((f) => ({ pos: f.pos, kind: f.kind, m: f.m as DeliveredMessage, ch: f.ch, dto: messageDto(f.m, f.authorName, f.attachments ?? []) }));
}

/** Delivery-log replay for a resuming client: events after `cursor` that the actor may read. */
export async function eventsAfter(db: DbOrTx, actor: Actor, cursor: number, limit: number) {
  const page = await eventPage(db, cursor, limit, actor);
  return page.map((e) => ({ pos: e.pos, kind: e.kind, message: e.dto }));
}

export async function headPosition(db: DbOrTx): Promise<number> {
  const [r] = await rows<{ pos: string | number | null }>(db, sql`SELECT max(pos) AS pos FROM message_events`);
  return Number(r?.pos ?? 0);
}
