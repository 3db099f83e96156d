/**
 * Constituency lookup: single and bulk (up to 10,000 values). Served from the node's in-memory
 * LookupIndex; each call reads the directory generation (one primary-key read) and rebuilds the
 * index when another transaction — on this node or any other — changed constituency data or its
 * visibility. Rebuilds are single-flight.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { invalid } from '../core/errors.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { levelsOf, type ProfileField } from './field-visibility.ts';
import { LookupIndex, visibilityMemo, type LookupMatch } from './lookup-index.ts';

export const BULK_MAX = 10_000;

type Holder = { generation: number; index: LookupIndex; building?: Promise<void> };
const holders = new WeakMap<object, Holder>();

export async function currentGeneration(db: DbOrTx): Promise<number> {
  const [r] = await rows<{ generation: string | number }>(db, sql`SELECT generation FROM directory_generation WHERE id = 1`);
  return r ? Number(r.generation) : 0;
}

/** Call in every transaction that changes constituency entries or their field visibility. */
export async function bumpGeneration(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`INSERT INTO directory_generation (id, generation) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET generation = directory_generation.generation + 1`);
}

const KIND_FIELD: Record<string, ProfileField> = { asn: 'asns', ipv4: 'ipv4', ipv6: 'ipv6', domain: 'domains' };

export async function buildIndex(db: DbOrTx): Promise<LookupIndex> {
  const index = new LookupIndex();
  const profiles = await rows<{ org_id: string; field_visibility: unknown }>(db, sql`SELECT org_id, field_visibility FROM team_profiles`);
  const levels = new Map(profiles.map((p) => [p.org_id, levelsOf(p.field_visibility)]));
  const defaults = levelsOf({});
  const entries = await rows<{ org_id: string; kind: string; value: string }>(db, sql`SELECT org_id, kind, value FROM constituency_entries`);
  for (const e of entries) {
    const l = (levels.get(e.org_id) ?? defaults)[KIND_FIELD[e.kind]!];
    index.addStored(e.kind, e.value, { orgId: e.org_id, level: l });
  }
  return index;
}

/** The node's index for this database, rebuilt if the generation moved. */
export async function indexFor(db: DbOrTx): Promise<LookupIndex> {
  const generation = await currentGeneration(db);
  let h = holders.get(db);
  if (h && h.generation === generation && !h.building) return h.index;
  if (!h) holders.set(db, (h = { generation: -1, index: new LookupIndex() }));
  while (h.generation !== generation) {
    if (!h.building) {
      const holder = h;
      holder.building = (async () => {
        const g = await currentGeneration(db);
        const index = await buildIndex(db);
        holder.index = index;
        holder.generation = g;
      })().finally(() => { holder.building = undefined; });
    }
    await h.building;
    if (h.generation < generation) continue;
    break;
  }
  return h.index;
}

export type TeamRef = { orgId: string; name: string; shortName: string | null; countryCode: string | null };
export type LookupResult = Omit<LookupMatch, 'orgIds'> & { teams: TeamRef[] };

export async function lookupValues(db: DbOrTx, actor: Actor, values: string[]): Promise<LookupResult[]> {
  if (values.length > BULK_MAX) throw invalid(`At most ${BULK_MAX} values per request`, [{ path: 'values', message: `at most ${BULK_MAX}` }]);
  const index = await indexFor(db);
  const seen = visibilityMemo(actor);
  const matches = values.map((v) => index.lookup(actor, v, seen));
  const orgIds = [...new Set(matches.flatMap((m) => m.orgIds))];
  const teams = new Map<string, TeamRef>();
  if (orgIds.length) {
    const list = await rows<{ id: string; name: string; short_name: string | null; country_code: string | null }>(db,
      sql`SELECT id, name, short_name, country_code FROM organisations WHERE id = ANY(${`{${orgIds.join(',')}}`}::uuid[])`);
    for (const t of list) teams.set(t.id, { orgId: t.id, name: t.name, shortName: t.short_name, countryCode: t.country_code });
  }
  return matches.map(({ orgIds: ids, ...m }) => ({ ...m, teams: ids.map((id) => teams.get(id)!).filter(Boolean) }));
}
