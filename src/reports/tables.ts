/**
 * The publications library: reports, documents and announcements, each in one language, public
 * (TLP:CLEAR, scope public) or for members (TLP:GREEN, network) — through the marking columns, so
 * that every read goes through `visibleTo`. The file (optional for announcements) is in the blob
 * store. `search` is a generated tsvector over title and summary with the text search
 * configuration of the publication's language.
 */
import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markingColumns } from '../core/visibility.ts';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** PostgreSQL text search configuration per platform language (present in PGlite and PostgreSQL 15). */
export const FTS_CONFIG = { en: 'english', es: 'spanish', pt: 'portuguese', fr: 'french' } as const;

export const publications = pgTable(
  'publications',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(), // report | document | announcement
    slug: text('slug').notNull(),
    lang: text('lang').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** Markdown (announcements carry their text here; reports may describe the file). */
    body: text('body').notNull().default(''),
    fileSha256: text('file_sha256'),
    fileName: text('file_name'),
    fileContentType: text('file_content_type'),
    fileSize: integer('file_size'),
    ...markingColumns(),
    publishedAt: tstz('published_at').notNull().defaultNow(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector(
      CASE lang WHEN 'es' THEN 'spanish'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
        WHEN 'fr' THEN 'french'::regconfig ELSE 'english'::regconfig END,
      coalesce(title, '') || ' ' || coalesce(summary, ''))`),
  },
  (t) => [
    uniqueIndex('publications_slug_idx').on(t.slug, t.lang),
    index('publications_published_idx').on(t.publishedAt),
    index('publications_search_idx').using('gin', t.search),
  ],
);
