/**
 * Observable indexing and correlation. Every stored row's normalised observables go into
 * `intel_observables`, and matches with other organisations' objects holding the same observable
 * into `intel_correlations`.
 *
 * The store's ingest indexes the rows it writes in the same transaction, from the objects it has
 * already parsed (`indexObservables`), and moves the watermark (`intel_index_state.last_seq`) past
 * them. `indexNewObjects` is the catch-up: it reads the rows above the watermark back (rows written
 * before inline indexing existed, or by a future writer that does not index) and indexes them.
 * Both run under the store's ingest lock, so no batch is half-written while the watermark moves:
 * rows with seq ≤ max(seq) are then all committed, and the watermark never skips one. Running
 * either again is harmless (every insert is ON CONFLICT DO NOTHING).
 */
import { sql } from 'drizzle-orm';
import { rows, type DbOrTx, type Tx } from '../../db/client.ts';
import { inTx } from '../../core/context.ts';
import { pgIntArray, sqlArray } from '../../db/arrays.ts';
import { observablesOf } from './normalize.ts';

/** The store's ingest lock: writers of `stix_objects` and the indexer serialise on it. */
export const INGEST_LOCK = 7_224_608_001;
const STATE = 'observables';
const CHUNK = 2000;
/** Per observable, matches are recorded with at most this many of the newest other objects. */
export const MAX_MATCHES_PER_OBSERVABLE = 25;

const INDEXED_TYPES = ['indicator', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file', 'artifact', 'x509-certificate'];
const INDEXED = new Set(INDEXED_TYPES);
const typeList = `{${INDEXED_TYPES.join(',')}}`;

export type IndexResult = { objects: number; observables: number; correlations: number };
/** A stored row to index: its seq, owner and parsed object. */
export type StoredRow = { seq: number; ownerOrgId: string | null; object: Record<string, unknown> };

/** Index the observables of these rows and record their correlations. Caller holds the ingest lock. */
export async function indexObservables(tx: Tx, stored: StoredRow[]): Promise<IndexResult> {
  const res: IndexResult = { objects: 0, observables: 0, correlations: 0 };
  const s: number[] = [];
  const k: string[] = [];
  const v: string[] = [];
  const o: (string | null)[] = [];
  for (const r of stored) {
    if (!INDEXED.has(r.object.type as string)) continue;
    res.objects++;
    for (const x of observablesOf(r.object)) {
      s.push(r.seq);
      k.push(x.kind);
      v.push(x.value);
      o.push(r.ownerOrgId);
    }
  }
  if (!s.length) return res;
  const input = sql`unnest(${pgIntArray(s)}::bigint[], ${sqlArray(k, 'text')}, ${sqlArray(v, 'text')}, ${sqlArray(o, 'uuid')}) AS x(s, k, v, o)`;
  const [ins] = await rows<{ n: string }>(tx, sql`
    WITH ins AS (
      INSERT INTO intel_observables (object_seq, kind, value, owner_org_id) SELECT x.s, x.k, x.v, x.o FROM ${input}
      ON CONFLICT DO NOTHING RETURNING 1
    ) SELECT count(*) AS n FROM ins`);
  // A second statement, so that matches within these rows (two organisations in one batch) are seen.
  const [corr] = await rows<{ n: string }>(tx, sql`
    WITH corr AS (
      INSERT INTO intel_correlations (kind, value, object_seq, matched_seq, org_id, matched_org_id)
      SELECT x.k, x.v, x.s, m.object_seq, x.o, m.owner_org_id
      FROM ${input}
      CROSS JOIN LATERAL (
        SELECT o.object_seq, o.owner_org_id FROM intel_observables o
        WHERE o.value = x.v AND o.kind = x.k AND o.object_seq < x.s AND o.owner_org_id IS DISTINCT FROM x.o
        ORDER BY o.object_seq DESC LIMIT ${MAX_MATCHES_PER_OBSERVABLE}
      ) m
      ON CONFLICT DO NOTHING RETURNING 1
    ) SELECT count(*) AS n FROM corr`);
  res.observables = Number(ins!.n);
  res.correlations = Number(corr!.n);
  return res;
}

/** Index every row above the watermark and move it to max(seq). Caller holds the ingest lock. */
export async function catchUpIndex(tx: Tx): Promise<IndexResult> {
  const res: IndexResult = { objects: 0, observables: 0, correlations: 0 };
  const [state] = await rows<{ last_seq: string | null; max_seq: string | null }>(tx, sql`
    SELECT (SELECT last_seq FROM intel_index_state WHERE name = ${STATE}) AS last_seq, (SELECT max(seq) FROM stix_objects) AS max_seq`);
  const last = Number(state!.last_seq ?? 0);
  const max = state!.max_seq === null ? 0 : Number(state!.max_seq);
  if (max <= last) return res;
  let from = last;
  while (from < max) {
    const found = await rows<{ seq: string; raw: string; owner_org_id: string | null }>(tx, sql`
      SELECT seq, raw, owner_org_id FROM stix_objects
      WHERE seq > ${from} AND seq <= ${max} AND type = ANY(${typeList}::text[]) ORDER BY seq LIMIT ${CHUNK}`);
    if (!found.length) break;
    from = Number(found.at(-1)!.seq);
    const stored: StoredRow[] = [];
    for (const r of found) {
      try {
        stored.push({ seq: Number(r.seq), ownerOrgId: r.owner_org_id, object: JSON.parse(r.raw) as Record<string, unknown> });
      } catch { /* stored rows are valid JSON; a broken one is skipped, never fatal */ }
    }
    const part = await indexObservables(tx, stored);
    res.objects += found.length;
    res.observables += part.observables;
    res.correlations += part.correlations;
  }
  await markIndexed(tx, max);
  return res;
}

/** Rows up to `seq` are indexed. Caller holds the ingest lock and has indexed them. */
export async function markIndexed(tx: Tx, seq: number): Promise<void> {
  await tx.execute(sql`INSERT INTO intel_index_state (name, last_seq) VALUES (${STATE}, ${seq})
    ON CONFLICT (name) DO UPDATE SET last_seq = greatest(intel_index_state.last_seq, excluded.last_seq)`);
}

/** Index whatever is above the watermark (rows the ingest did not index itself). */
export async function indexNewObjects(db: DbOrTx): Promise<IndexResult> {
  return inTx(db, async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK})`);
    return catchUpIndex(tx);
  });
}
