/**
 * TAXII 2.1 status resources: the outcome of each POST to a collection's objects endpoint, with
 * per-object successes, failures and pendings. Readable only by the user who posted.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export type StatusDetail = { id: string; version?: string; message?: string };

export const taxiiStatuses = pgTable(
  'taxii_statuses',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    collectionId: text('collection_id').notNull(),
    status: text('status').notNull(),
    requestTimestamp: tstz('request_timestamp').notNull(),
    totalCount: integer('total_count').notNull(),
    successCount: integer('success_count').notNull(),
    failureCount: integer('failure_count').notNull(),
    pendingCount: integer('pending_count').notNull(),
    successes: jsonb('successes').$type<StatusDetail[]>().notNull(),
    failures: jsonb('failures').$type<StatusDetail[]>().notNull(),
    pendings: jsonb('pendings').$type<StatusDetail[]>().notNull(),
  },
  (t) => [index('taxii_statuses_user_idx').on(t.userId)],
);
