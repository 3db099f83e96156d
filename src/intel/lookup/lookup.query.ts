/**
 * Bulk lookups: up to 10,000 IPs, domains, URLs, hashes or e-mail addresses at once. Each value is
 * recognised and normalised like stored observables, then matched against the observable index,
 * joined to the store rows the actor may see (`visibleTo`). Warning lists flag likely false
 * positives; a value that is not recognised is reported as such, never silently dropped.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor.ts';
import { invalid } from '../../core/errors.ts';
import { visibleTo } from '../../core/visibility.ts';
import { rows, type DbOrTx } from '../../db/client.ts';
import { stixObjects } from '../tables.ts';
import { detectObservable, type ObservableKind } from '../correlation/normalize.ts';
import { warningsFor, type Warning } from '../correlation/warning-lists.ts';

export const MAX_LOOKUP_VALUES = 10_000;
/** Matches listed per value (the count is exact). */
export const MAX_MATCHES_PER_VALUE = 50;

export type LookupMatch = { id: string; type: string; title: string | null; tlp: string; ownerOrgId: string | null; revoked: boolean };
export type LookupResult = {
  input: string; kind: ObservableKind | null; value: string | null; warnings: Warning[]; matchCount: number; matches: LookupMatch[];
};

export async function lookupValues(db: DbOrTx, actor: Actor, inputs: string[]): Promise<LookupResult[]> {
  if (inputs.length > MAX_LOOKUP_VALUES) {
    throw invalid(`At most ${MAX_LOOKUP_VALUES} values per lookup`, [{ path: 'values', message: `at most ${MAX_LOOKUP_VALUES}` }]);
  }
  const results: LookupResult[] = inputs.map((input) => {
    const o = detectObservable(input);
    return { input, kind: o?.kind ?? null, value: o?.value ?? null, warnings: o ? warningsFor(o) : [], matchCount: 0, matches: [] };
  });
  const keys = new Map<string, LookupResult[]>();
  for (const r of results) {
    if (!r.kind || !r.value) continue;
    const k = `${r.kind} ${r.value}`;
    (keys.get(k) ?? keys.set(k, []).get(k)!).push(r);
  }
  if (!keys.size) return results;
  const wanted = [...keys.values()].map((rs) => ({ k: rs[0]!.kind, v: rs[0]!.value }));
  const s = stixObjects;
  // Latest visible version per (value, object); the observable index is keyed by (value, kind).
  const found = await rows<{ k: string; v: string; id: string; type: string; title: string | null; tlp: string; owner_org_id: string | null; revoked: boolean }>(db, sql`
    SELECT * FROM (
      SELECT DISTINCT ON (x.k, x.v, ${s.stixId}) x.k, x.v, ${s.stixId} AS id, ${s.type} AS type, ${s.title} AS title, ${s.tlp} AS tlp,
        ${s.ownerOrgId} AS owner_org_id, ${s.revoked} AS revoked
      FROM json_to_recordset(${JSON.stringify(wanted)}::json) AS x(k text, v text)
      JOIN intel_observables o ON o.value = x.v AND o.kind = x.k
      JOIN ${s} ON ${s.seq} = o.object_seq
      WHERE ${visibleTo(actor, s)}
      ORDER BY x.k, x.v, ${s.stixId}, ${s.version} DESC NULLS LAST, ${s.seq}
    ) m`);
  for (const f of found) {
    for (const r of keys.get(`${f.k} ${f.v}`) ?? []) {
      r.matchCount++;
      if (r.matches.length < MAX_MATCHES_PER_VALUE) {
        r.matches.push({ id: f.id, type: f.type, title: f.title, tlp: f.tlp, ownerOrgId: f.owner_org_id, revoked: f.revoked });
      }
    }
  }
  return results;
}
