/**
 * MISP feed export: the MISP events a reader may see, rebuilt from the MISP JSON kept in the store,
 * as a MISP feed — `manifest.json` (with `integrity:sha256` per event), one `<uuid>.json` per
 * event, `hashes.csv`, and detached OpenPGP signatures (`.asc`) by the platform key.
 *
 * Every read joins `stix_objects` through `visibleTo`: the report row decides whether the reader
 * sees the event, each attribute/object row whether it is in it. Distribution narrows on the way
 * out as MISP narrows between instances: connected communities → this community, this community →
 * your organisation; sharing groups do not cross instances (→ your organisation).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/actor.ts';
import { invalid } from '../../core/errors.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { signDetached, type KeyConfig } from '../../crypto/platform-key.ts';
import { stixObjects } from '../tables.ts';
import type { Json } from './map.ts';

/** all | network | public | org-<uuid> | group-<uuid> */
export type FeedCollection = string;
const COLLECTION_RE = /^(all|network|public|org-[0-9a-f-]{36}|group-[0-9a-f-]{36})$/;

const s = stixObjects;
function collectionCond(c: FeedCollection): SQL {
  if (!COLLECTION_RE.test(c)) throw invalid('Unknown feed collection', [{ path: 'collection', message: 'all, network, public, org-<id> or group-<id>' }]);
  if (c === 'all') return sql`true`;
  if (c === 'network') return sql`${s.scope} IN ('network', 'public')`;
  if (c === 'public') return sql`(${s.scope} = 'public' AND ${s.tlp} = 'clear')`;
  if (c.startsWith('org-')) return sql`${s.ownerOrgId} = ${c.slice(4)}::uuid`;
  return sql`(${s.scope} = 'group' AND ${s.sharingGroupId} = ${c.slice(6)}::uuid)`;
}

/** MISP's narrowing between instances. */
export const narrowDistribution = (d: unknown): string => {
  const n = Number(d);
  return n === 3 ? '3' : n === 2 ? '1' : n === 5 ? '5' : '0';
};

/** Tags that travel: local tags never leave the instance; instance-local fields are dropped (as MISP's feeds do). */
const exportTags = (v: unknown): Json[] | undefined => Array.isArray(v)
  ? (v as Json[]).filter((t) => t && t.local !== true && t.local !== '1' && t.local !== 1).map((t) => {
    const o: Json = { name: t.name };
    for (const k of ['colour', 'exportable', 'hide_tag']) if (t[k] !== undefined) o[k] = t[k];
    return o;
  })
  : undefined;
/** Instance-local ids and proposals (ShadowAttribute: proposals stay on the instance they were made on). */
const LOCAL_ATTRIBUTE_KEYS = ['id', 'event_id', 'object_id', 'shadow_attribute_count', 'ShadowAttribute'];
function exportAttribute(a: Json): Json {
  const o: Json = Object.fromEntries(Object.entries(a).filter(([k]) => !LOCAL_ATTRIBUTE_KEYS.includes(k)));
  if (o.distribution !== undefined) o.distribution = narrowDistribution(o.distribution);
  if (o.sharing_group_id !== undefined) o.sharing_group_id = '0';
  if (o.Tag !== undefined) o.Tag = exportTags(o.Tag);
  return o;
}
const org = (v: unknown): Json | undefined => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Json).filter(([k]) => k === 'name' || k === 'uuid')) : undefined);

const pick = (o: Json, keys: string[]): Json => Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
/** Galaxies as MISP feeds carry them: the cluster's identity (uuid, tag_name, value…); the receiving MISP resolves the rest. */
const exportGalaxies = (v: unknown): Json[] | undefined => Array.isArray(v)
  ? (v as Json[]).map((g) => ({
    ...pick(g, ['uuid', 'name', 'type', 'description', 'version']),
    GalaxyCluster: Array.isArray(g.GalaxyCluster) ? (g.GalaxyCluster as Json[]).map((c) => pick(c, ['uuid', 'type', 'value', 'tag_name', 'description', 'source', 'authors', 'meta'])) : [],
  }))
  : undefined;

type EventRow = { id: string; event_uuid: string; misp_timestamp: string; raw: string };

/** The newest visible copy of each event in the collection. */
export async function visibleEvents(db: DbOrTx, actor: Actor, collection: FeedCollection): Promise<EventRow[]> {
  return rows<EventRow>(db, sql`
    SELECT DISTINCT ON (e.event_uuid) e.id, e.event_uuid::text AS event_uuid, e.misp_timestamp, ${s.raw} AS raw
    FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE ${visibleTo(actor, s)} AND ${collectionCond(collection)}
    ORDER BY e.event_uuid, e.misp_timestamp DESC, e.imported_at`);
}

/** One event as MISP JSON, with only the attributes and objects the actor may see. */
export async function buildEvent(db: DbOrTx, actor: Actor, ev: EventRow): Promise<Json> {
  const report = JSON.parse(ev.raw) as Json;
  const base: Json = { ...(report.x_misp_event as Json), uuid: ev.event_uuid };
  const members = await rows<{ kind: string; ord: number; parent_ord: number | null; raw: string }>(db, sql`
    SELECT i.kind, i.ord, i.parent_ord, ${s.raw} AS raw FROM misp_event_items i JOIN ${s} ON ${s.seq} = i.object_seq
    WHERE i.event_id = ${ev.id}::uuid AND i.kind IN ('attribute', 'object') AND ${visibleTo(actor, s)}
    ORDER BY i.kind, i.ord`);
  const attributes: Json[] = [];
  const objects = new Map<number, Json>();
  const objectAttrs = new Map<number, Json[]>();
  for (const m of members) {
    const o = JSON.parse(m.raw) as Json;
    if (m.kind === 'object') objects.set(m.ord, { ...(o.x_misp_object as Json) });
    else {
      const a = exportAttribute(o.x_misp_attribute as Json);
      if (m.parent_ord === null) attributes.push(a);
      else (objectAttrs.get(m.parent_ord) ?? objectAttrs.set(m.parent_ord, []).get(m.parent_ord)!).push(a);
    }
  }
  const out: Json = { ...base, distribution: narrowDistribution(base.distribution ?? 3) };
  if ('sharing_group_id' in out) out.sharing_group_id = '0';
  for (const k of ['id', 'org_id', 'orgc_id', 'SharingGroup', 'ShadowAttribute']) delete out[k];
  if (out.Org) out.Org = org(out.Org);
  if (out.Orgc) out.Orgc = org(out.Orgc);
  if (out.Tag !== undefined) out.Tag = exportTags(out.Tag);
  if (out.Galaxy !== undefined) out.Galaxy = exportGalaxies(out.Galaxy);
  out.Attribute = attributes;
  if (objects.size || 'Object' in base) out.Object = [...objects.entries()].sort((a, b) => a[0] - b[0]).map(([ord, o]) => {
    const obj: Json = { ...Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'id' && k !== 'event_id')), Attribute: objectAttrs.get(ord) ?? [] };
    if (obj.distribution !== undefined) obj.distribution = narrowDistribution(obj.distribution);
    if ('sharing_group_id' in obj) obj.sharing_group_id = '0';
    return obj;
  });
  if (!out.Object) delete out.Object;
  if (out.attribute_count !== undefined) out.attribute_count = String(attributes.length + [...objectAttrs.values()].reduce((n, l) => n + l.length, 0));
  return out;
}

export const sha256Hex = (text: string | Buffer): string => crypto.createHash('sha256').update(text).digest('hex');
const md5 = (v: string): string => crypto.createHash('md5').update(v).digest('hex');

export type Feed = { manifest: string; events: Map<string, string>; hashes: string };

/** The whole feed for a reader: manifest text, each event file's text, hashes.csv. */
export async function buildFeed(db: DbOrTx, actor: Actor, collection: FeedCollection): Promise<Feed> {
  const manifest: Record<string, Json> = {};
  const events = new Map<string, string>();
  const hashLines: string[] = [];
  for (const row of await visibleEvents(db, actor, collection)) {
    const ev = await buildEvent(db, actor, row);
    const text = JSON.stringify({ Event: ev });
    events.set(row.event_uuid, text);
    const pick = (k: string) => (ev[k] !== undefined ? { [k]: ev[k] } : {});
    manifest[row.event_uuid] = {
      info: ev.info ?? '', Orgc: ev.Orgc ?? { name: 'unknown' }, ...pick('analysis'), ...pick('Tag'), timestamp: String(ev.timestamp ?? row.misp_timestamp),
      date: ev.date ?? new Date(Number(row.misp_timestamp) * 1000).toISOString().slice(0, 10), ...pick('threat_level_id'),
      uuid: row.event_uuid, 'integrity:sha256': sha256Hex(text),
    };
    const all = [...(ev.Attribute as Json[]), ...((ev.Object as Json[] | undefined) ?? []).flatMap((o) => o.Attribute as Json[])];
    for (const a of all) for (const part of String(a.value ?? '').split('|')) if (part) hashLines.push(`${md5(part)},${row.event_uuid}`);
  }
  return { manifest: JSON.stringify(manifest, null, 1), events, hashes: hashLines.length ? `${hashLines.join('\n')}\n` : '' };
}

/** Write the feed to a directory, each file with its detached signature. Returns the files written. */
export async function writeFeedDir(db: DbOrTx, actor: Actor, collection: FeedCollection, dir: string, keyCfg: KeyConfig): Promise<string[]> {
  const feed = await buildFeed(db, actor, collection);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string, sign: boolean) => {
    fs.writeFileSync(path.join(dir, name), text);
    written.push(name);
    if (sign) {
      fs.writeFileSync(path.join(dir, `${name}.asc`), await signDetached(db, keyCfg, text));
      written.push(`${name}.asc`);
    }
  };
  for (const [uuid, text] of feed.events) await put(`${uuid}.json`, text, true);
  await put('hashes.csv', feed.hashes, true);
  await put('manifest.json', feed.manifest, true);
  return written;
}
