/**
 * MISP import: parse a MISP document (one event, a list, a `{response: […]}`), map each event to
 * STIX (map.ts), store it through the store's own ingest (`ingestBundle`: validation, markings,
 * idempotence, audit), index the event's members for paging and feed export, and index the new
 * observables for correlation and lookups (`indexNewObjects`).
 *
 * Sharing: each object's scope comes from its MISP distribution (0 → org, 1/2 → network,
 * 3 → public (TLP:CLEAR only, else network), 4 → the import's sharing group or org, 5 → the
 * event's), never wider than the scope asked for the import. TLP comes from `tlp:*` tags (the
 * attribute's, else the event's), else the import's default.
 */
import { sql } from 'drizzle-orm';
import { appendAudit, canonicalJson, type AuditMeta } from '../../core/audit.ts';
import { inTx } from '../../core/context.ts';
import { invalid } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { tlpFromMarkingRefs, type Tlp } from '../../core/tlp.ts';
import type { Scope } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { indexNewObjects } from '../correlation/index.command.ts';
import { assertMayIngest, ingestObjects, type IngestReport, type ObjectResult, type ParsedObject, type StoredRef } from '../ingest.command.ts';
import { pgIntArray, sqlArray } from '../../db/arrays.ts';
import { refreshMarkingClasses } from './events.query.ts';
import { looksLikeEvent, mapEvent, unwrapEvent, type Json, type MappedEvent, type MappedItem } from './map.ts';

export type MispImportOptions = {
  ownerOrgId: string | null;
  /** The widest scope anything of this import may get. */
  scope: Scope;
  tlpDefault: Tlp;
  sharingGroupId?: string | null;
  scopeOrgIds?: string[];
  recipientUserIds?: string[];
  source: string;
  /**
   * The events come from elsewhere (a remote feed): the importing organisation is their
   * recipient, not their originator, so TLP:AMBER and AMBER+STRICT objects stay with it (scope
   * org) whatever wider scope the import shares the rest with — the rule the TAXII feed pull applies.
   */
  received?: boolean;
  /** Skip the correlation indexing (the caller runs it once after many events). */
  skipIndex?: boolean;
  batchSize?: number;
};

export type MispEventResult = {
  uuid: string; info: string; timestamp: number;
  status: 'imported' | 'unchanged' | 'older' | 'failed';
  counts: MappedEvent['counts'];
  stored: Record<'added' | 'unchanged' | 'conflict' | 'rejected', number>;
  scopes: Partial<Record<Scope, number>>;
  problems: ObjectResult[];
};

const RANK: Record<Scope, number> = { org: 0, orgs: 1, group: 1, network: 2, public: 3 };

/** The documents a MISP JSON file may hold, as bare events. */
export function eventsOfDocument(doc: unknown): Json[] {
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as Json).response) ? ((doc as Json).response as unknown[]) : [doc];
  const events = list.map(unwrapEvent);
  if (!events.length || events.some((e) => !e || !looksLikeEvent(e))) {
    throw invalid('Not a MISP event document', [{ path: '', message: 'expected {"Event": …}, an event, a list of them or {"response": […]}' }]);
  }
  return events as Json[];
}

export function parseMispText(text: string): Json[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid('Not valid JSON', [{ path: '', message: (err as Error).message.slice(0, 200) }]);
  }
  return eventsOfDocument(doc);
}

/** The sharing scope a MISP distribution level gets under the import's options. */
/** MISP distribution levels from narrowest to widest: org (0), sharing group (4), community (1), connected (2), all (3). */
const NARROW: Record<number, number> = { 0: 0, 4: 1, 1: 2, 2: 3, 3: 4 };
const narrower = (a: number, b: number): number => ((NARROW[a] ?? 0) <= (NARROW[b] ?? 0) ? a : b);

/** The sharing scope a MISP distribution level gets under the import's options. */
export function scopeForDistribution(dist: number, eventDist: number, o: Pick<MispImportOptions, 'scope' | 'tlpDefault'>): Scope {
  const ev = NARROW[eventDist] === undefined ? 0 : eventDist;
  const d = dist === 5 ? ev : narrower(NARROW[dist] === undefined ? 0 : dist, ev);
  const mapped: Scope = d === 0 ? 'org' : d === 4 ? (o.scope === 'group' ? 'group' : 'org') : d === 3 ? 'public' : 'network';
  let out: Scope = RANK[mapped] < RANK[o.scope] ? mapped : o.scope;
  if (RANK[mapped] === 1 && RANK[o.scope] === 1) out = o.scope;
  return out;
}

/**
 * Each mapped object with its JSON text, made as the ingest reaches it (never all texts at once).
 * The text is canonical JSON (sorted keys): it is also what the store hashes, so it is made once.
 */
function* asParsed(objects: Json[]): Generator<ParsedObject> {
  for (const x of objects) yield { raw: canonicalJson(x), object: x, canonical: true };
}

/** What an import would create, without storing anything. */
export function previewEvents(events: Json[], o: Pick<MispImportOptions, 'scope' | 'tlpDefault'>) {
  return events.map((e) => {
    const m = mapEvent(e);
    const types: Record<string, number> = {};
    const scopes: Partial<Record<Scope, number>> = {};
    for (const it of [{ stix: m.report, distribution: m.distribution } as MappedItem, ...m.items]) {
      const t = it.stix.type as string;
      types[t] = (types[t] ?? 0) + 1;
      const sc = scopeForDistribution(it.distribution, m.distribution, o);
      scopes[sc] = (scopes[sc] ?? 0) + 1;
    }
    return { uuid: m.uuid, info: m.info, timestamp: m.timestamp, distribution: m.distribution, tlp: m.tlp ?? o.tlpDefault, counts: m.counts, stixTypes: types, scopes };
  });
}

export async function importMispEvent(db: DbOrTx, meta: AuditMeta, event: Json, o: MispImportOptions): Promise<MispEventResult> {
  assertMayIngest(meta.actor, { ownerOrgId: o.ownerOrgId, scope: o.scope, tlpDefault: o.tlpDefault, sharingGroupId: o.sharingGroupId ?? null });
  const m = mapEvent(event);
  const result: MispEventResult = {
    uuid: m.uuid, info: m.info, timestamp: m.timestamp, status: 'imported', counts: m.counts,
    stored: { added: 0, unchanged: 0, conflict: 0, rejected: 0 }, scopes: {}, problems: [],
  };
  const [prev] = await rows<{ misp_timestamp: string }>(db, sql`
    SELECT misp_timestamp FROM misp_events WHERE owner_org_id IS NOT DISTINCT FROM ${o.ownerOrgId}::uuid AND event_uuid = ${m.uuid}::uuid`);
  if (prev && Number(prev.misp_timestamp) > m.timestamp) return { ...result, status: 'older' };

  // One ingest per scope (the store's ingest takes one scope per call).
  const groups = new Map<Scope, Json[]>();
  const eventScope = scopeForDistribution(5, m.distribution, o);
  // Only TLP:CLEAR goes public: anything else (or unmarked, under a non-CLEAR default) is shared network-wide.
  const isClear = (x: Json) => Array.isArray(x.object_marking_refs) ? tlpFromMarkingRefs(x.object_marking_refs as string[]) === 'clear' : o.tlpDefault === 'clear';
  const recipientOnly = (x: Json) => o.received === true && Array.isArray(x.object_marking_refs)
    && ['amber', 'amber+strict'].includes(tlpFromMarkingRefs(x.object_marking_refs as string[]) ?? '');
  const put = (sc: Scope, x: Json) => {
    const k: Scope = recipientOnly(x) ? 'org' : sc === 'public' && !isClear(x) ? 'network' : sc;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(x);
  };
  if (m.identity) put(eventScope, m.identity);
  for (const it of m.items) put(it.kind === 'galaxy' ? eventScope : scopeForDistribution(it.distribution, m.distribution, o), it.stix);
  put(eventScope, m.report);
  // The store seq of each row this import adds: the event index below needs no lookup for them.
  const seqOf = new Map<string, number>();
  const onStored = (stored: StoredRef[]) => { for (const r of stored) seqOf.set(r.stixId, r.seq); };
  for (const [scope, objects] of groups) {
    result.scopes[scope] = objects.length;
    const report: IngestReport = await ingestObjects(db, meta, asParsed(objects), {
      ownerOrgId: o.ownerOrgId, scope, tlpDefault: scope === 'public' ? 'clear' : o.tlpDefault, sharingGroupId: scope === 'group' ? o.sharingGroupId ?? null : null,
      scopeOrgIds: scope === 'orgs' ? o.scopeOrgIds : [], recipientUserIds: o.recipientUserIds, batchSize: o.batchSize ?? 2000, maxReportEntries: 200, onStored,
    });
    for (const k of ['added', 'unchanged', 'conflict', 'rejected'] as const) result.stored[k] += report.counts[k];
    result.problems.push(...report.results.filter((r) => r.status === 'rejected' || r.status === 'conflict').slice(0, 50));
  }
  if (result.stored.added === 0 && prev) result.status = 'unchanged';

  // Index the members (by their stored rows) for paging and export.
  await inTx(db, async (tx) => {
    const [rep] = await rows<{ seq: string }>(tx, sql`
      SELECT seq FROM stix_objects WHERE stix_id = ${m.report.id as string} AND owner_org_id IS NOT DISTINCT FROM ${o.ownerOrgId}::uuid
        AND version = ${m.report.modified as string}::timestamptz`);
    if (!rep) {
      result.status = 'failed';
      return;
    }
    const id = newId();
    await tx.execute(sql`DELETE FROM misp_events WHERE owner_org_id IS NOT DISTINCT FROM ${o.ownerOrgId}::uuid AND event_uuid = ${m.uuid}::uuid`);
    await tx.execute(sql`INSERT INTO misp_events (id, owner_org_id, event_uuid, report_seq, info, misp_timestamp, attribute_count, object_count, source)
      VALUES (${id}, ${o.ownerOrgId}::uuid, ${m.uuid}::uuid, ${Number(rep.seq)}, ${m.info.slice(0, 2000)}, ${m.timestamp}, ${m.counts.attributes},
        ${m.counts.objects}, ${o.source})`);
    const ords: Record<string, number> = {};
    const members = m.items.map((it) => ({ k: it.kind, o: (ords[it.kind] = (ords[it.kind] ?? -1) + 1), s: it.stix.id as string, v: (it.stix.modified as string | undefined) ?? null, p: it.parentOrd ?? null }));
    const added = members.filter((x) => seqOf.has(x.s));
    const known = members.filter((x) => !seqOf.has(x.s)); // stored by an earlier import of this event
    const parents = (part: typeof members) => sqlArray(part.map((x) => (x.p === null ? null : String(x.p))), 'int');
    for (let i = 0; i < added.length; i += 20_000) {
      const part = added.slice(i, i + 20_000);
      await tx.execute(sql`INSERT INTO misp_event_items (event_id, kind, ord, object_seq, parent_ord)
        SELECT ${id}::uuid, x.k, x.o, x.s, x.p FROM unnest(${sqlArray(part.map((x) => x.k), 'text')}, ${pgIntArray(part.map((x) => x.o))}::int[],
          ${pgIntArray(part.map((x) => seqOf.get(x.s)!))}::bigint[], ${parents(part)}) AS x(k, o, s, p)`);
    }
    for (let i = 0; i < known.length; i += 20_000) {
      const part = known.slice(i, i + 20_000);
      await tx.execute(sql`INSERT INTO misp_event_items (event_id, kind, ord, object_seq, parent_ord)
        SELECT ${id}::uuid, x.k, x.o, s.seq, x.p FROM unnest(${sqlArray(part.map((x) => x.k), 'text')}, ${pgIntArray(part.map((x) => x.o))}::int[],
          ${sqlArray(part.map((x) => x.s), 'text')}, ${sqlArray(part.map((x) => x.v), 'timestamptz')}, ${parents(part)}) AS x(k, o, s, v, p)
        JOIN stix_objects s ON s.stix_id = x.s AND s.version = x.v AND s.owner_org_id IS NOT DISTINCT FROM ${o.ownerOrgId}::uuid`);
    }
    await refreshMarkingClasses(tx, id);
    await appendAudit(tx, meta, {
      action: 'intel.misp_event_imported', targetType: 'misp_event', targetId: id, orgId: o.ownerOrgId,
      after: { uuid: m.uuid, info: m.info.slice(0, 200), timestamp: m.timestamp, source: o.source, counts: m.counts, stored: result.stored, scopes: result.scopes },
    });
  });
  if (m.items.length >= 20_000) await db.execute(sql`ANALYZE misp_event_items`); // fresh statistics after a bulk load (see ingest)
  if (!o.skipIndex) await indexNewObjects(db);
  return result;
}

/** Import several events (one document or a feed); correlation indexing runs once at the end. */
export async function importMispEvents(db: DbOrTx, meta: AuditMeta, events: Json[], o: MispImportOptions): Promise<MispEventResult[]> {
  const out: MispEventResult[] = [];
  for (const e of events) out.push(await importMispEvent(db, meta, e, { ...o, skipIndex: true }));
  if (!o.skipIndex) await indexNewObjects(db);
  return out;
}
