/**
 * Reading the library: list and full-text search (PostgreSQL FTS over title + summary; each publication
 * is matched with its own language's configuration, so a Spanish word finds Spanish reports from
 * any page), one publication, its file. All through `visibleTo`.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { visibleTo } from '../core/visibility.ts';
import type { BlobStore } from '../blobs/store.ts';
import type { DbOrTx } from '../db/client.ts';
import { publications } from './tables.ts';

export type PublicationFilter = { q?: string; lang?: string; kind?: string; limit?: number; offset?: number };

const columns = {
  id: publications.id, kind: publications.kind, slug: publications.slug, lang: publications.lang, title: publications.title,
  summary: publications.summary, tlp: publications.tlp, scope: publications.scope, fileName: publications.fileName,
  fileContentType: publications.fileContentType, fileSize: publications.fileSize, publishedAt: publications.publishedAt,
};

/** The row's own language configuration: each publication is matched with the rules of its language. */
const rowConfig = sql`(CASE ${publications.lang} WHEN 'es' THEN 'spanish'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
  WHEN 'fr' THEN 'french'::regconfig ELSE 'english'::regconfig END)`;

/** The query parsed (websearch syntax: quotes, -, or) with the row's language, so stems and negations agree with its vector. */
const tsQuery = (q: string): SQL => sql`websearch_to_tsquery(${rowConfig}, ${q})`;

export async function listPublications(db: DbOrTx, actor: Actor, f: PublicationFilter = {}) {
  const conds: SQL[] = [visibleTo(actor, publications)];
  if (f.lang) conds.push(eq(publications.lang, f.lang));
  if (f.kind) conds.push(eq(publications.kind, f.kind));
  const q = f.q?.trim();
  if (q) {
    const query = tsQuery(q);
    conds.push(sql`${publications.search} @@ (${query})`);
    return db.select({ ...columns, rank: sql<number>`ts_rank(${publications.search}, ${query})`,
      headline: sql<string>`ts_headline(${rowConfig}, ${publications.summary}, (${query}), 'MaxFragments=2, MaxWords=25, MinWords=8')` })
      .from(publications).where(and(...conds))
      .orderBy(desc(sql`ts_rank(${publications.search}, ${query})`), desc(publications.publishedAt))
      .limit(f.limit ?? 50).offset(f.offset ?? 0);
  }
  return db.select(columns).from(publications).where(and(...conds)).orderBy(desc(publications.publishedAt)).limit(f.limit ?? 50).offset(f.offset ?? 0);
}

export async function getPublication(db: DbOrTx, actor: Actor, id: string) {
  const [p] = await db.select({ ...columns, body: publications.body, ownerOrgId: publications.ownerOrgId, createdBy: publications.createdBy })
    .from(publications).where(and(eq(publications.id, id), visibleTo(actor, publications)));
  if (!p) throw notFound('Publication');
  const translations = await db.select({ id: publications.id, lang: publications.lang, title: publications.title })
    .from(publications).where(and(eq(publications.slug, p.slug), visibleTo(actor, publications)));
  return { ...p, translations: translations.filter((t) => t.id !== p.id) };
}

export async function readPublicationFile(db: DbOrTx, blobs: BlobStore, actor: Actor, id: string) {
  const [p] = await db.select({ sha: publications.fileSha256, name: publications.fileName, type: publications.fileContentType })
    .from(publications).where(and(eq(publications.id, id), visibleTo(actor, publications)));
  if (!p || !p.sha) throw notFound('File');
  const data = await blobs.get(p.sha);
  if (!data) throw notFound('File');
  return { data, filename: p.name ?? 'file', contentType: p.type ?? 'application/octet-stream' };
}
