/**
 * "Also seen by": the recorded matches of an object's observables with other organisations'
 * objects, shown only where the actor may see BOTH sides (`visibleTo` on each): an organisation's
 * RED or AMBER object never shows up, not even as a count, for those outside its audience.
 * Sightings per organisation: STIX `sighting` objects about the object plus one-click reports,
 * each filtered by its own marking.
 */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../core/actor.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { getObject } from '../objects.query.ts';
import { stixObjects } from '../tables.ts';
import { intelSightings } from './tables.ts';

export type AlsoSeen = {
  orgId: string | null; orgName: string | null;
  objects: { id: string; type: string; title: string | null; tlp: string; kind: string; value: string; matchedAt: string }[];
};

const s = alias(stixObjects, 's');
const m = alias(stixObjects, 'm');

export async function alsoSeenBy(db: DbOrTx, actor: Actor, stixId: string, limit = 500): Promise<AlsoSeen[]> {
  await getObject(db, actor, stixId); // 404 unless the actor may see the object
  const found = await rows<{ org_id: string | null; org_name: string | null; id: string; type: string; title: string | null; tlp: string; kind: string; value: string; matched_at: Date | string }>(db, sql`
    SELECT DISTINCT ON (${m.ownerOrgId}, ${m.stixId}, c.kind, c.value)
      ${m.ownerOrgId} AS org_id, org.name AS org_name, ${m.stixId} AS id, ${m.type} AS type, ${m.title} AS title, ${m.tlp} AS tlp,
      c.kind, c.value, c.created_at AS matched_at
    FROM stix_objects s
    JOIN intel_correlations c ON c.object_seq = ${s.seq} OR c.matched_seq = ${s.seq}
    JOIN stix_objects m ON ${m.seq} = CASE WHEN c.object_seq = ${s.seq} THEN c.matched_seq ELSE c.object_seq END
    LEFT JOIN organisations org ON org.id = ${m.ownerOrgId}
    WHERE ${s.stixId} = ${stixId} AND ${m.stixId} <> ${stixId} AND ${visibleTo(actor, s)} AND ${visibleTo(actor, m)}
    ORDER BY ${m.ownerOrgId}, ${m.stixId}, c.kind, c.value, c.created_at
    LIMIT ${limit}`);
  const byOrg = new Map<string, AlsoSeen>();
  for (const f of found) {
    const key = f.org_id ?? '';
    const entry = byOrg.get(key) ?? byOrg.set(key, { orgId: f.org_id, orgName: f.org_name, objects: [] }).get(key)!;
    entry.objects.push({ id: f.id, type: f.type, title: f.title, tlp: f.tlp, kind: f.kind, value: f.value, matchedAt: new Date(f.matched_at).toISOString() });
  }
  return [...byOrg.values()];
}

export type OrgSightings = { orgId: string | null; orgName: string | null; reports: number; stixSightings: number; count: number; lastSeen: string | null };

export async function sightingsOf(db: DbOrTx, actor: Actor, stixId: string): Promise<{ total: number; byOrganisation: OrgSightings[] }> {
  await getObject(db, actor, stixId);
  const k = intelSightings;
  const found = await rows<{ org_id: string | null; org_name: string | null; reports: number; stix: number; count: number; last_seen: Date | string | null }>(db, sql`
    WITH clicks AS (
      SELECT ${k.orgId} AS org_id, ${k.count} AS reports, 0 AS stix, ${k.count} AS count, ${k.lastSeen} AS last_seen
      FROM ${k} WHERE ${k.stixId} = ${stixId} AND ${visibleTo(actor, k)}
    ), stix AS (
      SELECT DISTINCT ON (${s.stixId}) ${s.ownerOrgId} AS org_id, 0 AS reports, 1 AS stix,
        coalesce(CASE WHEN (${s.raw}::jsonb->>'count') ~ '^[0-9]{1,9}$' THEN (${s.raw}::jsonb->>'count')::int END, 1) AS count,
        coalesce((${s.raw}::jsonb->>'last_seen')::timestamptz, ${s.dateAdded}) AS last_seen
      FROM stix_objects s WHERE ${s.type} = 'sighting' AND ${s.sourceRef} = ${stixId} AND ${visibleTo(actor, s)}
      ORDER BY ${s.stixId}, ${s.version} DESC NULLS LAST
    )
    SELECT u.org_id, org.name AS org_name, sum(u.reports)::int AS reports, sum(u.stix)::int AS stix, sum(u.count)::int AS count, max(u.last_seen) AS last_seen
    FROM (SELECT * FROM clicks UNION ALL SELECT * FROM stix) u LEFT JOIN organisations org ON org.id = u.org_id
    GROUP BY u.org_id, org.name ORDER BY sum(u.count) DESC, org.name`);
  const byOrganisation = found.map((f) => ({
    orgId: f.org_id, orgName: f.org_name, reports: f.reports, stixSightings: f.stix, count: f.count,
    lastSeen: f.last_seen ? new Date(f.last_seen).toISOString() : null,
  }));
  return { total: byOrganisation.reduce((a, b) => a + b.count, 0), byOrganisation };
}
