/**
 * Our STIX 2.1 object validator (the product's own; the OASIS JSON schemas are used only in tests
 * to check that we agree with them). Returns every problem found, each with a JSON path.
 */
import { CATALOG, COMMON_REFS, kindOf, RESERVED_PROPERTIES, type StixKind } from './catalog.ts';
import { parsePattern, PatternSyntaxError } from './pattern.ts';

export type StixIssue = { path: string; message: string };

// No nested quantifiers: the type comes from uploaded data and must not allow catastrophic backtracking.
export const TYPE_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?$/;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}';
export const ID_RE = new RegExp(`^([a-z][a-z0-9-]+[a-z0-9])--${UUID}$`);
export const TIMESTAMP_RE = /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const MILLIS_RE = /T\d{2}:\d{2}:\d{2}\.\d{3,}Z$/;
const PROPERTY_RE = /^([a-z][a-z0-9_]{2,249}|id)$/;
const HEX_RE = /^([a-fA-F0-9]{2})+$/;
const BIN_RE = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A real calendar instant (the regex allows 31 February). */
function isRealTimestamp(s: string): boolean {
  if (!TIMESTAMP_RE.test(s)) return false;
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** Target type of a STIX identifier, or null when it is not one. */
export const idType = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const m = ID_RE.exec(v);
  return m ? m[1]! : null;
};

export function validateStixObject(input: unknown): StixIssue[] {
  const issues: StixIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!isObj(input)) return [{ path: '', message: 'a STIX object must be a JSON object' }];
  const o = input;
  const type = o.type;
  if (typeof type !== 'string') return [{ path: 'type', message: 'required, a string' }];
  if (!TYPE_RE.test(type) || type.length < 3 || type.length > 250) add('type', 'must be 3–250 characters of a-z, 0-9 and hyphens');
  if (type === 'bundle') return [{ path: 'type', message: 'a bundle cannot be an object of a bundle' }];
  const rule = CATALOG[type];
  const kind: StixKind = kindOf(type, o);

  // Identifier: `type--UUID`, the prefix being the object's own type.
  if (o.id === undefined) add('id', 'required');
  else if (typeof o.id !== 'string' || !ID_RE.test(o.id)) add('id', 'must be "<type>--<RFC 4122 UUID>"');
  else if (idType(o.id) !== type) add('id', `must start with "${type}--"`);

  // spec_version: required except on SCOs; this store speaks 2.1.
  if (o.spec_version === undefined) {
    if (kind !== 'sco') add('spec_version', 'required');
  } else if (o.spec_version !== '2.1') add('spec_version', 'must be "2.1"');

  // Common timestamps.
  if (kind === 'sdo' || kind === 'sro' || type === 'language-content' || type === 'extension-definition') {
    for (const p of ['created', 'modified']) if (o[p] === undefined) add(p, 'required');
  }
  if (type === 'marking-definition' && o.created === undefined) add('created', 'required');
  for (const p of ['created', 'modified']) {
    const v = o[p];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !isRealTimestamp(v)) add(p, 'must be an RFC 3339 timestamp in UTC ending in "Z"');
    else if (type !== 'marking-definition' && !MILLIS_RE.test(v)) add(p, 'must be precise to at least the millisecond');
  }
  if (typeof o.created === 'string' && typeof o.modified === 'string' && isRealTimestamp(o.created) && isRealTimestamp(o.modified)) {
    if (Date.parse(o.modified) < Date.parse(o.created)) add('modified', 'must not be earlier than created');
  }
  for (const p of rule?.timestamps ?? []) {
    const v = o[p];
    if (v !== undefined && (typeof v !== 'string' || !isRealTimestamp(v))) add(p, 'must be an RFC 3339 timestamp in UTC ending in "Z"');
  }

  for (const p of rule?.required ?? []) if (o[p] === undefined) add(p, 'required');
  if (kind === 'sdo' || kind === 'sro') for (const p of RESERVED_PROPERTIES) if (p in o) add(p, 'reserved by STIX; not allowed here');

  // Property names and values common to every object.
  for (const [k, v] of Object.entries(o)) {
    if (!PROPERTY_RE.test(k)) add(k, 'property names are 3–250 characters of a-z, 0-9 and underscore');
    if (v === null) add(k, 'null is not allowed; omit the property');
    else if (Array.isArray(v) && v.length === 0) add(k, 'an empty list is not allowed; omit the property');
    if (k.endsWith('_hex') && (typeof v !== 'string' || !HEX_RE.test(v))) add(k, 'must be hex (pairs of 0-9a-f)');
    if (k.endsWith('_bin') && (typeof v !== 'string' || !BIN_RE.test(v))) add(k, 'must be base64');
  }
  for (const p of ['revoked', 'is_family', 'is_multipart'] as const) if (o[p] !== undefined && typeof o[p] !== 'boolean') add(p, 'must be true or false');
  if (o.confidence !== undefined && !(Number.isInteger(o.confidence) && (o.confidence as number) >= 0 && (o.confidence as number) <= 100)) add('confidence', 'must be an integer 0–100');
  for (const p of ['labels', 'aliases']) {
    const v = o[p];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) add(p, 'must be a list of strings');
  }
  if (o.name !== undefined && typeof o.name !== 'string') add('name', 'must be a string');

  checkRefs(o, type, add);
  checkMarkings(o, add);
  checkExternalReferences(o, add);
  checkExtensions(o, add);
  checkKillChain(o, add);
  checkTypeSpecific(o, type, add);
  return issues;
}

function checkRefs(o: Record<string, unknown>, type: string, add: (p: string, m: string) => void): void {
  const rule = CATALOG[type];
  for (const [k, v] of Object.entries(o)) {
    const single = k.endsWith('_ref');
    if (!single && !k.endsWith('_refs')) continue;
    // Custom properties (x_…) follow the naming convention but carry their producer's semantics.
    if (k.startsWith('x_')) continue;
    const allowed = rule?.refs?.[k] ?? COMMON_REFS[k];
    const forbidden = rule?.refsNot?.[k];
    const one = (x: unknown, path: string) => {
      const t = idType(x);
      if (!t) return add(path, 'must be a STIX identifier "<type>--<UUID>"');
      if (allowed && !allowed.includes(t)) add(path, `must refer to ${allowed.join(' or ')}, not ${t}`);
      if (forbidden?.includes(t)) add(path, `may not refer to ${t}`);
    };
    if (single) one(v, k);
    else if (!Array.isArray(v)) add(k, 'must be a list of STIX identifiers');
    else v.forEach((x, i) => one(x, `${k}[${i}]`));
  }
}

function checkMarkings(o: Record<string, unknown>, add: (p: string, m: string) => void): void {
  const g = o.granular_markings;
  if (g === undefined) return;
  if (!Array.isArray(g)) return add('granular_markings', 'must be a list');
  g.forEach((m, i) => {
    const p = `granular_markings[${i}]`;
    if (!isObj(m)) return add(p, 'must be an object');
    if (m.marking_ref === undefined && m.lang === undefined) add(p, 'needs marking_ref or lang');
    if (m.marking_ref !== undefined && idType(m.marking_ref) !== 'marking-definition') add(`${p}.marking_ref`, 'must refer to a marking-definition');
    if (!Array.isArray(m.selectors) || m.selectors.length === 0 || m.selectors.some((s) => typeof s !== 'string')) add(`${p}.selectors`, 'required, a non-empty list of strings');
  });
}

function checkExternalReferences(o: Record<string, unknown>, add: (p: string, m: string) => void): void {
  const refs = o.external_references;
  if (refs === undefined) return;
  if (!Array.isArray(refs)) return add('external_references', 'must be a list');
  refs.forEach((r, i) => {
    const p = `external_references[${i}]`;
    if (!isObj(r)) return add(p, 'must be an object');
    if (typeof r.source_name !== 'string') add(`${p}.source_name`, 'required, a string');
    if (r.description === undefined && r.url === undefined && r.external_id === undefined) add(p, 'needs description, url or external_id');
  });
}

function checkExtensions(o: Record<string, unknown>, add: (p: string, m: string) => void): void {
  const ext = o.extensions;
  if (ext === undefined) return;
  if (!isObj(ext) || Object.keys(ext).length === 0) return add('extensions', 'must be a non-empty dictionary');
  for (const [k, v] of Object.entries(ext)) {
    const p = `extensions.${k}`;
    if (k.startsWith('extension-definition--')) {
      if (idType(k) !== 'extension-definition') add(p, 'must be a valid extension-definition identifier');
      if (!isObj(v)) add(p, 'must be an object');
    } else if (/^([a-z][a-z0-9]*)+(-[a-z0-9]+)*-ext$/.test(k)) {
      if (!isObj(v) || Object.keys(v).length === 0) add(p, 'must be a non-empty object');
    } else add(p, 'extension keys are extension-definition ids or predefined "*-ext" names');
  }
}

function checkKillChain(o: Record<string, unknown>, add: (p: string, m: string) => void): void {
  const k = o.kill_chain_phases;
  if (k === undefined) return;
  if (!Array.isArray(k)) return add('kill_chain_phases', 'must be a list');
  k.forEach((x, i) => {
    if (!isObj(x) || typeof x.kill_chain_name !== 'string' || typeof x.phase_name !== 'string') add(`kill_chain_phases[${i}]`, 'needs kill_chain_name and phase_name');
  });
}

function checkTypeSpecific(o: Record<string, unknown>, type: string, add: (p: string, m: string) => void): void {
  switch (type) {
    case 'indicator':
      if (typeof o.pattern === 'string' && o.pattern_type === 'stix') {
        try {
          parsePattern(o.pattern);
        } catch (err) {
          if (err instanceof PatternSyntaxError) add('pattern', err.message);
          else throw err;
        }
      } else if (o.pattern !== undefined && typeof o.pattern !== 'string') add('pattern', 'must be a string');
      if (o.pattern_type !== undefined && typeof o.pattern_type !== 'string') add('pattern_type', 'must be a string');
      break;
    case 'malware':
      if (o.is_family === true && o.name === undefined) add('name', 'required when is_family is true');
      break;
    case 'location': {
      const hasLat = o.latitude !== undefined;
      const hasLon = o.longitude !== undefined;
      if (o.region === undefined && o.country === undefined && !(hasLat && hasLon)) add('', 'a location needs region, country, or latitude and longitude');
      if (hasLat !== hasLon) add(hasLat ? 'longitude' : 'latitude', 'latitude and longitude go together');
      if (o.precision !== undefined && !(hasLat && hasLon)) add('precision', 'only with latitude and longitude');
      if (hasLat && (typeof o.latitude !== 'number' || Math.abs(o.latitude) > 90)) add('latitude', 'must be a number from -90 to 90');
      if (hasLon && (typeof o.longitude !== 'number' || Math.abs(o.longitude) > 180)) add('longitude', 'must be a number from -180 to 180');
      break;
    }
    case 'observed-data':
      if (o.objects === undefined && o.object_refs === undefined) add('object_refs', 'required (or the deprecated objects)');
      if (o.number_observed !== undefined && !(Number.isInteger(o.number_observed) && (o.number_observed as number) >= 1 && (o.number_observed as number) <= 999_999_999)) add('number_observed', 'must be an integer 1–999,999,999');
      break;
    case 'marking-definition':
      if (o.extensions === undefined && (o.definition_type === undefined || o.definition === undefined)) add('definition', 'definition_type and definition are required without extensions');
      if (o.definition_type === 'statement' && !(isObj(o.definition) && typeof o.definition.statement === 'string')) add('definition.statement', 'required, a string');
      break;
    case 'artifact':
      if (o.payload_bin !== undefined && o.url !== undefined) add('url', 'not allowed together with payload_bin');
      if (o.url !== undefined && o.hashes === undefined) add('hashes', 'required with url');
      break;
    case 'email-message':
      if (o.is_multipart === true && o.body !== undefined) add('body', 'not allowed when is_multipart is true');
      if (o.is_multipart === false && o.body_multipart !== undefined) add('body_multipart', 'only when is_multipart is true');
      break;
    case 'file':
      if (o.hashes === undefined && o.name === undefined) add('', 'a file needs hashes or name');
      break;
    case 'network-traffic':
      if (o.src_ref === undefined && o.dst_ref === undefined) add('', 'network-traffic needs src_ref or dst_ref');
      break;
    case 'extension-definition':
      if (Array.isArray(o.extension_types) && !o.extension_types.includes('toplevel-property-extension') && o.extension_properties !== undefined) add('extension_properties', 'only for toplevel-property-extension');
      break;
    case 'autonomous-system':
      if (o.number !== undefined && !Number.isInteger(o.number)) add('number', 'must be an integer');
      break;
  }
}
