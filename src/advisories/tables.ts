/**
 * Advisories: the live (editable) advisory with its structured fields and marking, one row per
 * language of text, and the published revisions (an immutable snapshot each, from which the public
 * site, the Atom feed and CSAF documents are made). CSAF files are rendered, hashed and signed once
 * at publication and kept, so that the bytes served, their hashes and signatures always agree.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markingColumns } from '../core/visibility.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type Vulnerability = {
  cve: string | null; title: string; cwe?: string | null;
  cvssV3?: { vectorString: string; baseScore: number; baseSeverity: string } | null;
  cvssV4?: { vectorString: string; baseScore?: number | null } | null;
};
export type AffectedProduct = { vendor: string; product: string; versions: string[]; fixedIn: string[] };
export type Reference = { url: string; summary: string };

export const advisories = pgTable(
  'advisories',
  {
    id: uuid('id').primaryKey(),
    /** Human/CSAF tracking id, e.g. HEMI-2025-0007 (unique). */
    trackingId: text('tracking_id').notNull(),
    status: text('status').notNull(), // draft | review | published
    severity: text('severity').notNull(), // none | low | medium | high | critical
    sourceLang: text('source_lang').notNull(),
    audience: text('audience').notNull().default(''),
    vulnerabilities: jsonb('vulnerabilities').$type<Vulnerability[]>().notNull(),
    affected: jsonb('affected').$type<AffectedProduct[]>().notNull(),
    references: jsonb('references').$type<Reference[]>().notNull(),
    /** Bumped whenever the source-language text changes; translations record the one they follow. */
    contentRevision: integer('content_revision').notNull().default(1),
    /** Number of the latest published revision (CSAF tracking version), 0 before the first. */
    publishedRevision: integer('published_revision').notNull().default(0),
    initialReleaseDate: tstz('initial_release_date'),
    currentReleaseDate: tstz('current_release_date'),
    ...markingColumns(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('advisories_tracking_id_idx').on(t.trackingId),
    index('advisories_status_idx').on(t.status, t.currentReleaseDate),
    index('advisories_owner_idx').on(t.ownerOrgId),
  ],
);

export const advisoryTexts = pgTable(
  'advisory_texts',
  {
    advisoryId: uuid('advisory_id').notNull().references(() => advisories.id, { onDelete: 'cascade' }),
    lang: text('lang').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull(), // Markdown
    remediation: text('remediation').notNull().default(''),
    /** The source content revision this text was written from (the source language: always current). */
    basedOnRevision: integer('based_on_revision').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.advisoryId, t.lang] })],
);

export const advisoryRevisions = pgTable(
  'advisory_revisions',
  {
    advisoryId: uuid('advisory_id').notNull().references(() => advisories.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    date: tstz('date').notNull(),
    summary: text('summary').notNull(),
    publishedBy: uuid('published_by'),
    /** The whole advisory as published: fields, marking and every up-to-date translation. */
    snapshot: jsonb('snapshot').notNull(),
  },
  (t) => [primaryKey({ columns: [t.advisoryId, t.number] }), index('advisory_revisions_date_idx').on(t.date)],
);

/** The CSAF file of each advisory's latest published revision, with its integrity material. */
export const csafDocuments = pgTable(
  'csaf_documents',
  {
    advisoryId: uuid('advisory_id').primaryKey().references(() => advisories.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    /** Folder per TLP (`clear`, `green`, …) and year of the initial release. */
    tlpFolder: text('tlp_folder').notNull(),
    year: integer('year').notNull(),
    filename: text('filename').notNull(),
    json: text('json').notNull(),
    sha256: text('sha256').notNull(),
    sha512: text('sha512').notNull(),
    signature: text('signature').notNull(),
    initialReleaseDate: tstz('initial_release_date').notNull(),
    currentReleaseDate: tstz('current_release_date').notNull(),
  },
  (t) => [uniqueIndex('csaf_documents_path_idx').on(t.tlpFolder, t.year, t.filename), index('csaf_documents_changed_idx').on(t.currentReleaseDate)],
);
