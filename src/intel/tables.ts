/**
 * The STIX 2.1 object store. One row per stored version of a STIX object, per owning
 * organisation: the same (id, version) brought by two organisations is two rows, each with its own
 * marking and sharing scope (see src/intel/README.md).
 *
 * - `raw` is the object's original JSON text, byte for byte as it came in; reads serve it verbatim.
 * - `version` is the version key: `modified`, else `created`; SCOs (which carry neither) are
 *   unversioned and stored with version NULL (one version per id).
 * - `dateAdded` is strictly increasing across the whole store (writers serialise on an advisory
 *   lock and step by at least one microsecond), so it is a stable paging cursor for every
 *   collection; `seq` is the insertion order (tie-free as well) for internal use.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { markingColumns } from '../core/visibility.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 6 });

export const stixObjects = pgTable(
  'stix_objects',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    stixId: text('stix_id').notNull(),
    type: text('type').notNull(),
    specVersion: text('spec_version').notNull(),
    created: tstz('created'),
    modified: tstz('modified'),
    /** Version key: modified ?? created; NULL for unversioned objects (SCOs). */
    version: tstz('version'),
    revoked: boolean('revoked').notNull().default(false),
    /** A display name for browsing (name, value, pattern…), never used for identity. */
    title: text('title'),
    /** For SROs: relationship source/target or sighting_of_ref. */
    sourceRef: text('source_ref'),
    targetRef: text('target_ref'),
    /** Every STIX id this object references (any *_ref / *_refs, at any depth). */
    refs: text('refs').array().notNull().default([]),
    raw: text('raw').notNull(),
    /** sha256 of the canonical JSON (sorted keys): tells a true re-ingest from a conflicting one. */
    contentHash: text('content_hash').notNull(),
    dateAdded: tstz('date_added').notNull(),
    ...markingColumns(),
  },
  (t) => [
    unique('stix_objects_owner_id_version').on(t.ownerOrgId, t.stixId, t.version).nullsNotDistinct(),
    index('stix_objects_id_version_idx').on(t.stixId, t.version),
    index('stix_objects_date_added_idx').on(t.dateAdded),
    index('stix_objects_type_idx').on(t.type, t.dateAdded),
    // Partial: only relationships and sightings carry them, so other rows cost no index entry.
    index('stix_objects_source_ref_idx').on(t.sourceRef).where(sql`${t.sourceRef} IS NOT NULL`),
    index('stix_objects_target_ref_idx').on(t.targetRef).where(sql`${t.targetRef} IS NOT NULL`),
  ],
);
