/**
 * Mailing lists: the public announcement list (double opt-in subscribers) and member lists whose
 * recipients are resolved from the directory at send time; campaigns (TLP-marked like any shared
 * content) with one row per recipient and its delivery status; bounces and the suppression list.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markingColumns } from '../core/visibility.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const mailingLists = pgTable(
  'mailing_lists',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull(),
    /** public: anyone subscribes (double opt-in); members: resolved from the directory at send time. */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** members lists: { type: 'national_csirt_leads' | 'network_members' | 'sharing_group', groupId? } */
    audience: jsonb('audience'),
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    createdAt: tstz('created_at').notNull().defaultNow(),
    archivedAt: tstz('archived_at'),
  },
  (t) => [uniqueIndex('mailing_lists_slug_idx').on(t.slug)],
);

export const mailingSubscribers = pgTable(
  'mailing_subscribers',
  {
    id: uuid('id').primaryKey(),
    listId: uuid('list_id').notNull().references(() => mailingLists.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    locale: text('locale').notNull().default('en'),
    /** Empty: every topic. */
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').notNull(), // pending | confirmed | unsubscribed
    confirmTokenHash: text('confirm_token_hash'),
    confirmExpiresAt: tstz('confirm_expires_at'),
    confirmedAt: tstz('confirmed_at'),
    unsubscribedAt: tstz('unsubscribed_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mailing_subscribers_list_email_idx').on(t.listId, sql`lower(${t.email})`),
    uniqueIndex('mailing_subscribers_confirm_idx').on(t.confirmTokenHash),
    index('mailing_subscribers_status_idx').on(t.listId, t.status),
  ],
);

/** Members who left a member list (their membership keeps them in the directory, not on the list). */
export const mailingOptOuts = pgTable(
  'mailing_opt_outs',
  {
    listId: uuid('list_id').notNull().references(() => mailingLists.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.email] })],
);

export const mailingCampaigns = pgTable(
  'mailing_campaigns',
  {
    id: uuid('id').primaryKey(),
    listId: uuid('list_id').notNull().references(() => mailingLists.id),
    /** { en?: string, es?: string, ... }: at least one language; recipients get theirs or English. */
    subject: jsonb('subject').notNull(),
    body: jsonb('body').notNull(),
    topic: text('topic'),
    status: text('status').notNull(), // draft | scheduled | sending | paused | sent | cancelled
    ...markingColumns(),
    /** Messages per second for this campaign (null: the platform default). */
    ratePerSecond: integer('rate_per_second'),
    scheduledAt: tstz('scheduled_at'),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    /** Set when the recipients were materialised (at send time). */
    recipientCount: integer('recipient_count'),
    /** The tick chain allowed to deliver it; pause/resume/reschedule replace it so stale ticks stop. */
    chainId: uuid('chain_id'),
    /** What produced it: 'manual', or e.g. 'advisory:<id>' for automatic announcements. */
    origin: text('origin').notNull().default('manual'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('mailing_campaigns_list_idx').on(t.listId, t.status), uniqueIndex('mailing_campaigns_origin_idx').on(t.listId, t.origin).where(sql`origin <> 'manual'`)],
);

export const mailingRecipients = pgTable(
  'mailing_recipients',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id').notNull().references(() => mailingCampaigns.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    locale: text('locale').notNull(),
    userId: uuid('user_id'),
    subscriberId: uuid('subscriber_id'),
    /** queued | sending | sent | failed | suppressed | cancelled | bounced */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    lockedUntil: tstz('locked_until'),
    lastError: text('last_error'),
    sentAt: tstz('sent_at'),
    /** e.g. 'signed', 'encrypted', 'notice' for member alerts. */
    variant: text('variant'),
  },
  (t) => [
    index('mailing_recipients_claim_idx').on(t.campaignId, t.status, t.seq),
    index('mailing_recipients_email_idx').on(sql`lower(${t.email})`),
  ],
);

export const mailingSuppressions = pgTable('mailing_suppressions', {
  /** Lower-cased address. */
  email: text('email').primaryKey(),
  reason: text('reason').notNull(), // hard_bounce | soft_bounce | complaint | manual
  detail: text('detail').notNull().default(''),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

export const mailingBounces = pgTable(
  'mailing_bounces',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    kind: text('kind').notNull(), // hard | soft
    status: text('status').notNull(), // the DSN status code, e.g. 5.1.1
    diagnostic: text('diagnostic').notNull().default(''),
    campaignId: uuid('campaign_id'),
    recipientSeq: bigint('recipient_seq', { mode: 'number' }),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [index('mailing_bounces_email_idx').on(sql`lower(${t.email})`, t.receivedAt)],
);
