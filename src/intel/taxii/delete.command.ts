/**
 * TAXII DELETE of an object (section 5.7): removes the versions the actor's organisation brought
 * into the collection (all of them unless match[version] narrows). Another organisation's copy of
 * the same object is never touched. Not visible → 404; visible but not yours → 403.
 */
import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../../core/audit.ts';
import { inTx } from '../../core/context.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { pgIntArray } from '../../db/arrays.ts';
import { refreshMarkingClasses } from '../misp/events.query.ts';
import { listObjects, type ObjectFilter } from '../objects.query.ts';
import { stixObjects as t } from '../tables.ts';
import type { Collection } from './collections.ts';

/** Microseconds since the epoch of a STIX timestamp (to compare with stored versions exactly). */
export function micros(ts: string): bigint {
  const frac = /\.(\d+)Z$/.exec(ts)?.[1] ?? '';
  const ms = Date.parse(ts.replace(/\.\d+Z$/, 'Z'));
  return BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
}

export async function deleteObject(db: DbOrTx, meta: AuditMeta, c: Collection, stixId: string, f: Pick<ObjectFilter, 'versions' | 'specVersions'>): Promise<number> {
  const actor = meta.actor;
  const visible = await listObjects(db, actor, { ...c.filter, ids: [stixId], versions: ['all'], limit: 1 });
  if (!visible.items.length) throw notFound('STIX object');
  if (!c.canWrite || !c.deletableOwnerOrgIds.length) throw forbidden('This collection is read-only for you');
  return inTx(db, async (tx) => {
    const conds: SQL[] = [
      sql`${t.stixId} = ${stixId}`, visibleTo(actor, t), inArray(t.ownerOrgId, c.deletableOwnerOrgIds),
      ...(c.filter.scope ? [sql`${t.scope} = ${c.filter.scope}`] : []),
      ...(c.filter.ownerOrgId ? [sql`${t.ownerOrgId} = ${c.filter.ownerOrgId}::uuid`] : []),
      ...(c.filter.sharingGroupId ? [sql`${t.sharingGroupId} = ${c.filter.sharingGroupId}::uuid`] : []),
      ...(f.specVersions?.length ? [inArray(t.specVersion, f.specVersions)] : []),
    ];
    const candidates = await rows<{ seq: string; v: string | null }>(tx, sql`
      SELECT ${t.seq} AS seq, (extract(epoch FROM ${t.version}) * 1000000)::bigint::text AS v FROM ${t} WHERE ${and(...conds)} FOR UPDATE`);
    const versions = f.versions?.length ? f.versions : ['all'];
    const vs = candidates.map((r) => (r.v === null ? null : BigInt(r.v)));
    const present = vs.filter((v): v is bigint => v !== null);
    const first = present.length ? present.reduce((a, b) => (b < a ? b : a)) : null;
    const last = present.length ? present.reduce((a, b) => (b > a ? b : a)) : null;
    const chosen = candidates.filter((_r, i) => versions.some((want) => {
      const v = vs[i] ?? null;
      if (want === 'all') return true;
      if (want === 'first') return v === first;
      if (want === 'last') return v === last;
      return v !== null && v === micros(want);
    }));
    if (!chosen.length) {
      if (!candidates.length) throw forbidden('Only the organisation that shared an object may delete it');
      throw notFound('STIX object version');
    }
    const seqs = chosen.map((r) => Number(r.seq));
    // MISP events holding a deleted row: their attribute numbering gets a gap, and their marking
    // groups (counts, representatives) are recomputed from the rows left.
    const events = await rows<{ event_id: string }>(tx, sql`
      SELECT DISTINCT event_id FROM misp_event_items WHERE object_seq = ANY(${pgIntArray(seqs)}::bigint[])`);
    // The observable index and MISP event members refer to store rows without a foreign key (bulk
    // ingest speed): this is the store's only delete path, so they go here, with the rows.
    await tx.execute(sql`DELETE FROM intel_observables WHERE object_seq = ANY(${pgIntArray(seqs)}::bigint[])`);
    await tx.execute(sql`DELETE FROM misp_event_items WHERE object_seq = ANY(${pgIntArray(seqs)}::bigint[])`);
    await tx.delete(t).where(inArray(t.seq, seqs));
    for (const e of events) {
      await tx.execute(sql`UPDATE misp_events SET ords_dense = false WHERE id = ${e.event_id}::uuid`);
      await refreshMarkingClasses(tx, e.event_id);
    }
    await appendAudit(tx, meta, {
      action: 'taxii.object_deleted', targetType: 'stix_object', targetId: stixId, orgId: c.deletableOwnerOrgIds[0] ?? null,
      before: { versions: chosen.length, collectionId: c.id, match: versions },
    });
    return chosen.length;
  });
}
