/**
 * Where MISP events come from: a local file or feed directory (CLI), or an http(s) URL (an event
 * file, or a feed directory / manifest.json) fetched with the feed guards (safe-fetch.ts).
 * A feed's events are checked against the manifest's `integrity:sha256` when it is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../../core/errors.ts';
import { feedError, jsonOf, safeFetch, type FetchLimits } from '../feeds/safe-fetch.ts';
import { sha256Hex } from './feed-export.query.ts';
import { eventsOfDocument, parseMispText } from './import.command.ts';
import type { Json } from './map.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isManifest = (doc: unknown): doc is Record<string, Json> =>
  !!doc && typeof doc === 'object' && !Array.isArray(doc) && Object.keys(doc).length > 0 && Object.keys(doc).every((k) => UUID_RE.test(k));

/** A file (event JSON) or a directory holding manifest.json. */
export function loadMispPath(p: string): Json[] {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return parseMispText(fs.readFileSync(p, 'utf8'));
  const manifestPath = path.join(p, 'manifest.json');
  if (!fs.existsSync(manifestPath)) throw invalid('Not a MISP feed directory', [{ path: 'path', message: 'no manifest.json' }]);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as unknown;
  if (!isManifest(manifest)) throw invalid('Not a MISP feed manifest', [{ path: 'manifest.json', message: 'an object keyed by event uuid' }]);
  const out: Json[] = [];
  for (const [uuid, entry] of Object.entries(manifest)) {
    const buf = fs.readFileSync(path.join(p, `${uuid.toLowerCase()}.json`));
    const want = entry['integrity:sha256'];
    if (typeof want === 'string' && want.toLowerCase() !== sha256Hex(buf)) throw invalid(`integrity:sha256 mismatch for ${uuid}`, [{ path: `${uuid}.json`, message: 'integrity:sha256 mismatch' }]);
    out.push(...parseMispText(buf.toString('utf8')));
  }
  return out;
}

/** An event file or a MISP feed over http(s). */
export async function loadMispSource(url: string, o: { limits: FetchLimits; authorization?: string }): Promise<Json[]> {
  const headers: Record<string, string> = { accept: 'application/json', ...(o.authorization ? { authorization: o.authorization } : {}) };
  const first = await safeFetch(url, headers, o.limits);
  const doc = jsonOf(first);
  if (!isManifest(doc)) return eventsOfDocument(doc);
  const base = new URL('.', first.url).toString();
  const out: Json[] = [];
  for (const [uuid, entry] of Object.entries(doc)) {
    const res = await safeFetch(`${base}${uuid.toLowerCase()}.json`, headers, o.limits);
    const want = entry['integrity:sha256'];
    if (typeof want === 'string' && want.toLowerCase() !== sha256Hex(res.body)) throw feedError(`integrity:sha256 mismatch for ${uuid}`);
    out.push(...eventsOfDocument(jsonOf(res)));
  }
  return out;
}
