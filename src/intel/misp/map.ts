/**
 * MISP event → STIX 2.1 objects (pure; no database). Every object keeps the MISP JSON it came
 * from (`x_misp_event`, `x_misp_attribute`, `x_misp_object`, `x_misp_reference`), so an event can
 * be rebuilt for a MISP feed with nothing MISP cares about lost.
 *
 * - event → `report` (`report--<event uuid>`), created_by_ref the Orgc `identity`
 * - attribute of a pattern-able type (ips, domains, urls, e-mails, hashes, file names, mutexes,
 *   registry keys, AS, MAC, user agents) → `indicator` with a STIX pattern (whatever `to_ids` says:
 *   MISP correlates every attribute; `indicator_types` tells detection intent); any other type →
 *   custom SDO `x-misp-attribute`
 * - MISP object → custom SDO `x-misp-object` (object_refs: its attributes)
 * - object reference → `relationship`; sighting → `sighting`; galaxy cluster → attack-pattern,
 *   malware, tool, threat-actor, intrusion-set (else `x-misp-galaxy-cluster`)
 * - tags → `labels`; `tlp:*` tags → TLP 2.0 object_marking_refs; distribution → sharing scope (import)
 *
 * Identifiers are deterministic: a MISP uuid that is a real UUID is used as is; anything else
 * ("a", missing) becomes a name-based UUID (v5) derived from the event and the local name, so the
 * same event always maps to the same ids (idempotent re-import, same ids on every instance).
 */
import crypto from 'node:crypto';
import { TLP2_MARKING_IDS, tlpFromMispTags, type Tlp } from '../../core/tlp.ts';

export type Json = Record<string, unknown>;
export type MispItemKind = 'attribute' | 'object' | 'relationship' | 'sighting' | 'galaxy';
export type MappedItem = { kind: MispItemKind; stix: Json; distribution: number; parentOrd?: number };
export type MappedEvent = {
  uuid: string; info: string; timestamp: number; distribution: number; tlp: Tlp | undefined;
  report: Json; identity: Json | null; items: MappedItem[];
  counts: { attributes: number; objects: number; tags: number; references: number; sightings: number; galaxyClusters: number };
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const NS = '8f1b7a3e-5a5c-4c8e-9d2b-6f1e0b9c4d21';

/** RFC 4122 name-based (v5, SHA-1) UUID in the platform's namespace. */
export function nameUuid(name: string): string {
  const h = crypto.createHash('sha1').update(Buffer.from(NS.replace(/-/g, ''), 'hex')).update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
const uuidOr = (v: unknown, name: string): string => (typeof v === 'string' && UUID_RE.test(v) ? v.toLowerCase() : nameUuid(name));

const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown, d: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : d;
};
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const tagNames = (v: unknown): string[] =>
  Array.isArray(v) ? v.map((t) => s((t as Json)?.name)).filter((n) => n.length > 0) : [];
/** Labels: non-empty strings without the TLP tags (those become markings). */
const labelsOf = (tags: string[]): string[] | undefined => {
  const l = tags.filter((t) => !/^tlp:/i.test(t));
  return l.length ? l : undefined;
};
const markingOf = (tlp: Tlp | undefined): string[] | undefined => (tlp ? [TLP2_MARKING_IDS[tlp]] : undefined);
const without = (o: Json, keys: string[]): Json => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
/** Drop undefined so the objects never carry empty/absent values (STIX forbids null and []). */
const clean = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));

/** STIX pattern string literal. */
const lit = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const HASHES: Record<string, string> = {
  md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512', 'sha3-256': 'SHA3-256', 'sha3-512': 'SHA3-512', ssdeep: 'SSDEEP', tlsh: 'TLSH',
};
const ipPattern = (ip: string): string => `[${ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${lit(ip)}]`;

/** The STIX pattern for a MISP attribute type and value; null when the type has none. */
export function patternFor(type: string, value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  const [a = '', b = ''] = v.split('|');
  switch (type) {
    case 'ip-src': case 'ip-dst': return ipPattern(v);
    case 'ip-src|port': case 'ip-dst|port': return a ? ipPattern(a) : null;
    case 'domain': case 'hostname': return `[domain-name:value = ${lit(v)}]`;
    case 'domain|ip': case 'hostname|port': return a ? `[domain-name:value = ${lit(a)}]` : null;
    case 'url': case 'uri': return `[url:value = ${lit(v)}]`;
    case 'email': case 'email-src': case 'email-dst': case 'target-email': case 'email-reply-to': return `[email-addr:value = ${lit(v)}]`;
    case 'filename': return `[file:name = ${lit(v)}]`;
    case 'mutex': return `[mutex:name = ${lit(v)}]`;
    case 'regkey': return `[windows-registry-key:key = ${lit(v)}]`;
    case 'regkey|value': return a ? `[windows-registry-key:key = ${lit(a)}]` : null;
    case 'AS': { const n = Number(v.replace(/^AS/i, '')); return Number.isInteger(n) && n >= 0 ? `[autonomous-system:number = ${n}]` : null; }
    case 'mac-address': return `[mac-addr:value = ${lit(v.toLowerCase())}]`;
    case 'user-agent': return `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = ${lit(v)}]`;
    case 'malware-sample': return a && b ? `[file:name = ${lit(a)} AND file:hashes.'MD5' = ${lit(b)}]` : null;
  }
  if (HASHES[type]) return `[file:hashes.'${HASHES[type]}' = ${lit(v)}]`;
  const m = /^filename\|(.+)$/.exec(type);
  if (m && HASHES[m[1]!] && a && b) return `[file:name = ${lit(a)} AND file:hashes.'${HASHES[m[1]!]}' = ${lit(b)}]`;
  return null;
}

/** The event object whatever the wrapping: `{Event: …}`, `{response: […]}` items, or bare. */
export function unwrapEvent(v: unknown): Json | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Json;
  if (o.Event && typeof o.Event === 'object' && !Array.isArray(o.Event)) return o.Event as Json;
  return o;
}

/** Does this JSON look like a MISP event at all (anything MISP would accept as one)? */
export const looksLikeEvent = (e: Json): boolean =>
  ['info', 'uuid', 'Attribute', 'Object', 'Tag', 'date', 'timestamp'].some((k) => k in e);

const GALAXY_TYPES: [RegExp, string][] = [
  [/attack-pattern/, 'attack-pattern'], [/intrusion-set/, 'intrusion-set'], [/threat-actor/, 'threat-actor'],
  [/(^|-)tool$/, 'tool'], [/malware|ransomware|rat|botnet|stealer|backdoor|exploit-kit|android|banker/, 'malware'],
];

export function mapEvent(input: Json): MappedEvent {
  const ev = input;
  const uuid = uuidOr(ev.uuid, `event:${JSON.stringify(without(ev, ['Attribute', 'Object']))}`);
  const eventTs = num(ev.timestamp, Math.floor(Date.parse(`${s(ev.date) || '1970-01-01'}T00:00:00Z`) / 1000) || 0);
  const eventTags = tagNames(ev.Tag);
  const eventTlp = tlpFromMispTags(eventTags);
  const distribution = num(ev.distribution, 3);
  const modified = iso(eventTs);
  const dateTs = Date.parse(`${s(ev.date)}T00:00:00Z`);
  const created = Number.isFinite(dateTs) && dateTs / 1000 <= eventTs ? iso(dateTs / 1000) : modified;
  const orgc = (ev.Orgc && typeof ev.Orgc === 'object' ? ev.Orgc : ev.Org) as Json | undefined;
  const identity = orgc && s(orgc.name)
    ? clean({
      type: 'identity', spec_version: '2.1', id: `identity--${uuidOr(orgc.uuid, `org:${s(orgc.name)}`)}`,
      created: '2000-01-01T00:00:00.000Z', modified: '2000-01-01T00:00:00.000Z', name: s(orgc.name), identity_class: 'organization',
    })
    : null;
  const createdBy = identity ? (identity.id as string) : undefined;
  const items: MappedItem[] = [];
  const idOf = new Map<string, string>(); // MISP uuid (attribute or object) → STIX id
  const counts = { attributes: 0, objects: 0, tags: eventTags.length, references: 0, sightings: 0, galaxyClusters: 0 };

  const mapAttribute = (attr: Json, parentOrd: number | undefined, objectUuid: string | undefined) => {
    const local = s(attr.uuid) || `${objectUuid ?? ''}:${s(attr.object_relation)}:${s(attr.type)}:${s(attr.value)}:${counts.attributes}`;
    const id = uuidOr(attr.uuid, `attribute:${uuid}:${local}`);
    const ts = num(attr.timestamp, eventTs);
    const tags = tagNames(attr.Tag);
    counts.tags += tags.length;
    const tlp = tlpFromMispTags(tags) ?? eventTlp;
    const type = s(attr.type);
    const value = s(attr.value);
    const pattern = patternFor(type, value);
    const mod = iso(ts);
    const cre = created <= mod ? created : mod;
    const common = {
      spec_version: '2.1', created: cre, modified: mod, created_by_ref: createdBy, labels: labelsOf(tags),
      object_marking_refs: markingOf(tlp), x_misp_attribute: attr, x_misp_event_uuid: uuid, x_misp_object_uuid: objectUuid,
    };
    const stix: Json = pattern
      ? clean({
        type: 'indicator', id: `indicator--${id}`, ...common, name: `${type}: ${value}`.slice(0, 500), pattern, pattern_type: 'stix',
        valid_from: s(attr.first_seen) && !Number.isNaN(Date.parse(s(attr.first_seen))) ? new Date(s(attr.first_seen)).toISOString() : mod,
        indicator_types: [attr.to_ids === true || attr.to_ids === '1' ? 'malicious-activity' : 'unknown'],
      })
      : clean({ type: 'x-misp-attribute', id: `x-misp-attribute--${id}`, ...common, name: `${type}: ${value}`.slice(0, 500) });
    items.push({ kind: 'attribute', stix, distribution: num(attr.distribution, 5), parentOrd });
    counts.attributes++;
    if (typeof attr.uuid === 'string') idOf.set(attr.uuid, stix.id as string);
    const sightings = Array.isArray(attr.Sighting) ? (attr.Sighting as Json[]) : [];
    for (const [i, sg] of sightings.entries()) {
      const sts = num(sg.date_sighting, ts);
      items.push({
        kind: 'sighting', distribution: num(attr.distribution, 5),
        stix: clean({
          type: 'sighting', spec_version: '2.1', id: `sighting--${uuidOr(sg.uuid, `sighting:${uuid}:${id}:${i}`)}`, created: iso(sts), modified: iso(sts),
          first_seen: iso(sts), last_seen: iso(sts), count: 1, sighting_of_ref: stix.id, object_marking_refs: markingOf(tlp),
          x_misp_sighting: sg,
        }),
      });
      counts.sightings++;
    }
    return stix.id as string;
  };

  for (const attr of Array.isArray(ev.Attribute) ? (ev.Attribute as Json[]) : []) mapAttribute(attr, undefined, undefined);
  const objects = Array.isArray(ev.Object) ? (ev.Object as Json[]) : [];
  const pendingRefs: { obj: Json; sourceId: string; tlp: Tlp | undefined; dist: number }[] = [];
  for (const [ord, obj] of objects.entries()) {
    const objUuid = s(obj.uuid) || `${ord}`;
    const id = `x-misp-object--${uuidOr(obj.uuid, `object:${uuid}:${objUuid}`)}`;
    idOf.set(objUuid, id);
    const ts = num(obj.timestamp, eventTs);
    const refs: string[] = [];
    for (const a of Array.isArray(obj.Attribute) ? (obj.Attribute as Json[]) : []) refs.push(mapAttribute(a, ord, objUuid));
    const mod = iso(ts);
    items.push({
      kind: 'object', distribution: num(obj.distribution, 5),
      stix: clean({
        type: 'x-misp-object', spec_version: '2.1', id, created: created <= mod ? created : mod, modified: mod, created_by_ref: createdBy,
        name: s(obj.name) || 'object', object_refs: refs, object_marking_refs: markingOf(eventTlp), x_misp_event_uuid: uuid,
        x_misp_object: without(obj, ['Attribute']),
      }),
    });
    counts.objects++;
    pendingRefs.push({ obj, sourceId: id, tlp: eventTlp, dist: num(obj.distribution, 5) });
  }
  // References last: they may point at objects or attributes defined later in the event.
  for (const { obj, sourceId, tlp, dist } of pendingRefs) {
    for (const [i, ref] of (Array.isArray(obj.ObjectReference) ? (obj.ObjectReference as Json[]) : []).entries()) {
      counts.references++;
      const target = idOf.get(s(ref.referenced_uuid));
      if (!target) continue; // points outside this event: kept in x_misp_object only
      const ts = num(ref.timestamp, num(obj.timestamp, eventTs));
      const rt = s(ref.relationship_type).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'related-to';
      items.push({
        kind: 'relationship', distribution: dist,
        stix: clean({
          type: 'relationship', spec_version: '2.1', id: `relationship--${uuidOr(ref.uuid, `reference:${uuid}:${sourceId}:${i}:${s(ref.referenced_uuid)}:${rt}`)}`,
          created: iso(ts), modified: iso(ts), relationship_type: rt.length >= 3 ? rt : `misp-${rt}`, source_ref: sourceId, target_ref: target,
          description: s(ref.comment) || undefined, object_marking_refs: markingOf(tlp), x_misp_reference: ref,
        }),
      });
    }
  }
  for (const g of Array.isArray(ev.Galaxy) ? (ev.Galaxy as Json[]) : []) {
    const gtype = s(g.type);
    const stype = GALAXY_TYPES.find(([re]) => re.test(gtype))?.[1] ?? 'x-misp-galaxy-cluster';
    for (const c of Array.isArray(g.GalaxyCluster) ? (g.GalaxyCluster as Json[]) : []) {
      counts.galaxyClusters++;
      const name = s(c.value) || s(c.tag_name) || 'cluster';
      const gid = `${stype}--${uuidOr(c.uuid, `galaxy:${gtype}:${name}`)}`;
      if (items.some((x) => x.kind === 'galaxy' && (x.stix.id === gid || (x.stix.x_misp_cluster_uuid && x.stix.x_misp_cluster_uuid === c.uuid)))) continue;
      items.push({
        kind: 'galaxy', distribution: 3,
        stix: clean({
          type: stype, spec_version: '2.1', id: gid, x_misp_cluster_uuid: typeof c.uuid === 'string' ? c.uuid : undefined,
          created: '2000-01-01T00:00:00.000Z', modified: '2000-01-01T00:00:00.000Z', name,
          description: s(c.description) || undefined, ...(stype === 'malware' ? { is_family: true } : {}),
          labels: [s(c.tag_name) || `misp-galaxy:${gtype}="${name}"`], x_misp_galaxy: gtype,
        }),
      });
    }
  }
  const refs = [...(identity ? [identity.id as string] : []), ...items.filter((i) => i.kind !== 'sighting').map((i) => i.stix.id as string)];
  const pub = num(ev.publish_timestamp, 0);
  const report = clean({
    type: 'report', spec_version: '2.1', id: `report--${uuid}`, created, modified, created_by_ref: createdBy,
    name: s(ev.info) || '(no description)', published: pub > 0 ? iso(pub) : created, report_types: ['threat-report'],
    object_refs: refs.length ? [...new Set(refs)] : [`identity--${nameUuid('unknown organisation')}`],
    labels: labelsOf(eventTags), object_marking_refs: markingOf(eventTlp),
    x_misp_event: { ...without(ev, ['Attribute', 'Object']), ...('Object' in ev ? { Object: [] } : {}) }, x_misp_event_uuid: uuid,
  });
  return { uuid, info: s(ev.info), timestamp: eventTs, distribution, tlp: eventTlp, report, identity, items, counts };
}
