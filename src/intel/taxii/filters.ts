/**
 * TAXII 2.1 query parameters (section 3.5) → the store's ObjectFilter. Values may be repeated or
 * comma-separated; anything malformed is a 400 with the TAXII error resource, never a partial answer.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.ts';
import { ID_RE, TIMESTAMP_RE } from '../validate/object.ts';

/** STIX type names (same language as the validator's, written without nested quantifiers). */
const SAFE_TYPE_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?$/;
import type { ObjectFilter, VersionMatch } from '../objects.query.ts';

/** The largest page this server serves; a larger `limit` is lowered to it (TAXII allows that). */
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

const param = z.union([z.string(), z.array(z.string())]).optional();
export const taxiiQuery = z.object({
  added_after: param, limit: param, next: param,
  'match[id]': param, 'match[type]': param, 'match[version]': param, 'match[spec_version]': param,
}).passthrough();
export type TaxiiQuery = z.infer<typeof taxiiQuery>;

const values = (v: string | string[] | undefined): string[] | undefined => {
  if (v === undefined) return undefined;
  const out = (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim());
  return out;
};
const single = (name: string, v: string | string[] | undefined): string | undefined => {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length !== 1) throw invalid(`"${name}" may be given once`, [{ path: name, message: 'given more than once' }]);
    return v[0];
  }
  return v;
};
const bad = (path: string, message: string) => invalid(`Invalid filter ${path}`, [{ path, message }]);

function each(name: string, list: string[] | undefined, ok: (v: string) => boolean, message: string): string[] | undefined {
  if (list === undefined) return undefined;
  if (!list.length || list.some((v) => !v || !ok(v))) throw bad(name, message);
  return list;
}

export type ParseOptions = { allow: ('added_after' | 'limit' | 'next' | 'id' | 'type' | 'version' | 'spec_version')[] };

export function parseTaxiiFilter(q: TaxiiQuery, opts: ParseOptions): ObjectFilter {
  const f: ObjectFilter = {};
  const allowed = new Set(opts.allow);
  const addedAfter = single('added_after', q.added_after);
  if (addedAfter !== undefined && allowed.has('added_after')) {
    if (!TIMESTAMP_RE.test(addedAfter)) throw bad('added_after', 'a timestamp such as 2024-01-31T12:00:00.000Z');
    f.addedAfter = addedAfter;
  }
  const limit = single('limit', q.limit);
  if (allowed.has('limit')) {
    if (limit !== undefined) {
      if (!/^\d{1,9}$/.test(limit) || Number(limit) < 1) throw bad('limit', 'a positive integer');
      f.limit = Math.min(Number(limit), MAX_PAGE);
    } else f.limit = DEFAULT_PAGE;
  }
  const next = single('next', q.next);
  if (next !== undefined && allowed.has('next')) {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(next)) throw bad('next', 'not a cursor this server issued');
    f.cursor = next;
  }
  if (allowed.has('id')) f.ids = each('match[id]', values(q['match[id]']), (v) => ID_RE.test(v), 'STIX identifiers');
  if (allowed.has('type')) f.types = each('match[type]', values(q['match[type]']), (v) => SAFE_TYPE_RE.test(v) && v.length >= 3 && v.length <= 250, 'STIX object types');
  if (allowed.has('version')) {
    f.versions = each('match[version]', values(q['match[version]']),
      (v) => v === 'first' || v === 'last' || v === 'all' || TIMESTAMP_RE.test(v), 'first, last, all or a timestamp') as VersionMatch[] | undefined;
  }
  if (allowed.has('spec_version')) {
    f.specVersions = each('match[spec_version]', values(q['match[spec_version]']), (v) => /^\d\.\d$/.test(v), 'STIX versions such as 2.1');
  }
  return f;
}
