/**
 * Bundle ingest: stream a STIX bundle, validate each object, store it with its marking and
 * sharing scope, in batches (one transaction, one audit entry per batch). Idempotent: a version
 * already stored for the same owner is reported `unchanged` (same content) or `conflict`
 * (different content under the same id and version: the stored one is kept).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { orgIdsOf } from '../core/actor.ts';
import { appendAudit, canonicalJson, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { forbidden, invalid } from '../core/errors.ts';
import { sha256 } from '../core/ids.ts';
import { tlpFromMarkingRefs, type Tlp } from '../core/tlp.ts';
import { assertMarkingCoherent, type Scope } from '../core/visibility.ts';
import { rows, type DbOrTx, type Tx } from '../db/client.ts';
import { pgIntArray, sqlArray } from '../db/arrays.ts';
import { readBundle } from './bundle-stream.ts';
import { ID_RE, validateStixObject, type StixIssue } from './validate/object.ts';
import { catchUpIndex, indexObservables, INGEST_LOCK, markIndexed, type StoredRow } from './correlation/index.command.ts';
import { removeStoredRows } from './remove-rows.command.ts';

export type IngestOptions = {
  /** The organisation that owns (brings) the objects; null only for system imports. */
  ownerOrgId: string | null;
  scope: Scope;
  /** TLP for objects that carry no TLP marking of their own. */
  tlpDefault: Tlp;
  scopeOrgIds?: string[];
  sharingGroupId?: string | null;
  /** TLP:RED recipients (the uploader is added when none are named). */
  recipientUserIds?: string[];
  batchSize?: number;
  /** Per-object entries kept in the report (counts are always complete). */
  maxReportEntries?: number;
  /** Told the store seq of every row added, batch by batch, after the batch's writes. */
  onStored?: (rows: StoredRef[]) => void;
};

export type StoredRef = { stixId: string; version: string | null; seq: number };

export type ObjectStatus = 'added' | 'unchanged' | 'conflict' | 'rejected';
export type ObjectResult = { index: number; id?: string; type?: string; version?: string | null; status: ObjectStatus; issues?: StixIssue[] };
export type IngestReport = {
  bundleId: string | null;
  total: number;
  counts: Record<ObjectStatus, number>;
  results: ObjectResult[];
  /** True when more results happened than `maxReportEntries` (counts stay exact). */
  truncated: boolean;
};

/** An ingest that adds at least this many rows refreshes the planner's statistics. */
const ANALYZE_AFTER = 20_000;

type Row = {
  ord: number; stix_id: string; type: string; spec_version: string; created: string | null; modified: string | null;
  version: string | null; revoked: boolean; title: string | null; source_ref: string | null; target_ref: string | null;
  refs: string[]; raw: string; content_hash: string; tlp: Tlp; scope: Scope;
};
type Pending = { result: ObjectResult; row: Row; object: Record<string, unknown> };

/** Who may bring objects for which organisation and with which scope. */
export function assertMayIngest(actor: Actor, o: IngestOptions): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'user') throw forbidden();
  const m = actor.memberships.find((x) => x.orgId === o.ownerOrgId);
  if (!m) throw forbidden('You can only share intelligence as an organisation you belong to');
  if (m.role === 'observer') throw forbidden('Observers cannot share intelligence');
  if (o.scope === 'group' && (!o.sharingGroupId || !actor.groupIds.includes(o.sharingGroupId))) {
    throw forbidden('Your organisation is not in that sharing group');
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every STIX id referenced by `*_ref`/`*_refs` anywhere inside the object. */
function collectRefs(v: unknown, out: Set<string>, key = ''): void {
  if (typeof v === 'string') {
    if ((key.endsWith('_ref') || key.endsWith('_refs')) && ID_RE.test(v)) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) collectRefs(x, out, key);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collectRefs(x, out, k);
}

function titleOf(o: Record<string, unknown>): string | null {
  const t = str(o.name) ?? str(o.value) ?? str(o.pattern) ?? str(o.relationship_type) ?? str(o.path) ?? str(o.key) ?? str(o.definition_type);
  return t === null ? null : t.slice(0, 500);
}

function toRow(o: Record<string, unknown>, raw: string, ord: number, opts: IngestOptions, rawIsCanonical = false): Row {
  const created = str(o.created);
  const modified = str(o.modified);
  const refs = new Set<string>();
  collectRefs(o, refs);
  const tlp = tlpFromMarkingRefs(Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as string[]) : undefined) ?? opts.tlpDefault;
  // GREEN and above never go public: such an object is shared with the network instead.
  const scope: Scope = opts.scope === 'public' && tlp !== 'clear' ? 'network' : opts.scope;
  return {
    ord, stix_id: o.id as string, type: o.type as string, spec_version: str(o.spec_version) ?? '2.1', created, modified,
    version: modified ?? created, revoked: o.revoked === true, title: titleOf(o),
    source_ref: str(o.source_ref) ?? str(o.sighting_of_ref), target_ref: str(o.target_ref), refs: [...refs], raw,
    content_hash: sha256(rawIsCanonical ? raw : canonicalJson(o)), tlp, scope,
  };
}

/** One column of the batch as a typed array parameter. */
const col = (batch: Pending[], pick: (r: Row) => string | null, type: Parameters<typeof sqlArray>[1]) => sqlArray(batch.map((p) => pick(p.row)), type);

/** Writes one batch; returns the seqs of the rows it added. */
async function writeBatch(tx: Tx, meta: AuditMeta, opts: IngestOptions, batch: Pending[], recipients: string[]): Promise<number[]> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK})`);
  // Rows written before this batch and not indexed yet (normally none) are indexed first, so the
  // watermark can move past this batch's rows once they are indexed below.
  await catchUpIndex(tx);
  const createdBy = meta.actor.kind === 'user' ? meta.actor.userId : null;
  // Columns travel as typed arrays for unnest: parsed by PostgreSQL's array input, half the
  // cost of json_to_recordset on the same rows (measured on both drivers).
  const inserted = await rows<{ seq: string; stix_id: string; content_hash: string }>(tx, sql`
    WITH base AS (
      SELECT greatest(clock_timestamp(), coalesce(max(date_added), '-infinity'::timestamptz) + interval '1 microsecond') AS t FROM stix_objects
    )
    INSERT INTO stix_objects (stix_id, type, spec_version, created, modified, version, revoked, title, source_ref, target_ref, refs, raw,
      content_hash, date_added, tlp, scope, owner_org_id, created_by, scope_org_ids, sharing_group_id, recipient_user_ids)
    SELECT x.stix_id, x.type, x.spec_version, x.created, x.modified, x.version, x.revoked, x.title, x.source_ref, x.target_ref,
      x.refs::text[], x.raw, x.content_hash, base.t + (x.ord * interval '1 microsecond'), x.tlp, x.scope,
      ${opts.ownerOrgId}::uuid, ${createdBy}::uuid, ${`{${(opts.scopeOrgIds ?? []).join(',')}}`}::uuid[], ${opts.sharingGroupId ?? null}::uuid,
      CASE WHEN x.tlp = 'red' THEN ${`{${recipients.join(',')}}`}::uuid[] ELSE '{}'::uuid[] END
    FROM unnest(${pgIntArray(batch.map((p) => p.row.ord))}::int[], ${col(batch, (r) => r.stix_id, 'text')}, ${col(batch, (r) => r.type, 'text')},
      ${col(batch, (r) => r.spec_version, 'text')}, ${col(batch, (r) => r.created, 'timestamptz')}, ${col(batch, (r) => r.modified, 'timestamptz')},
      ${col(batch, (r) => r.version, 'timestamptz')}, ${col(batch, (r) => (r.revoked ? 't' : 'f'), 'boolean')}, ${col(batch, (r) => r.title, 'text')},
      ${col(batch, (r) => r.source_ref, 'text')}, ${col(batch, (r) => r.target_ref, 'text')}, ${col(batch, (r) => `{${r.refs.join(',')}}`, 'text')},
      ${col(batch, (r) => r.raw, 'text')}, ${col(batch, (r) => r.content_hash, 'text')}, ${col(batch, (r) => r.tlp, 'text')}, ${col(batch, (r) => r.scope, 'text')})
      AS x(ord, stix_id, type, spec_version, created, modified, version, revoked, title, source_ref, target_ref, refs, raw, content_hash, tlp, scope),
      base
    ORDER BY x.ord
    ON CONFLICT ON CONSTRAINT stix_objects_owner_id_version DO NOTHING
    RETURNING seq, stix_id, content_hash`);
  // Claim each inserted (id, content) once, in bundle order (a bundle may repeat an object).
  const claims = new Map<string, number[]>();
  for (const r of inserted.sort((a, b) => Number(a.seq) - Number(b.seq))) {
    const k = `${r.stix_id} ${r.content_hash}`;
    (claims.get(k) ?? claims.set(k, []).get(k)!).push(Number(r.seq));
  }
  const stored: StoredRow[] = [];
  const added = new Map<number, number>(); // ord → seq
  for (const p of batch) {
    const seq = claims.get(`${p.row.stix_id} ${p.row.content_hash}`)?.shift();
    if (seq !== undefined) {
      added.set(p.row.ord, seq);
      stored.push({ seq, ownerOrgId: opts.ownerOrgId, object: p.object });
    }
  }
  const rest = batch.filter((p) => !added.has(p.row.ord));
  let known = new Map<string, Set<string>>();
  if (rest.length) {
    const existing = await rows<{ stix_id: string; content_hash: string }>(tx, sql`
      SELECT stix_id, content_hash FROM stix_objects
      WHERE owner_org_id IS NOT DISTINCT FROM ${opts.ownerOrgId}::uuid AND stix_id = ANY(${sqlArray(rest.map((p) => p.row.stix_id), 'text')})`);
    known = new Map();
    for (const e of existing) (known.get(e.stix_id) ?? known.set(e.stix_id, new Set()).get(e.stix_id)!).add(e.content_hash);
  }
  for (const p of batch) {
    if (added.has(p.row.ord)) p.result.status = 'added';
    else if (known.get(p.row.stix_id)?.has(p.row.content_hash)) p.result.status = 'unchanged';
    else {
      p.result.status = 'conflict';
      p.result.issues = [{ path: 'id', message: 'this id and version is already stored with different content; the stored version is kept' }];
    }
  }
  if (added.size > 0) {
    // Observables and correlations of the new rows, from the objects in hand (no read-back).
    await indexObservables(tx, stored);
    await markIndexed(tx, Math.max(...added.values()));
    await appendAudit(tx, meta, {
      action: 'intel.objects_ingested', targetType: 'stix_objects', orgId: opts.ownerOrgId,
      after: { added: added.size, tlpDefault: opts.tlpDefault, scope: opts.scope, ids: batch.filter((p) => added.has(p.row.ord)).slice(0, 50).map((p) => p.row.stix_id) },
    });
    opts.onStored?.(batch.filter((p) => added.has(p.row.ord)).map((p) => ({ stixId: p.row.stix_id, version: p.row.version, seq: added.get(p.row.ord)! })));
  }
  return [...added.values()];
}

/**
 * An ingest that fails part way (the bundle turns out truncated or malformed, the body is too large,
 * the client goes away, a batch cannot be written) takes back the batches it had already committed,
 * so that bad input changes nothing. Objects it found already stored are left alone. Readers could
 * see the taken-back objects for as long as the ingest ran (each batch commits on its own, so that a
 * large upload never holds the database); the audit log keeps both the batches and their removal.
 */
async function takeBack(db: DbOrTx, meta: AuditMeta, opts: IngestOptions, seqs: number[], reason: unknown): Promise<void> {
  await inTx(db, async (tx) => {
    const removed = await removeStoredRows(tx, seqs);
    await appendAudit(tx, meta, {
      action: 'intel.ingest_rolled_back', targetType: 'stix_objects', orgId: opts.ownerOrgId,
      after: { removed, reason: String((reason as Error)?.message ?? reason).slice(0, 300) },
    });
  });
}

/**
 * An object handed over already parsed, with the exact JSON text to store. `canonical`: the caller
 * made `raw` with `canonicalJson(object)`, so it is hashed as is (no second serialisation).
 */
export type ParsedObject = { raw: string; object: Record<string, unknown>; canonical?: boolean };
type Item = { index: number; raw: string; parsed?: unknown; canonical?: boolean };

/** Ingest a bundle from a stream of chunks; returns the per-object report. */
export async function ingestBundle(db: DbOrTx, meta: AuditMeta, source: AsyncIterable<Buffer | string>, opts: IngestOptions): Promise<IngestReport> {
  let bundleId: string | null = null;
  async function* items(): AsyncGenerator<Item> {
    for await (const item of readBundle(source)) {
      if (item.kind === 'header') bundleId = typeof item.header.id === 'string' ? item.header.id : null;
      else yield item;
    }
  }
  const report = await ingestItems(db, meta, items(), opts);
  report.bundleId = bundleId;
  return report;
}

/**
 * Ingest objects a caller has already parsed (e.g. the MISP import, which builds them): the same
 * validation, markings, dedup and audit as a bundle, without serialising them into a bundle text
 * only to scan and parse it again (and without the per-element size cap of the stream reader).
 */
export function ingestObjects(db: DbOrTx, meta: AuditMeta, objects: Iterable<ParsedObject>, opts: IngestOptions): Promise<IngestReport> {
  function* items(): Generator<Item> {
    let index = 0;
    for (const o of objects) yield { index: index++, raw: o.raw, parsed: o.object, canonical: o.canonical };
  }
  return ingestItems(db, meta, items(), opts);
}

async function ingestItems(db: DbOrTx, meta: AuditMeta, source: AsyncIterable<Item> | Iterable<Item>, opts: IngestOptions): Promise<IngestReport> {
  assertMayIngest(meta.actor, opts);
  const recipients = opts.recipientUserIds?.length ? opts.recipientUserIds : meta.actor.kind === 'user' ? [meta.actor.userId] : [];
  assertMarkingCoherent({
    tlp: opts.tlpDefault, scope: opts.scope, ownerOrgId: opts.ownerOrgId, createdBy: null, scopeOrgIds: opts.scopeOrgIds ?? [],
    sharingGroupId: opts.sharingGroupId ?? null, recipientUserIds: opts.tlpDefault === 'red' ? recipients.length ? recipients : ['-'] : [],
  });
  if (opts.ownerOrgId === null && meta.actor.kind !== 'system') throw invalid('Choose the organisation that shares these objects');
  const batchSize = opts.batchSize ?? 500;
  const maxEntries = opts.maxReportEntries ?? 10_000;
  const report: IngestReport = { bundleId: null, total: 0, counts: { added: 0, unchanged: 0, conflict: 0, rejected: 0 }, results: [], truncated: false };
  const record = (r: ObjectResult) => {
    report.counts[r.status]++;
    if (report.results.length < maxEntries) report.results.push(r);
    else report.truncated = true;
  };
  let batch: Pending[] = [];
  // One batch is written while the next one is parsed and validated: on a PostgreSQL server the
  // two overlap (the database works on its own core). Batches still commit one at a time, in order.
  let writing: Promise<void> | undefined;
  const addedSeqs: number[] = []; // every row this ingest added, to take back if it fails part way
  const flush = async () => {
    if (writing) await writing;
    writing = undefined;
    if (!batch.length) return;
    const b = batch;
    batch = [];
    writing = inTx(db, (tx) => writeBatch(tx, meta, opts, b, recipients)).then((seqs) => {
      for (const s of seqs) addedSeqs.push(s);
      for (const p of b) record(p.result);
    });
    writing.catch(() => {}); // awaited (and rethrown) at the next flush; never an unhandled rejection meanwhile
  };
  try {
    for await (const item of source) {
      report.total++;
      // While a batch is being written, give the event loop a turn now and then: the batch's next
      // statement is sent as soon as the previous one answers, instead of after this whole batch
      // has been prepared (microtask awaits alone never let socket I/O run).
      if (writing && report.total % 32 === 0) await new Promise<void>((r) => setImmediate(r));
      let parsed: unknown = item.parsed;
      if (parsed === undefined) {
        try {
          parsed = JSON.parse(item.raw);
        } catch (err) {
          record({ index: item.index, status: 'rejected', issues: [{ path: '', message: `not valid JSON: ${(err as Error).message}` }] });
          continue;
        }
      }
      const o = parsed as Record<string, unknown>;
      const issues = validateStixObject(o);
      const base = { index: item.index, id: str(o.id) ?? undefined, type: str(o.type) ?? undefined };
      if (issues.length) {
        record({ ...base, status: 'rejected', issues });
        continue;
      }
      const row = toRow(o, item.raw, batch.length, opts, item.canonical === true);
      batch.push({ row, object: o, result: { ...base, version: row.version, status: 'added' } });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await flush(); // waits for the last batch
  } catch (err) {
    await writing?.catch(() => {}); // a failed source never leaves a batch being written behind
    // If the database refuses the take-back too (it is failing, or the caller's own transaction is
    // aborted and will roll everything back), the caller still gets the first error.
    if (addedSeqs.length) await takeBack(db, meta, opts, addedSeqs, err).catch(() => {});
    throw err;
  }
  // Rejected objects are recorded as met, written ones when their batch commits: back to input order.
  report.results.sort((x, y) => x.index - y.index);
  // Fresh statistics after a bulk load, so the planner keeps choosing index plans for lookups and
  // paging (the embedded database has no autovacuum; on a server it would come later).
  if (report.counts.added >= ANALYZE_AFTER) await db.execute(sql`ANALYZE stix_objects, intel_observables, intel_correlations`);
  return report;
}

/** Organisations the actor may ingest for (members and org admins, not observers). */
export const ingestOrgsOf = (actor: Actor): string[] =>
  actor.kind === 'user' ? actor.memberships.filter((m) => m.role !== 'observer').map((m) => m.orgId) : orgIdsOf(actor);
