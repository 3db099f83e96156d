/**
 * The CSAF trusted-provider tree (CSAF 2.0 section 7.1, ../shared/reference/csaf-provider.md) over
 * the CSAF files kept at publication. Only what the anonymous actor may see is served — the filter
 * is `visibleTo(anonymous, advisories)`, i.e. TLP:CLEAR with public scope — in the `clear` folder:
 *   /.well-known/csaf/provider-metadata.json
 *   /.well-known/csaf/clear/                      (directory listing; index.txt, changes.csv, ROLIE feed)
 *   /.well-known/csaf/clear/<year>/<file>.json    (+ .sha256, .sha512, .asc)
 *   /.well-known/csaf/openpgp/<FINGERPRINT>.asc   (the platform key)
 */
import { and, desc, eq } from 'drizzle-orm';
import { anonymous } from '../core/actor.ts';
import { visibleTo } from '../core/visibility.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Publisher } from './csaf.ts';
import { advisories, csafDocuments } from './tables.ts';

export const CSAF_BASE = '/.well-known/csaf';
export const PUBLIC_FOLDER = 'clear';
export const FEED_FILE = 'csaf-feed-tlp-white.json';

export type PublicCsaf = { filename: string; year: number; title: string; trackingId: string; initialReleaseDate: Date; currentReleaseDate: Date };

export async function listPublicCsaf(db: DbOrTx): Promise<PublicCsaf[]> {
  const rows = await db.select({
    filename: csafDocuments.filename, year: csafDocuments.year, json: csafDocuments.json, trackingId: advisories.trackingId,
    initialReleaseDate: csafDocuments.initialReleaseDate, currentReleaseDate: csafDocuments.currentReleaseDate,
  }).from(csafDocuments).innerJoin(advisories, eq(advisories.id, csafDocuments.advisoryId))
    .where(and(eq(csafDocuments.tlpFolder, PUBLIC_FOLDER), visibleTo(anonymous, advisories)))
    .orderBy(desc(csafDocuments.currentReleaseDate), desc(csafDocuments.filename));
  return rows.map(({ json, ...r }) => ({ ...r, title: String((JSON.parse(json) as { document: { title: string } }).document.title) }));
}

/** One public CSAF file with its integrity material, or null. */
export async function publicCsafFile(db: DbOrTx, year: number, filename: string) {
  const [row] = await db.select({ json: csafDocuments.json, sha256: csafDocuments.sha256, sha512: csafDocuments.sha512, signature: csafDocuments.signature })
    .from(csafDocuments).innerJoin(advisories, eq(advisories.id, csafDocuments.advisoryId))
    .where(and(eq(csafDocuments.tlpFolder, PUBLIC_FOLDER), eq(csafDocuments.year, year), eq(csafDocuments.filename, filename), visibleTo(anonymous, advisories)));
  return row ?? null;
}

const pathOf = (d: Pick<PublicCsaf, 'year' | 'filename'>) => `${d.year}/${d.filename}`;

/** index.txt: every document's path relative to the folder, one per line. */
export const indexTxt = (docs: PublicCsaf[]) => docs.map((d) => `${pathOf(d)}\n`).join('');

/** changes.csv: no header, `"path","current_release_date"`, newest first. */
export const changesCsv = (docs: PublicCsaf[]) => docs.map((d) => `"${pathOf(d)}","${d.currentReleaseDate.toISOString()}"\n`).join('');

export function rolieFeed(docs: PublicCsaf[], base: string, publisher: Publisher) {
  const folder = `${base}${CSAF_BASE}/${PUBLIC_FOLDER}`;
  return {
    feed: {
      id: `${publisher.namespace.replace(/^https?:\/\//, '').replace(/[^a-z0-9]+/gi, '-')}-csaf-feed-tlp-white`,
      title: `${publisher.name} CSAF feed (TLP:WHITE / TLP:CLEAR)`,
      link: [{ rel: 'self', href: `${folder}/${FEED_FILE}` }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated: (docs[0]?.currentReleaseDate ?? new Date(0)).toISOString(),
      entry: docs.map((d) => {
        const href = `${folder}/${pathOf(d)}`;
        return {
          id: d.trackingId,
          title: d.title,
          link: [{ rel: 'self', href }, { rel: 'hash', href: `${href}.sha256` }, { rel: 'hash', href: `${href}.sha512` }, { rel: 'signature', href: `${href}.asc` }],
          published: d.initialReleaseDate.toISOString(),
          updated: d.currentReleaseDate.toISOString(),
          summary: { content: d.title },
          content: { type: 'application/json', src: href },
          format: { schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' },
        };
      }),
    },
  };
}

export function providerMetadata(docs: PublicCsaf[], base: string, publisher: Publisher, key: { fingerprint: string }) {
  const root = `${base}${CSAF_BASE}`;
  return {
    canonical_url: `${root}/provider-metadata.json`,
    distributions: [{
      directory_url: `${root}/${PUBLIC_FOLDER}/`,
      rolie: { feeds: [{ summary: `All TLP:CLEAR (WHITE) advisories of ${publisher.name}.`, tlp_label: 'WHITE', url: `${root}/${PUBLIC_FOLDER}/${FEED_FILE}` }] },
    }],
    last_updated: (docs[0]?.currentReleaseDate ?? new Date(0)).toISOString(),
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: [{ fingerprint: key.fingerprint, url: `${root}/openpgp/${key.fingerprint}.asc` }],
    publisher: { category: 'coordinator', name: publisher.name, namespace: publisher.namespace, contact_details: publisher.contact },
    role: 'csaf_trusted_provider',
  };
}

/** A plain HTML directory listing (requirement 14), links relative to the folder. */
export function directoryListing(title: string, entries: string[]): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Index of ${esc(title)}</title></head><body><h1>Index of ${esc(title)}</h1><ul>\n${
    entries.map((e) => `<li><a href="${esc(encodeURI(e))}">${esc(e)}</a></li>`).join('\n')}\n</ul></body></html>\n`;
}
