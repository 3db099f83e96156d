/**
 * Constituency lookup: single and bulk (up to 10,000 values). Served from the node's in-memory
 * LookupIndex; each call reads the directory generation (one primary-key read) and rebuilds the
 * index when another transaction — on this node or any other — changed constituency data or its
 * visibility. Rebuilds are single-flight. The teams' references (name, short name, country) are
 * read with the index, so a lookup costs that one read: a command that changes an organisation's
 * name, short name or country must bump the generation too (none does today: they are set when
 * the organisation is created, before it holds any constituency entry).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { invalid } from '../core/errors.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { levelsOf, type ProfileField } from './field-visibility.ts';
import { LookupIndex, visibilityMemo, type LookupMatch } from './lookup-index.ts';

export const BULK_MAX = 10_000;

type Holder = { generation: number; index: LookupIndex; teams: Map<string, TeamRef>; building?: Promise<void> };
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

/** The references of the teams holding constituency entries (frozen: shared by every answer). */
async function readTeams(db: DbOrTx): Promise<Map<string, TeamRef>> {
  const list = await rows<{ id: string; name: string; short_name: string | null; country_code: string | null }>(db,
    sql`SELECT id, name, short_name, country_code FROM organisations o
         WHERE EXISTS (SELECT 1 FROM constituency_entries e WHERE e.org_id = o.id)`);
  return new Map(list.map((t) => [t.id, Object.freeze({ orgId: t.id, name: t.name, shortName: t.short_name, countryCode: t.country_code })]));
}

/** The node's index (and team references) for this database, rebuilt if the generation moved. */
async function holderFor(db: DbOrTx): Promise<Holder> {
  const generation = await currentGeneration(db);
  let h = holders.get(db);
  if (h && h.generation === generation && !h.building) return h;
  if (!h) holders.set(db, (h = { generation: -1, index: new LookupIndex(), teams: new Map() }));
  while (h.generation !== generation) {
    if (!h.building) {
      const holder = h;
      holder.building = (async () => {
        const g = await currentGeneration(db);
        const index = await buildIndex(db);
        const teams = await readTeams(db);
        holder.index = index;
        holder.teams = teams;
        holder.generation = g;
      })().finally(() => { holder.building = undefined; });
    }
    await h.building;
    if (h.generation < generation) continue;
    break;
  }
  return h;
}

export async function indexFor(db: DbOrTx): Promise<LookupIndex> {
  return (await holderFor(db)).index;
}

export type TeamRef = { orgId: string; name: string; shortName: string | null; countryCode: string | null };
export type LookupResult = Omit<LookupMatch, 'orgIds'> & { teams: TeamRef[] };

export async function lookupValues(db: DbOrTx, actor: Actor, values: string[]): Promise<LookupResult[]> {
  if (values.length > BULK_MAX) throw invalid(`At most ${BULK_MAX} values per request`, [{ path: 'values', message: `at most ${BULK_MAX}` }]);
  const { index, teams } = await holderFor(db);
  const seen = visibilityMemo(actor);
  const out = new Array<LookupResult>(values.length);
  for (let i = 0; i < values.length; i++) {
    const m = index.lookup(actor, values[i]!, seen);
    const refs: TeamRef[] = [];
    for (const id of m.orgIds) {
      const t = teams.get(id);
      if (t) refs.push(t);
    }
    out[i] = { input: m.input, kind: m.kind, normalized: m.normalized, matched: m.matched, teams: refs };
  }
  return out;
}
