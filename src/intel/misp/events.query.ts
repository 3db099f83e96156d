/**
 * Reads of imported MISP events: the list, and one page of an event's attributes. Both join the
 * store rows through `visibleTo`; counts and pages are of what the reader may see.
 */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../core/actor.ts';
import { notFound } from '../../core/errors.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { stixObjects } from '../tables.ts';

const s = stixObjects;
const m = alias(stixObjects, 'm'); // the event's members, in the list's count subqueries

export async function listMispEvents(db: DbOrTx, actor: Actor, limit: number) {
  // Counts are of what this reader may see: the stored totals would reveal hidden attributes.
  return rows<{ uuid: string; info: string; timestamp: number; attributeCount: number; objectCount: number; tlp: string; scope: string; ownerOrgId: string | null; source: string; importedAt: string }>(db, sql`
    SELECT e.event_uuid AS uuid, e.info, e.misp_timestamp::int AS timestamp,
      (SELECT count(*)::int FROM misp_event_items i JOIN stix_objects "m" ON ${m.seq} = i.object_seq
        WHERE i.event_id = e.id AND i.kind = 'attribute' AND ${visibleTo(actor, m)}) AS "attributeCount",
      (SELECT count(*)::int FROM misp_event_items i JOIN stix_objects "m" ON ${m.seq} = i.object_seq
        WHERE i.event_id = e.id AND i.kind = 'object' AND ${visibleTo(actor, m)}) AS "objectCount",
      ${s.tlp} AS tlp, ${s.scope} AS scope, e.owner_org_id AS "ownerOrgId", e.source, e.imported_at AS "importedAt"
    FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE ${visibleTo(actor, s)} ORDER BY e.imported_at DESC, e.id LIMIT ${limit}`);
}

export async function eventAttributesPage(db: DbOrTx, actor: Actor, uuid: string, page: number, size: number) {
  const [ev] = await rows<{ id: string }>(db, sql`
    SELECT e.id FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE e.event_uuid = ${uuid}::uuid AND ${visibleTo(actor, s)} ORDER BY e.misp_timestamp DESC, e.imported_at LIMIT 1`);
  if (!ev) throw notFound('MISP event');
  // Paged over the attributes this reader may see (rank, not stored position): neither the total
  // nor gaps in the numbering may reveal attributes marked for others.
  const visibleItems = sql`FROM misp_event_items i JOIN ${s} ON ${s.seq} = i.object_seq
    WHERE i.event_id = ${ev.id}::uuid AND i.kind = 'attribute' AND ${visibleTo(actor, s)}`;
  const [{ total }] = (await rows<{ total: number }>(db, sql`SELECT count(*)::int AS total ${visibleItems}`)) as [{ total: number }];
  const found = await rows<{ raw: string; tlp: string; scope: string }>(db, sql`
    SELECT ${s.raw} AS raw, ${s.tlp} AS tlp, ${s.scope} AS scope ${visibleItems}
    ORDER BY i.ord OFFSET ${page * size} LIMIT ${size}`);
  const items = found.map((r, k) => {
    const o = JSON.parse(r.raw) as Record<string, unknown>;
    return { ord: page * size + k, stixId: o.id as string, stixType: o.type as string, tlp: r.tlp, scope: r.scope, attribute: o.x_misp_attribute };
  });
  return { page, size, pages: Math.ceil(total / size), total, items };
}
