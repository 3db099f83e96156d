/**
 * Export a case for the intel capability: a MISP event (JSON) and a STIX 2.1 bundle (incident,
 * observables as SCOs, indicators for the detectable ones, vulnerabilities for CVEs,
 * relationships, the TLP 2.0 marking definition and a PAP statement marking).
 *
 * PAP rule (what recipients may DO): PAP:CLEAR/GREEN/AMBER export, with the PAP shown in the
 * export (MISP tag `PAP:…`, STIX statement marking + label) and indicators flagged for detection
 * (MISP to_ids) only up to PAP:GREEN — PAP:AMBER allows passive use only, so to_ids is false and
 * no STIX indicators are produced. PAP:RED: no automated sharing at all — the export is refused
 * ('precondition_failed'); the case is read in the platform only.
 * The reader must be able to read the case (visibleTo); internal items never leave; TLP is carried.
 */
import crypto from 'node:crypto';
import { eq, asc } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { DomainError } from '../core/errors.ts';
import { tlp2MarkingDefinition, TLP2_MARKING_IDS, tlpToMispTag, type Tlp } from '../core/tlp.ts';
import { organisations } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';
import { nameUuid, patternFor } from '../intel/misp/map.ts';
import { loadCaseFor, type CaseRow } from './access.ts';
import { caseObservables } from './tables.ts';
import { papLabel, type Pap } from './taxonomy.ts';

type Json = Record<string, unknown>;
type Obs = { kind: string; value: string };

export function assertPapAllowsExport(pap: Pap): void {
  if (pap === 'red') {
    throw new DomainError('precondition_failed', 'PAP:RED — this case may not be shared by automated means; read it in the platform', { pap: 'PAP:RED' });
  }
}
/** Detection use (IDS, blocking) is an active action: allowed for PAP:CLEAR and PAP:GREEN only. */
export const papAllowsDetection = (pap: Pap): boolean => pap === 'clear' || pap === 'green';

const PAP_STATEMENTS: Record<Exclude<Pap, 'red'>, string> = {
  clear: 'PAP:CLEAR — recipients may use this information without restriction.',
  green: 'PAP:GREEN — recipients may take active actions (e.g. blocking, detection) on this information.',
  amber: 'PAP:AMBER — passive actions only (e.g. look-ups in own logs); no active actions that could be detected by the adversary.',
};

async function load(db: DbOrTx, actor: Actor, caseId: string) {
  const c = await loadCaseFor(db, actor, caseId);
  assertPapAllowsExport(c.pap as Pap);
  const obs = await db.select({ kind: caseObservables.kind, value: caseObservables.value }).from(caseObservables)
    .where(eq(caseObservables.caseId, caseId)).orderBy(asc(caseObservables.createdAt), asc(caseObservables.value));
  const [org] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, c.ownerOrgId!));
  return { c, obs, org: org! };
}

const epoch = (d: Date) => String(Math.floor(d.getTime() / 1000));

const MISP_TYPES: Record<string, { type: string; category: string }> = {
  ipv4: { type: 'ip-dst', category: 'Network activity' }, ipv6: { type: 'ip-dst', category: 'Network activity' },
  domain: { type: 'domain', category: 'Network activity' }, url: { type: 'url', category: 'Network activity' },
  email: { type: 'email-src', category: 'Payload delivery' }, md5: { type: 'md5', category: 'Payload delivery' },
  sha1: { type: 'sha1', category: 'Payload delivery' }, sha256: { type: 'sha256', category: 'Payload delivery' },
  cve: { type: 'vulnerability', category: 'External analysis' }, asn: { type: 'AS', category: 'Network activity' },
};
const THREAT_LEVEL: Record<string, string> = { critical: '1', high: '1', medium: '2', low: '3' };

export function caseToMisp(c: CaseRow, obs: Obs[], org: { id: string; name: string }): Json {
  const pap = c.pap as Pap;
  const detect = papAllowsDetection(pap);
  const ts = epoch(c.updatedAt);
  const tags = [tlpToMispTag(c.tlp as Tlp), papLabel(pap), `csirt-americas:${c.classification}`, ...(c.rsit ? [`rsit:${c.rsit.replace(':', '="')}"`] : [])];
  return {
    Event: {
      uuid: c.id, info: `${c.reference}: ${c.title}`, date: c.createdAt.toISOString().slice(0, 10), threat_level_id: THREAT_LEVEL[c.severity] ?? '4',
      analysis: c.status === 'resolved' ? '2' : c.status === 'new' ? '0' : '1', distribution: '0', published: false, timestamp: ts,
      Orgc: { uuid: org.id, name: org.name }, Org: { uuid: org.id, name: org.name },
      Tag: tags.map((name) => ({ name })),
      Attribute: obs.map((o) => ({
        uuid: nameUuid(`case:${c.id}:${o.kind}:${o.value}`), ...MISP_TYPES[o.kind]!, value: o.kind === 'asn' ? o.value.replace(/^AS/, '') : o.value,
        to_ids: detect && !['cve', 'asn', 'email'].includes(o.kind), distribution: '5', timestamp: ts, comment: `From case ${c.reference}`,
      })),
    },
  };
}

// ---- STIX 2.1 --------------------------------------------------------------------------------
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Deterministic SCO id (STIX 2.1 §2.9: UUIDv5 over the canonical JSON of the id-contributing properties). */
function scoId(type: string, contributing: Json): string {
  const canonical = JSON.stringify(contributing, Object.keys(contributing).sort());
  const h = crypto.createHash('sha1').update(Buffer.from(SCO_NAMESPACE.replace(/-/g, ''), 'hex')).update(canonical).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${type}--${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function sco(o: Obs, markings: string[]): Json | null {
  const base = (type: string, props: Json, idProps: Json = props) => ({ type, spec_version: '2.1', id: scoId(type, idProps), ...props, object_marking_refs: markings });
  switch (o.kind) {
    case 'ipv4': return base('ipv4-addr', { value: o.value });
    case 'ipv6': return base('ipv6-addr', { value: o.value });
    case 'domain': return base('domain-name', { value: o.value });
    case 'url': return base('url', { value: o.value });
    case 'email': return base('email-addr', { value: o.value });
    case 'asn': return base('autonomous-system', { number: Number(o.value.replace(/^AS/, '')) });
    case 'md5': return base('file', { hashes: { MD5: o.value } });
    case 'sha1': return base('file', { hashes: { 'SHA-1': o.value } });
    case 'sha256': return base('file', { hashes: { 'SHA-256': o.value } });
    default: return null;
  }
}

export function caseToStix(c: CaseRow, obs: Obs[], org: { id: string; name: string }): Json {
  const pap = c.pap as Exclude<Pap, 'red'>;
  const tlp = c.tlp as Tlp;
  const created = c.createdAt.toISOString();
  const modified = (c.updatedAt > c.createdAt ? c.updatedAt : c.createdAt).toISOString();
  const identityId = `identity--${nameUuid(`org:${org.id}`)}`;
  const papMarking = {
    type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${nameUuid(`pap:${pap}`)}`, created: '2022-01-01T00:00:00.000Z',
    name: papLabel(pap), definition_type: 'statement', definition: { statement: PAP_STATEMENTS[pap] },
  };
  const markings = [TLP2_MARKING_IDS[tlp], papMarking.id];
  const common = { spec_version: '2.1', created, modified, created_by_ref: identityId, object_marking_refs: markings };
  const incidentId = `incident--${c.id}`;
  const labels = [`csirt-americas:${c.classification}`, ...(c.rsit ? [`rsit:${c.rsit}`] : []), `severity:${c.severity}`, papLabel(pap), `status:${c.status}`];
  const objects: Json[] = [
    tlp2MarkingDefinition(tlp), papMarking,
    { type: 'identity', spec_version: '2.1', id: identityId, created, modified, name: org.name, identity_class: 'organization' },
    { type: 'incident', id: incidentId, ...common, name: `${c.reference}: ${c.title}`, ...(c.description ? { description: c.description } : {}), labels },
  ];
  const rel = (source: string, type: string, target: string) => ({
    type: 'relationship', id: `relationship--${nameUuid(`case:${c.id}:${source}:${type}:${target}`)}`, ...common, relationship_type: type, source_ref: source, target_ref: target,
  });
  const seen = new Set<string>();
  for (const o of obs) {
    if (o.kind === 'cve') {
      const vid = `vulnerability--${nameUuid(`cve:${o.value}`)}`;
      if (seen.has(vid)) continue;
      seen.add(vid);
      objects.push({ type: 'vulnerability', id: vid, ...common, name: o.value, external_references: [{ source_name: 'cve', external_id: o.value }] });
      objects.push(rel(incidentId, 'related-to', vid));
      continue;
    }
    const s = sco(o, markings);
    if (!s || seen.has(s.id as string)) continue;
    seen.add(s.id as string);
    objects.push(s);
    objects.push(rel(incidentId, 'related-to', s.id as string));
    if (papAllowsDetection(pap)) {
      const mispType = MISP_TYPES[o.kind]!.type;
      const pattern = patternFor(mispType, o.kind === 'asn' ? o.value.replace(/^AS/, '') : o.value);
      if (!pattern || o.kind === 'asn' || o.kind === 'email') continue;
      const iid = `indicator--${nameUuid(`case:${c.id}:indicator:${o.kind}:${o.value}`)}`;
      objects.push({ type: 'indicator', id: iid, ...common, name: o.value, indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix', valid_from: created });
      objects.push(rel(iid, 'related-to', s.id as string));
      objects.push(rel(iid, 'related-to', incidentId));
    }
  }
  return { type: 'bundle', id: `bundle--${nameUuid(`case:${c.id}:${modified}`)}`, objects };
}

export async function exportCaseMisp(db: DbOrTx, actor: Actor, caseId: string) {
  const { c, obs, org } = await load(db, actor, caseId);
  return { filename: `${c.reference}.misp.json`, json: caseToMisp(c, obs, org) };
}
export async function exportCaseStix(db: DbOrTx, actor: Actor, caseId: string) {
  const { c, obs, org } = await load(db, actor, caseId);
  return { filename: `${c.reference}.stix.json`, json: caseToStix(c, obs, org) };
}
