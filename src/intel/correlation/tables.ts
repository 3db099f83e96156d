/**
 * Correlation tables (part B of issue 8): the normalised observables of every stored STIX object
 * version, the matches recorded between organisations at ingest, and "we saw this too" sightings.
 * Observables and correlations carry no marking of their own: they are read only joined to
 * `stix_objects` rows filtered by `visibleTo` (both sides, for a correlation).
 */
import { bigint, bigserial, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { markingColumns } from '../../core/visibility.ts';
import { stixObjects } from '../tables.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const intelObservables = pgTable(
  'intel_observables',
  {
    /**
     * The store row (no foreign key: a per-row check cost as much as the insert itself in bulk
     * ingest; store rows are removed only by src/intel/remove-rows.command.ts, which removes these rows,
     * and every read joins `stix_objects`, so a stray row could never be seen).
     */
    objectSeq: bigint('object_seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    ownerOrgId: uuid('owner_org_id'),
  },
  (t) => [primaryKey({ columns: [t.objectSeq, t.kind, t.value] }), index('intel_observables_value_idx').on(t.value, t.kind)],
);

/** A match of one observable between objects of two different organisations, recorded once per pair. */
export const intelCorrelations = pgTable(
  'intel_correlations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    /** The newer object (whose ingest found the match) and the older one it matched. */
    objectSeq: bigint('object_seq', { mode: 'number' }).notNull().references(() => stixObjects.seq, { onDelete: 'cascade' }),
    matchedSeq: bigint('matched_seq', { mode: 'number' }).notNull().references(() => stixObjects.seq, { onDelete: 'cascade' }),
    orgId: uuid('org_id'),
    matchedOrgId: uuid('matched_org_id'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('intel_correlations_pair').on(t.objectSeq, t.matchedSeq, t.kind, t.value),
    index('intel_correlations_matched_idx').on(t.matchedSeq),
  ],
);

/** Which stored rows have been indexed: rows with seq above `lastSeq` are pending. */
export const intelIndexState = pgTable('intel_index_state', {
  name: text('name').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
});

/** One-click "we saw this too": one row per organisation and object, counted up on each report. */
export const intelSightings = pgTable(
  'intel_sightings',
  {
    id: uuid('id').primaryKey(),
    stixId: text('stix_id').notNull(),
    orgId: uuid('org_id').notNull(),
    count: integer('count').notNull().default(1),
    firstSeen: tstz('first_seen').notNull().defaultNow(),
    lastSeen: tstz('last_seen').notNull().defaultNow(),
    note: text('note').notNull().default(''),
    ...markingColumns(),
  },
  (t) => [unique('intel_sightings_org_object').on(t.orgId, t.stixId), index('intel_sightings_stix_idx').on(t.stixId)],
);
