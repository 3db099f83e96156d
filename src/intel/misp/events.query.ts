/**
 * Reads of imported MISP events: the list, and one page of an event's attributes. Both join the
 * store rows through `visibleTo`; a page is a range on (event, kind, ord), so the last page of a
 * 350,000-attribute event costs what the first does.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor.ts';
import { notFound } from '../../core/errors.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { stixObjects } from '../tables.ts';

const s = stixObjects;

export async function listMispEvents(db: DbOrTx, actor: Actor, limit: number) {
  return rows<{ uuid: string; info: string; timestamp: number; attributeCount: number; objectCount: number; tlp: string; scope: string; ownerOrgId: string | null; source: string; importedAt: string }>(db, sql`
    SELECT e.event_uuid AS uuid, e.info, e.misp_timestamp::int AS timestamp, e.attribute_count AS "attributeCount", e.object_count AS "objectCount",
      ${s.tlp} AS tlp, ${s.scope} AS scope, e.owner_org_id AS "ownerOrgId", e.source, e.imported_at AS "importedAt"
    FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE ${visibleTo(actor, s)} ORDER BY e.imported_at DESC, e.id LIMIT ${limit}`);
}

export async function eventAttributesPage(db: DbOrTx, actor: Actor, uuid: string, page: number, size: number) {
  const [ev] = await rows<{ id: string; attribute_count: number }>(db, sql`
    SELECT e.id, e.attribute_count FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE e.event_uuid = ${uuid}::uuid AND ${visibleTo(actor, s)} ORDER BY e.misp_timestamp DESC, e.imported_at LIMIT 1`);
  if (!ev) throw notFound('MISP event');
  const found = await rows<{ ord: number; raw: string; tlp: string; scope: string }>(db, sql`
    SELECT i.ord, ${s.raw} AS raw, ${s.tlp} AS tlp, ${s.scope} AS scope FROM misp_event_items i JOIN ${s} ON ${s.seq} = i.object_seq
    WHERE i.event_id = ${ev.id}::uuid AND i.kind = 'attribute' AND i.ord >= ${page * size} AND i.ord < ${(page + 1) * size} AND ${visibleTo(actor, s)}
    ORDER BY i.ord`);
  const items = found.map((r) => {
    const o = JSON.parse(r.raw) as Record<string, unknown>;
    return { ord: r.ord, stixId: o.id as string, stixType: o.type as string, tlp: r.tlp, scope: r.scope, attribute: o.x_misp_attribute };
  });
  return { page, size, pages: Math.ceil(ev.attribute_count / size), total: ev.attribute_count, items };
}
