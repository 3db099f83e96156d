/**
 * MISP events imported into the STIX store. The store keeps every object (the event's report,
 * indicators / x-misp-attribute objects, x-misp-object objects, relationships, sightings, galaxy
 * clusters) with the original MISP JSON inside; these two tables only index them by event so that
 * an event's attributes can be paged in O(page) and an event rebuilt for a MISP feed.
 *
 * They carry no marking of their own: every read joins `stix_objects` rows filtered by `visibleTo`.
 */
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { stixObjects } from '../tables.ts';

export type MarkingClass = { rep: number; attributes: number; objects: number };

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const mispEvents = pgTable(
  'misp_events',
  {
    id: uuid('id').primaryKey(),
    /** The organisation that brought the event (null: a platform import). */
    ownerOrgId: uuid('owner_org_id'),
    eventUuid: uuid('event_uuid').notNull(),
    /** The stored report (the event) this row describes: its seq in stix_objects. */
    reportSeq: bigint('report_seq', { mode: 'number' }).notNull().references(() => stixObjects.seq, { onDelete: 'cascade' }),
    info: text('info').notNull(),
    /** MISP `timestamp` (seconds): the version a feed manifest advertises. */
    mispTimestamp: bigint('misp_timestamp', { mode: 'number' }).notNull(),
    attributeCount: integer('attribute_count').notNull(),
    objectCount: integer('object_count').notNull(),
    /** Where it came from: `file`, `url`, `feed:<feed id>`, `cli`. */
    source: text('source').notNull(),
    importedAt: tstz('imported_at').notNull().defaultNow(),
    /**
     * The event's members grouped by identical marking (TLP, scope, owner, creator, scope orgs,
     * sharing group, RED recipients): one entry per group with a representative row and the
     * group's counts. Every row of a group gets the same `visibleTo` verdict as its
     * representative, so what a reader may see of the event is counted in O(groups), and an event
     * whose attributes all share one visible marking is paged by `ord` range.
     */
    markingClasses: jsonb('marking_classes').$type<MarkingClass[]>().notNull().default([]),
    /** False once a member row was deleted: `ord` has gaps, so pages fall back to ranking. */
    ordsDense: boolean('ords_dense').notNull().default(true),
  },
  (t) => [unique('misp_events_owner_uuid').on(t.ownerOrgId, t.eventUuid).nullsNotDistinct()],
);

/**
 * The event's members in source order. `ord` is dense per (event, kind) so page k of the
 * attributes is a range on the primary key, whatever k is.
 */
export const mispEventItems = pgTable(
  'misp_event_items',
  {
    eventId: uuid('event_id').notNull().references(() => mispEvents.id, { onDelete: 'cascade' }),
    /** attribute | object | relationship | sighting | galaxy */
    kind: text('kind').notNull(),
    ord: integer('ord').notNull(),
    /** The store row (no foreign key, for bulk import speed: see intel_observables.object_seq). */
    objectSeq: bigint('object_seq', { mode: 'number' }).notNull(),
    /** For attributes of a MISP object: that object's ord. */
    parentOrd: integer('parent_ord'),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.kind, t.ord] }), index('misp_event_items_object_seq_idx').on(t.objectSeq)],
);
