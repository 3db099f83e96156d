/**
 * Removing stored versions from the store, with what refers to them: their observables and MISP
 * event membership have no foreign key (bulk ingest speed), so they go here, with the rows; their
 * correlations go by cascade. Used by the TAXII delete and by an ingest that takes its batches back.
 * Caller runs it in a transaction.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { rows } from '../db/client.ts';
import { pgIntArray } from '../db/arrays.ts';
import { refreshMarkingClasses } from './misp/events.query.ts';

/** Removes the store rows `seqs`; returns how many were removed. */
export async function removeStoredRows(tx: Tx, seqs: number[]): Promise<number> {
  let removed = 0;
  for (let i = 0; i < seqs.length; i += 10_000) {
    const part = pgIntArray(seqs.slice(i, i + 10_000));
    // MISP events holding a removed row: their attribute numbering gets a gap, and their marking
    // groups (counts, representatives) are recomputed from the rows left.
    const events = await rows<{ event_id: string }>(tx, sql`SELECT DISTINCT event_id FROM misp_event_items WHERE object_seq = ANY(${part}::bigint[])`);
    await tx.execute(sql`DELETE FROM intel_observables WHERE object_seq = ANY(${part}::bigint[])`);
    await tx.execute(sql`DELETE FROM misp_event_items WHERE object_seq = ANY(${part}::bigint[])`);
    const gone = await rows<{ n: number }>(tx, sql`WITH d AS (DELETE FROM stix_objects WHERE seq = ANY(${part}::bigint[]) RETURNING 1) SELECT count(*)::int AS n FROM d`);
    removed += gone[0]?.n ?? 0;
    for (const e of events) {
      await tx.execute(sql`UPDATE misp_events SET ords_dense = false WHERE id = ${e.event_id}::uuid`);
      await refreshMarkingClasses(tx, e.event_id);
    }
  }
  return removed;
}
