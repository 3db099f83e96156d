/**
 * Observable indexing and correlation at ingest. Reads the store rows added since the last run
 * (a watermark on `seq`), extracts their normalised observables, and records the matches with
 * other organisations' objects holding the same observable.
 *
 * Called in the ingest transaction (after a batch is written) and by TAXII POST; running it again
 * is harmless. It takes the store's ingest lock, so no batch is half-written while it reads: rows
 * with seq ≤ max(seq) are then all committed, and the watermark never skips one.
 */
import { sql } from 'drizzle-orm';
import { rows, type DbOrTx } from '../../db/client.ts';
import { inTx } from '../../core/context.ts';
import { observablesOf } from './normalize.ts';

const INGEST_LOCK = 7_224_608_001; // the store's (src/intel/ingest.command.ts)
const STATE = 'observables';
const CHUNK = 2000;
/** Per observable, matches are recorded with at most this many of the newest other objects. */
export const MAX_MATCHES_PER_OBSERVABLE = 25;

const INDEXED_TYPES = ['indicator', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file', 'artifact', 'x509-certificate'];
const typeList = `{${INDEXED_TYPES.join(',')}}`;

export type IndexResult = { objects: number; observables: number; correlations: number };

export async function indexNewObjects(db: DbOrTx): Promise<IndexResult> {
  return inTx(db, async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK})`);
    await tx.execute(sql`INSERT INTO intel_index_state (name, last_seq) VALUES (${STATE}, 0) ON CONFLICT (name) DO NOTHING`);
    const [state] = await rows<{ last_seq: string; max_seq: string | null }>(tx, sql`
      SELECT s.last_seq, (SELECT max(seq) FROM stix_objects) AS max_seq FROM intel_index_state s WHERE s.name = ${STATE} FOR UPDATE`);
    const last = Number(state!.last_seq);
    const max = state!.max_seq === null ? 0 : Number(state!.max_seq);
    const res: IndexResult = { objects: 0, observables: 0, correlations: 0 };
    if (max <= last) return res;
    let from = last;
    while (from < max) {
      const found = await rows<{ seq: string; raw: string; owner_org_id: string | null }>(tx, sql`
        SELECT seq, raw, owner_org_id FROM stix_objects
        WHERE seq > ${from} AND seq <= ${max} AND type = ANY(${typeList}::text[]) ORDER BY seq LIMIT ${CHUNK}`);
      if (!found.length) break;
      from = Number(found.at(-1)!.seq);
      const obs: { s: number; k: string; v: string; o: string | null }[] = [];
      for (const r of found) {
        let o: unknown;
        try { o = JSON.parse(r.raw); } catch { continue; }
        for (const x of observablesOf(o as Record<string, unknown>)) obs.push({ s: Number(r.seq), k: x.kind, v: x.value, o: r.owner_org_id });
      }
      res.objects += found.length;
      if (!obs.length) continue;
      const payload = JSON.stringify(obs);
      const [ins] = await rows<{ n: string }>(tx, sql`
        WITH ins AS (
          INSERT INTO intel_observables (object_seq, kind, value, owner_org_id)
          SELECT x.s, x.k, x.v, x.o FROM json_to_recordset(${payload}::json) AS x(s bigint, k text, v text, o uuid)
          ON CONFLICT DO NOTHING RETURNING 1
        ) SELECT count(*) AS n FROM ins`);
      // A second statement, so that matches within this chunk (two organisations in one run) are seen.
      const [corr] = await rows<{ n: string }>(tx, sql`
        WITH corr AS (
          INSERT INTO intel_correlations (kind, value, object_seq, matched_seq, org_id, matched_org_id)
          SELECT x.k, x.v, x.s, m.object_seq, x.o, m.owner_org_id
          FROM json_to_recordset(${payload}::json) AS x(s bigint, k text, v text, o uuid)
          CROSS JOIN LATERAL (
            SELECT o.object_seq, o.owner_org_id FROM intel_observables o
            WHERE o.value = x.v AND o.kind = x.k AND o.object_seq < x.s AND o.owner_org_id IS DISTINCT FROM x.o
            ORDER BY o.object_seq DESC LIMIT ${MAX_MATCHES_PER_OBSERVABLE}
          ) m
          ON CONFLICT DO NOTHING RETURNING 1
        ) SELECT count(*) AS n FROM corr`);
      res.observables += Number(ins!.n);
      res.correlations += Number(corr!.n);
    }
    await tx.execute(sql`UPDATE intel_index_state SET last_seq = ${max} WHERE name = ${STATE}`);
    return res;
  });
}
