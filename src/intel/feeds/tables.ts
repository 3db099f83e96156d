/**
 * Remote feed subscriptions: a TAXII 2.1 collection (cursor: the last `X-TAXII-Date-Added-Last`)
 * or a MISP feed (cursor: the manifest timestamp of every event already pulled). What a feed brings
 * is stored as the subscribing organisation's, with the feed's default TLP and sharing scope.
 */
import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const intelFeeds = pgTable('intel_feeds', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  /** taxii | misp */
  kind: text('kind').notNull(),
  /** TAXII: the collection URL (…/collections/<id>/); MISP: the feed directory URL (…/manifest.json lives there). */
  url: text('url').notNull(),
  /** Sent as the Authorization header (e.g. `Bearer …`); never returned by the API. */
  authorization: text('authorization'),
  tlpDefault: text('tlp_default').notNull(),
  scope: text('scope').notNull(),
  sharingGroupId: uuid('sharing_group_id'),
  scopeOrgIds: uuid('scope_org_ids').array().notNull().default([]),
  enabled: boolean('enabled').notNull().default(true),
  intervalMinutes: integer('interval_minutes').notNull(),
  /** TAXII: added_after cursor; MISP: {"<event uuid>": <timestamp>}. */
  cursor: jsonb('cursor'),
  nextPullAt: tstz('next_pull_at').notNull().defaultNow(),
  /** Consecutive failures: the backoff exponent. */
  failures: integer('failures').notNull().default(0),
  lastAttemptAt: tstz('last_attempt_at'),
  lastSuccessAt: tstz('last_success_at'),
  lastError: text('last_error'),
  lastErrorAt: tstz('last_error_at'),
  lastAdded: integer('last_added').notNull().default(0),
  totalAdded: bigint('total_added', { mode: 'number' }).notNull().default(0),
  /** A pull in progress holds this lease (several nodes may run the scheduler). */
  leaseUntil: tstz('lease_until'),
  createdBy: uuid('created_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
});
