/**
 * Real-time channels and messages. A channel's own marking (markingColumns) says who may see the
 * channel; every message carries its own marking derived from the channel's (same audience, its own
 * TLP, never less restrictive than the channel default; TLP:RED names its recipients), so every read
 * goes through `visibleTo` on messages directly. `message_events` is the delivery log: one row per
 * created / edited / deleted message with a global position assigned in commit order (see
 * events.ts), which WebSocket clients resume from.
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid,
} from 'drizzle-orm/pg-core';
import { markingColumns } from '../core/visibility.ts';
import { organisations, users } from '../core/tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const channels = pgTable('channels', {
  id: uuid('id').primaryKey(),
  /** network | group | bilateral | org | context (case, exercise…) */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  topic: text('topic').notNull().default(''),
  /** open: anyone who can see the channel may join; invite: members only. */
  access: text('access').notNull().default('open'),
  defaultTlp: text('default_tlp').notNull(),
  contextType: text('context_type'),
  contextId: text('context_id'),
  archivedAt: tstz('archived_at'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  ...markingColumns(),
}, (t) => [index('channels_context_idx').on(t.contextType, t.contextId)]);

export const channelMembers = pgTable('channel_members', {
  channelId: uuid('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role').notNull().default('member'), // owner | member
  /** Followed channels feed the email digest. */
  follow: boolean('follow').notNull().default(true),
  /** Highest message seq the person has read in this channel. */
  lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
  joinedAt: tstz('joined_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.channelId, t.userId] }), index('channel_members_user_idx').on(t.userId)]);

export const messages = pgTable('messages', {
  id: uuid('id').primaryKey(),
  /** Global creation order (assigned under the event lock, so it is also commit order). */
  seq: bigint('seq', { mode: 'number' }).notNull().unique(),
  channelId: uuid('channel_id').notNull().references(() => channels.id, { onDelete: 'cascade' }),
  threadRootId: uuid('thread_root_id'),
  replyToId: uuid('reply_to_id'),
  authorId: uuid('author_id').references(() => users.id),
  authorOrgId: uuid('author_org_id').references(() => organisations.id),
  body: text('body').notNull(),
  html: text('html').notNull(),
  lang: text('lang').notNull().default('en'),
  searchVector: tsvector('search_vector'),
  mentionUserIds: uuid('mention_user_ids').array().notNull().default(sql`'{}'::uuid[]`),
  mentionOrgIds: uuid('mention_org_ids').array().notNull().default(sql`'{}'::uuid[]`),
  urgentAt: tstz('urgent_at'),
  urgentBy: uuid('urgent_by'),
  editedAt: tstz('edited_at'),
  deletedAt: tstz('deleted_at'),
  deletedBy: uuid('deleted_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  ...markingColumns(),
}, (t) => [
  index('messages_channel_seq_idx').on(t.channelId, t.seq),
  index('messages_thread_idx').on(t.threadRootId, t.seq),
  index('messages_search_idx').using('gin', t.searchVector),
]);

/** Previous versions of an edited message (readable under the message's own visibility). */
export const messageEdits = pgTable('message_edits', {
  id: uuid('id').primaryKey(),
  messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  body: text('body').notNull(),
  editedBy: uuid('edited_by'),
  editedAt: tstz('edited_at').notNull().defaultNow(),
}, (t) => [index('message_edits_message_idx').on(t.messageId)]);

/** Delivery log: positions increase in commit order (see events.ts). */
export const messageEvents = pgTable('message_events', {
  pos: bigserial('pos', { mode: 'number' }).primaryKey(),
  messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  channelId: uuid('channel_id').notNull(),
  kind: text('kind').notNull(), // created | edited | deleted | urgent
  at: tstz('at').notNull().defaultNow(),
});

export const messageAttachments = pgTable('message_attachments', {
  id: uuid('id').primaryKey(),
  /** Null until the uploader posts the message it belongs to (until then only the uploader reads it). */
  messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
  uploadedBy: uuid('uploaded_by').notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [index('message_attachments_message_idx').on(t.messageId)]);

/** Per-person messaging preferences: the digest frequency and when the last one was sent. */
export const messagingPrefs = pgTable('messaging_prefs', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  digest: text('digest').notNull().default('daily'), // off | hourly | daily
  lastDigestAt: tstz('last_digest_at'),
  lastDigestSeq: bigint('last_digest_seq', { mode: 'number' }).notNull().default(0),
  extra: jsonb('extra').notNull().default({}),
});
