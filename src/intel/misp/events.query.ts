/**
 * Reads of imported MISP events: the list, and one page of an event's attributes. Counts and pages
 * are of what the reader may see: a stored total would reveal attributes marked for others.
 *
 * An event's members are grouped by identical marking (`misp_events.marking_classes`, kept by
 * `refreshMarkingClasses`); each group's representative row is checked through `visibleTo`, and
 * the verdict holds for the whole group, so counting is O(groups) whatever the event's size. When
 * every attribute group is visible (the usual large event: one marking for all), page k is a range
 * on the primary key `(event_id, kind, ord)`; otherwise the page ranks the visible attributes.
 * Page rows are still filtered through `visibleTo` themselves.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../core/actor.ts';
import { notFound } from '../../core/errors.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { stixObjects } from '../tables.ts';
import type { MarkingClass } from './tables.ts';

const s = stixObjects;
const m = alias(stixObjects, 'm'); // a marking group's representative row

/** Recompute an event's marking groups from its member rows (after an import or a deletion). */
export async function refreshMarkingClasses(db: DbOrTx, eventId: string): Promise<void> {
  await db.execute(sql`UPDATE misp_events SET marking_classes = coalesce((
      SELECT jsonb_agg(jsonb_build_object('rep', c.rep, 'attributes', c.a, 'objects', c.o) ORDER BY c.rep)
      FROM (
        SELECT min(s.seq) AS rep, count(*) FILTER (WHERE i.kind = 'attribute') AS a, count(*) FILTER (WHERE i.kind = 'object') AS o
        FROM misp_event_items i JOIN stix_objects s ON s.seq = i.object_seq
        WHERE i.event_id = ${eventId}::uuid
        GROUP BY s.tlp, s.scope, s.owner_org_id, s.created_by, s.scope_org_ids, s.sharing_group_id, s.recipient_user_ids
      ) c), '[]'::jsonb)
    WHERE id = ${eventId}::uuid`);
}

/** Sum of a count over the marking groups of event `e` whose representative the actor may see. */
const visibleSum = (actor: Actor, field: 'attributes' | 'objects'): SQL => sql`coalesce((
  SELECT sum((c->>${field})::int) FROM jsonb_array_elements(e.marking_classes) c JOIN stix_objects "m" ON ${m.seq} = (c->>'rep')::bigint
  WHERE ${visibleTo(actor, m)}), 0)::int`;

export async function listMispEvents(db: DbOrTx, actor: Actor, limit: number) {
  return rows<{ uuid: string; info: string; timestamp: number; attributeCount: number; objectCount: number; tlp: string; scope: string; ownerOrgId: string | null; source: string; importedAt: string }>(db, sql`
    SELECT e.event_uuid AS uuid, e.info, e.misp_timestamp::int AS timestamp,
      ${visibleSum(actor, 'attributes')} AS "attributeCount", ${visibleSum(actor, 'objects')} AS "objectCount",
      ${s.tlp} AS tlp, ${s.scope} AS scope, e.owner_org_id AS "ownerOrgId", e.source, e.imported_at AS "importedAt"
    FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE ${visibleTo(actor, s)} ORDER BY e.imported_at DESC, e.id LIMIT ${limit}`);
}

export async function eventAttributesPage(db: DbOrTx, actor: Actor, uuid: string, page: number, size: number) {
  const [ev] = await rows<{ id: string; ords_dense: boolean; classes: MarkingClass[]; visible: string[] | null }>(db, sql`
    SELECT e.id, e.ords_dense, e.marking_classes AS classes,
      (SELECT array_agg(${m.seq}) FROM jsonb_array_elements(e.marking_classes) c JOIN stix_objects "m" ON ${m.seq} = (c->>'rep')::bigint
        WHERE ${visibleTo(actor, m)}) AS visible
    FROM misp_events e JOIN ${s} ON ${s.seq} = e.report_seq
    WHERE e.event_uuid = ${uuid}::uuid AND ${visibleTo(actor, s)} ORDER BY e.misp_timestamp DESC, e.imported_at LIMIT 1`);
  if (!ev) throw notFound('MISP event');
  const visible = new Set((ev.visible ?? []).map(Number));
  const withAttributes = ev.classes.filter((c) => c.attributes > 0);
  const total = withAttributes.filter((c) => visible.has(c.rep)).reduce((n, c) => n + c.attributes, 0);
  const items: { ord: number; stixId: string; stixType: string; tlp: string; scope: string; attribute: unknown }[] = [];
  if (total > page * size) {
    const members = sql`FROM misp_event_items i JOIN ${s} ON ${s.seq} = i.object_seq
      WHERE i.event_id = ${ev.id}::uuid AND i.kind = 'attribute' AND ${visibleTo(actor, s)}`;
    // All visible and no gaps: the page is a key range. Otherwise rank what the reader may see.
    const found = ev.ords_dense && withAttributes.every((c) => visible.has(c.rep))
      ? await rows<{ raw: string; tlp: string; scope: string }>(db, sql`
          SELECT ${s.raw} AS raw, ${s.tlp} AS tlp, ${s.scope} AS scope ${members}
            AND i.ord >= ${page * size} AND i.ord < ${(page + 1) * size} ORDER BY i.ord`)
      : await rows<{ raw: string; tlp: string; scope: string }>(db, sql`
          SELECT ${s.raw} AS raw, ${s.tlp} AS tlp, ${s.scope} AS scope ${members} ORDER BY i.ord OFFSET ${page * size} LIMIT ${size}`);
    found.forEach((r, k) => {
      const o = JSON.parse(r.raw) as Record<string, unknown>;
      items.push({ ord: page * size + k, stixId: o.id as string, stixType: o.type as string, tlp: r.tlp, scope: r.scope, attribute: o.x_misp_attribute });
    });
  }
  return { page, size, pages: Math.ceil(total / size), total, items };
}
