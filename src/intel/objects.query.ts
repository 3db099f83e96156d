/**
 * THE read path of the STIX store: every consumer (REST, TAXII, search, export, correlation)
 * reads objects through these functions, and every one of them filters with `visibleTo`.
 *
 * Copies: the same (id, version) shared by two organisations is stored twice; a reader who may see
 * both gets it once (the copy added first). Versions: `last` (default) / `first` are computed over
 * what the reader may see, so a newer version the reader cannot see never hides an older one.
 */
import { and, asc, eq, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../core/actor.ts';
import { invalid, notFound } from '../core/errors.ts';
import { visibleTo, type Scope } from '../core/visibility.ts';
import type { DbOrTx } from '../db/client.ts';
import { stixObjects } from './tables.ts';
import { TIMESTAMP_RE } from './validate/object.ts';

export type VersionMatch = 'first' | 'last' | 'all' | string;

export type ObjectFilter = {
  /** Only versions added after this instant (TAXII added_after). */
  addedAfter?: string;
  /** Opaque cursor from a previous page's `next`. */
  cursor?: string;
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  ids?: string[];
  types?: string[];
  /** first, last (default), all, or STIX timestamps of versions; several are OR-ed. */
  versions?: VersionMatch[];
  specVersions?: string[];
  /** Collection-like narrowing (a TAXII collection maps onto these). */
  ownerOrgId?: string;
  scope?: Scope;
  sharingGroupId?: string;
  /** Case-insensitive substring of the title (name, value, pattern…). */
  q?: string;
  /** Only objects stored with one of these TLP labels (browsing filter; visibility still applies). */
  tlps?: string[];
  includeRevoked?: boolean;
};

export type StoredObject = {
  id: string; type: string; specVersion: string;
  /** The version key as a STIX timestamp; null for unversioned objects (SCOs). */
  version: string | null;
  dateAdded: string; revoked: boolean; title: string | null;
  tlp: string; scope: string; ownerOrgId: string | null;
  /** The original JSON text, byte for byte. */
  raw: string;
};
export type ManifestEntry = Omit<StoredObject, 'raw' | 'title'>;
export type Page<T> = { items: T[]; more: boolean; next: string | null; dateAddedFirst: string | null; dateAddedLast: string | null };

const o2 = alias(stixObjects, 'o2');
const t = stixObjects;

/** A timestamp column as RFC 3339 UTC: milliseconds, or microseconds when they are not zero. */
const ts = (c: SQL | AnyColumn): SQL<string> => sql<string>`CASE WHEN ${c} IS NULL THEN NULL
  WHEN extract(microseconds FROM ${c})::bigint % 1000 = 0 THEN to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  ELSE to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END`;

/** date_added always with microseconds: fixed width, so the strings sort like the instants. */
const tsMicro = (c: AnyColumn): SQL<string> => sql<string>`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const columns = {
  id: t.stixId, type: t.type, specVersion: t.specVersion, version: ts(t.version), dateAdded: tsMicro(t.dateAdded), revoked: t.revoked,
  title: t.title, tlp: t.tlp, scope: t.scope, ownerOrgId: t.ownerOrgId,
};

export const encodeCursor = (dateAdded: string): string => Buffer.from(dateAdded).toString('base64url');
export function decodeCursor(c: string): string {
  const v = Buffer.from(c, 'base64url').toString('utf8');
  if (!TIMESTAMP_RE.test(v)) throw invalid('Invalid paging cursor', [{ path: 'next', message: 'not a cursor this server issued' }]);
  return v;
}

function collectionConds(table: typeof t, f: ObjectFilter): SQL[] {
  const c: SQL[] = [];
  if (f.ownerOrgId) c.push(sql`${table.ownerOrgId} = ${f.ownerOrgId}::uuid`);
  if (f.scope) c.push(sql`${table.scope} = ${f.scope}`);
  if (f.sharingGroupId) c.push(sql`${table.sharingGroupId} = ${f.sharingGroupId}::uuid`);
  return c;
}

/** Rows the actor may see, without the copies they also see (same id and version added earlier). */
function visibleDistinct(actor: Actor, f: ObjectFilter): SQL[] {
  const coll = and(...collectionConds(o2 as unknown as typeof t, f));
  return [
    visibleTo(actor, t),
    ...collectionConds(t, f),
    sql`NOT EXISTS (SELECT 1 FROM stix_objects AS o2 WHERE ${o2.stixId} = ${t.stixId} AND ${o2.version} IS NOT DISTINCT FROM ${t.version}
      AND ${o2.seq} < ${t.seq} AND ${visibleTo(actor, o2)} ${coll ? sql`AND ${coll}` : sql``})`,
  ];
}

function versionCond(actor: Actor, f: ObjectFilter, v: VersionMatch): SQL | undefined {
  const coll = and(...collectionConds(o2 as unknown as typeof t, f));
  const other = (cmp: SQL) =>
    sql`NOT EXISTS (SELECT 1 FROM stix_objects AS o2 WHERE ${o2.stixId} = ${t.stixId} AND ${cmp} AND ${visibleTo(actor, o2)} ${coll ? sql`AND ${coll}` : sql``})`;
  switch (v) {
    case 'all': return undefined;
    case 'last': return other(sql`coalesce(${o2.version}, '-infinity') > coalesce(${t.version}, '-infinity')`);
    case 'first': return other(sql`coalesce(${o2.version}, '-infinity') < coalesce(${t.version}, '-infinity')`);
    default:
      if (!TIMESTAMP_RE.test(v)) throw invalid('Invalid version filter', [{ path: 'match[version]', message: 'first, last, all or a STIX timestamp' }]);
      return sql`${t.version} = ${v}::timestamptz`;
  }
}

function filterConds(actor: Actor, f: ObjectFilter): SQL[] {
  const c = visibleDistinct(actor, f);
  if (f.addedAfter) {
    if (!TIMESTAMP_RE.test(f.addedAfter)) throw invalid('Invalid added_after', [{ path: 'added_after', message: 'a STIX timestamp' }]);
    c.push(sql`${t.dateAdded} > ${f.addedAfter}::timestamptz`);
  }
  if (f.cursor) c.push(sql`${t.dateAdded} > ${decodeCursor(f.cursor)}::timestamptz`);
  if (f.ids?.length) c.push(inArray(t.stixId, f.ids));
  if (f.types?.length) c.push(inArray(t.type, f.types));
  if (f.specVersions?.length) c.push(inArray(t.specVersion, f.specVersions));
  if (f.q) c.push(sql`${t.title} ILIKE ${`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (f.tlps?.length) c.push(inArray(t.tlp, f.tlps));
  if (f.includeRevoked === false) c.push(eq(t.revoked, false));
  const versions = f.versions?.length ? f.versions : ['last'];
  if (!versions.includes('all')) {
    const vs = versions.map((v) => versionCond(actor, f, v)).filter((x): x is SQL => !!x);
    c.push(or(...vs)!);
  } else versions.forEach((v) => versionCond(actor, f, v)); // still validates the other values
  return c;
}

function limitOf(f: ObjectFilter): number {
  const limit = f.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('Invalid limit', [{ path: 'limit', message: 'an integer from 1 to 1000' }]);
  return limit;
}

function page<T extends { dateAdded: string }>(found: T[], limit: number): Page<T> {
  const more = found.length > limit;
  const items = more ? found.slice(0, limit) : found;
  const last = items.at(-1)?.dateAdded ?? null;
  return { items, more, next: more && last ? encodeCursor(last) : null, dateAddedFirst: items[0]?.dateAdded ?? null, dateAddedLast: last };
}

/** Objects the actor may see, in date_added order, one page at a time. */
export async function listObjects(db: DbOrTx, actor: Actor, f: ObjectFilter = {}): Promise<Page<StoredObject>> {
  const limit = limitOf(f);
  const found = await db.select({ ...columns, raw: t.raw }).from(t).where(and(...filterConds(actor, f))).orderBy(asc(t.dateAdded)).limit(limit + 1);
  return page(found, limit);
}

/** The manifest: the same selection as listObjects, without the objects. */
export async function manifest(db: DbOrTx, actor: Actor, f: ObjectFilter = {}): Promise<Page<ManifestEntry>> {
  const limit = limitOf(f);
  const { title: _title, ...cols } = columns;
  const found = await db.select(cols).from(t).where(and(...filterConds(actor, f))).orderBy(asc(t.dateAdded)).limit(limit + 1);
  return page(found, limit);
}

/** Every version of one object the actor may see (oldest first); 404 when none. */
export async function getObjectVersions(db: DbOrTx, actor: Actor, stixId: string, f: Omit<ObjectFilter, 'ids'> = {}): Promise<Page<StoredObject>> {
  const res = await listObjects(db, actor, { versions: ['all'], ...f, ids: [stixId], limit: f.limit ?? 1000 });
  if (!res.items.length && !f.cursor && !f.addedAfter) throw notFound('STIX object');
  res.items.sort((a, b) => (a.version ?? '').localeCompare(b.version ?? ''));
  return res;
}

/** The newest version of an object the actor may see (or the asked version); 404 otherwise. */
export async function getObject(db: DbOrTx, actor: Actor, stixId: string, version?: string): Promise<StoredObject> {
  const res = await listObjects(db, actor, { ids: [stixId], versions: [version ?? 'last'], limit: 1 });
  const found = res.items[0];
  if (!found) throw notFound('STIX object');
  return found;
}

/** Relationships and sightings (latest visible versions) whose source or target is the object. */
export async function relationshipsOf(db: DbOrTx, actor: Actor, stixId: string, limit = 500): Promise<StoredObject[]> {
  const conds = filterConds(actor, { versions: ['last'] });
  const found = await db.select({ ...columns, raw: t.raw }).from(t)
    .where(and(...conds, inArray(t.type, ['relationship', 'sighting']), or(eq(t.sourceRef, stixId), eq(t.targetRef, stixId))))
    .orderBy(asc(t.dateAdded)).limit(limit);
  return found;
}

/** Title and type of the referenced objects the actor may see (for presenting relationships). */
export async function describeObjects(db: DbOrTx, actor: Actor, ids: string[]): Promise<Map<string, { type: string; title: string | null }>> {
  if (!ids.length) return new Map();
  const found = await db.select({ id: t.stixId, type: t.type, title: t.title }).from(t)
    .where(and(...filterConds(actor, { versions: ['last'] }), inArray(t.stixId, [...new Set(ids)].slice(0, 1000))));
  return new Map(found.map((r) => [r.id, { type: r.type, title: r.title }]));
}
