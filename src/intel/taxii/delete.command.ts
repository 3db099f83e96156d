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
import { listObjects, type ObjectFilter } from '../objects.query.ts';
import { removeStoredRows } from '../remove-rows.command.ts';
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
    await removeStoredRows(tx, chosen.map((r) => Number(r.seq)));
    await appendAudit(tx, meta, {
      action: 'taxii.object_deleted', targetType: 'stix_object', targetId: stixId, orgId: c.deletableOwnerOrgIds[0] ?? null,
      before: { versions: chosen.length, collectionId: c.id, match: versions },
    });
    return chosen.length;
  });
}
