/**
 * Demo threat intelligence from a generator: a clearly fictional STIX 2.1 world (every name says
 * "demo"/"fictional"; indicators only on documentation IP ranges 192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24 and 2001:db8::/32, example.com/.net/.org domains, hashes of fixed demo strings)
 * shared by the demo CSIRTs with varied TLP and scopes:
 *  - the hub publishes TLP:CLEAR context (actors, malware, campaigns, attack patterns) to the public;
 *  - each national CSIRT shares TLP:GREEN indicators with the network, TLP:AMBER ones with its own
 *    organisation or with named neighbours, and (Jamaica) one TLP:RED note for its org admin only;
 *  - the energy sector CSIRT shares TLP:AMBER indicators with its sharing group (when the demo has it);
 *  - relationships (indicates, uses, attributed-to, targets) and sightings tie them together.
 * Ids and timestamps are derived from fixed keys, and everything goes through the store's own ingest
 * (validation, markings, audit): loading again reports every object "unchanged" and adds nothing.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../core/tlp.ts';
import type { Scope } from '../core/visibility.ts';
import { ingestBundle } from '../intel/ingest.command.ts';
import { demoId } from './data.ts';

type Stix = Record<string, unknown> & { type: string; id: string };
type DemoBundle = { key: string; org: string; user: string; scope: Scope; tlp: Tlp; scopeOrgs?: string[]; group?: string; objects: Stix[] };

/** The demo's energy-sector sharing group (created by the messaging demo); used when it exists. */
const ENERGY_GROUP_KEY = 'group:energy';

const sid = (type: string, key: string) => `${type}--${demoId(`intel:${type}:${key}`)}`;
/** A fixed instant per key within 2025 (millisecond precision, as STIX wants). */
const when = (key: string, days = 0): string => {
  const h = parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16);
  return new Date(Date.UTC(2025, 0, 1) + (h % 300 + days) * 86_400_000 + (h % 86_400) * 1000).toISOString();
};
const marked = (tlp: Tlp) => ({ object_marking_refs: [TLP2_MARKING_IDS[tlp]] });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sdo(type: string, key: string, tlp: Tlp, props: Record<string, unknown>): Stix {
  const created = when(`${type}:${key}`);
  return { type, spec_version: '2.1', id: sid(type, key), created, modified: created, ...props, ...marked(tlp) };
}
function rel(key: string, source: string, type: string, target: string, tlp: Tlp): Stix {
  return sdo('relationship', key, tlp, { relationship_type: type, source_ref: source, target_ref: target });
}

// Hub context: public, TLP:CLEAR.
const ACTORS = [
  ['paper-jaguar', 'DEMO Paper Jaguar (fictional actor)', 'crime-syndicate', 'Fictional financially motivated group used in Hemisphere demos.'],
  ['silent-condor', 'DEMO Silent Condor (fictional actor)', 'nation-state', 'Fictional espionage actor used in Hemisphere demos.'],
  ['reef-shark', 'DEMO Reef Shark (fictional actor)', 'hacktivist', 'Fictional hacktivist collective used in Hemisphere demos.'],
] as const;
const MALWARE = [
  ['quetzal-loader', 'DEMO QuetzalLoader (fictional)', ['dropper'], 'paper-jaguar'],
  ['andes-rat', 'DEMO AndesRAT (fictional)', ['remote-access-trojan'], 'silent-condor'],
  ['cenote-locker', 'DEMO CenoteLocker (fictional)', ['ransomware'], 'paper-jaguar'],
  ['mangrove-wiper', 'DEMO MangroveWiper (fictional)', ['wiper'], 'reef-shark'],
] as const;
const CAMPAIGNS = [
  ['harbour-fog', 'DEMO Operation Harbour Fog (fictional)', 'silent-condor'],
  ['invoice-rain', 'DEMO Invoice Rain phishing wave (fictional)', 'paper-jaguar'],
  ['dark-carnival', 'DEMO Dark Carnival defacements (fictional)', 'reef-shark'],
] as const;

function hubBundle(): DemoBundle {
  const o: Stix[] = [sdo('identity', 'hub', 'clear', { name: 'Hemisphere Demo Hub (fictional)', identity_class: 'organization' })];
  for (const [k, name, kind, description] of ACTORS) {
    o.push(sdo('threat-actor', k, 'clear', { name, description, threat_actor_types: [kind], created_by_ref: sid('identity', 'hub') }));
  }
  for (const [k, name, types, actor] of MALWARE) {
    o.push(sdo('malware', k, 'clear', { name, is_family: true, malware_types: [...types], description: `${name}: demo data only.`, created_by_ref: sid('identity', 'hub') }));
    o.push(rel(`uses:${actor}:${k}`, sid('threat-actor', actor), 'uses', sid('malware', k), 'clear'));
  }
  for (const [k, name, actor] of CAMPAIGNS) {
    o.push(sdo('campaign', k, 'clear', { name, first_seen: when(`campaign:${k}`, -20), objective: 'Fictional objective for demonstrations.', created_by_ref: sid('identity', 'hub') }));
    o.push(rel(`attributed:${k}`, sid('campaign', k), 'attributed-to', sid('threat-actor', actor), 'clear'));
  }
  o.push(sdo('attack-pattern', 'spearphishing', 'clear', {
    name: 'DEMO Spearphishing attachment (fictional write-up)',
    external_references: [{ source_name: 'mitre-attack', external_id: 'T1566.001', url: 'https://attack.mitre.org/techniques/T1566/001/' }],
  }));
  o.push(rel('uses:invoice-rain:spearphishing', sid('campaign', 'invoice-rain'), 'uses', sid('attack-pattern', 'spearphishing'), 'clear'));
  o.push(sdo('vulnerability', 'demo-vuln', 'clear', {
    name: 'CVE-2099-0001', description: 'Fictional vulnerability of a demo VPN appliance (the identifier is not real).',
  }));
  o.push(rel('targets:harbour-fog:vuln', sid('campaign', 'harbour-fog'), 'targets', sid('vulnerability', 'demo-vuln'), 'clear'));
  return { key: 'hub', org: 'hub', user: 'coordinator', scope: 'public', tlp: 'clear', objects: o };
}

const NETS = ['192.0.2', '198.51.100', '203.0.113'];
const CC = ['AR', 'BR', 'CL', 'CO', 'CR', 'DO', 'EC', 'GT', 'JM', 'MX', 'PE', 'HT'];

/** Indicators of one CSIRT for one malware family, on documentation ranges and example domains. */
function indicators(cc: string, i: number, tlp: Tlp, n: number, tag: string): Stix[] {
  const c = cc.toLowerCase();
  const out: Stix[] = [];
  for (let j = 0; j < n; j++) {
    const [family, familyName] = MALWARE[(i + j) % MALWARE.length]!;
    const key = `${cc}:${tag}:${j}`;
    const ip = `${NETS[(i + j) % 3]}.${(i * 17 + j * 5) % 250 + 2}`;
    const kind = j % 5;
    const [pattern, label] = [
      [`[ipv4-addr:value = '${ip}']`, `C2 server ${ip}`],
      [`[domain-name:value = 'update-${c}${j}.example.net']`, `Loader domain update-${c}${j}.example.net`],
      [`[url:value = 'https://login-${c}.example.com/portal/${j}/verify']`, `Phishing page on login-${c}.example.com`],
      [`[file:hashes.'SHA-256' = '${sha256(`hemisphere-demo:${key}`)}']`, `${familyName} sample`],
      [`[email-addr:value = 'invoices-${c}${j}@example.org'] OR [ipv6-addr:value = '2001:db8:${(i + 1).toString(16)}::${j + 1}']`, `Phishing sender and relay`],
    ][kind]!;
    const ind = sdo('indicator', key, tlp, {
      name: `DEMO ${cc}: ${label} (fictional)`, pattern, pattern_type: 'stix', valid_from: when(`indicator:${key}`),
      indicator_types: ['malicious-activity'], created_by_ref: sid('identity', cc), labels: ['demo'],
    });
    out.push(ind, rel(`indicates:${key}`, ind.id, 'indicates', sid('malware', family), tlp));
    if (j === 0) out.push(rel(`indicates-campaign:${key}`, ind.id, 'indicates', sid('campaign', CAMPAIGNS[i % CAMPAIGNS.length]![0]), tlp));
  }
  return out;
}

function sighting(key: string, of: string, where: string, count: number, tlp: Tlp): Stix {
  const first = when(`sighting:${key}`);
  return sdo('sighting', key, tlp, { sighting_of_ref: of, where_sighted_refs: [where], count, first_seen: first, last_seen: when(`sighting:${key}`, 3) });
}

function csirtBundles(): DemoBundle[] {
  const out: DemoBundle[] = [];
  CC.forEach((cc, i) => {
    const org = `csirt-${cc}`;
    const user = `admin-${cc.toLowerCase()}`;
    const identity = sdo('identity', cc, 'green', { name: `Fictional National CSIRT of ${cc} (demo)`, identity_class: 'organization', sectors: ['government'] });
    const green = indicators(cc, i, 'green', 4, 'net');
    // Sightings: this team saw a hub campaign's indicator of its neighbour and a malware family.
    const neighbour = CC[(i + 1) % CC.length]!;
    green.push(sighting(`${cc}:malware`, sid('malware', MALWARE[i % MALWARE.length]![0]), identity.id, 2 + (i % 4), 'green'));
    green.push(sighting(`${cc}:neighbour`, sid('indicator', `${neighbour}:net:0`), identity.id, 1 + (i % 3), 'green'));
    out.push({ key: `${cc}:net`, org, user, scope: 'network', tlp: 'green', objects: [identity, ...green] });
    out.push({ key: `${cc}:own`, org, user, scope: 'org', tlp: 'amber', objects: indicators(cc, i, 'amber', 2, 'own') });
    out.push({
      key: `${cc}:pair`, org, user, scope: 'orgs', tlp: 'amber', scopeOrgs: [`csirt-${neighbour}`],
      objects: indicators(cc, i, 'amber+strict', 1, 'pair'),
    });
  });
  // One TLP:RED note, for the Jamaican team's org admin only (the uploader).
  out.push({
    key: 'JM:red', org: 'csirt-JM', user: 'admin-jm', scope: 'org', tlp: 'red',
    objects: [sdo('note', 'JM:red', 'red', {
      abstract: 'DEMO: source protection note (fictional)', content: 'Fictional TLP:RED demo note: the informant behind the Harbour Fog report must not be named.',
      object_refs: [sid('campaign', 'harbour-fog')],
    })],
  });
  // The energy sector team shares an indicator with the network too.
  out.push({ key: 'energy', org: 'sec-energy', user: 'energy', scope: 'network', tlp: 'green', objects: indicators('EN', 3, 'green', 2, 'grid') });
  // For the energy sector's sharing group (loaded only when the demo has that group).
  out.push({ key: 'energy:group', org: 'sec-energy', user: 'energy', scope: 'group', tlp: 'amber', group: ENERGY_GROUP_KEY, objects: indicators('EG', 5, 'amber', 2, 'grid') });
  return out;
}

/** Every demo bundle, generated (pure: same output on every run and machine). */
export function demoIntelBundles(): DemoBundle[] {
  return [hubBundle(), ...csirtBundles()];
}

export async function loadIntelDemo(db: Db, inserted: Record<string, number>): Promise<void> {
  inserted.stixObjects = 0;
  for (const b of demoIntelBundles()) {
    const actor = await loadUserActor(db, demoId(`user:${b.user}`), { via: 'session', sessionId: 'demo-loader' });
    if (!actor) throw new Error(`The demo user ${b.user} is missing`);
    const groupId = b.group ? demoId(b.group) : null;
    if (groupId && (actor.kind !== 'user' || !actor.groupIds.includes(groupId))) continue;
    const text = JSON.stringify({ type: 'bundle', id: `bundle--${demoId(`intel:bundle:${b.key}`)}`, objects: b.objects });
    const report = await ingestBundle(db, { actor, requestId: 'demo-load' }, (async function* () { yield text; })(), {
      ownerOrgId: demoId(b.org), scope: b.scope, tlpDefault: b.tlp, scopeOrgIds: b.scopeOrgs?.map((k) => demoId(k)), sharingGroupId: groupId,
    });
    const bad = report.results.filter((r) => r.status === 'rejected' || r.status === 'conflict');
    if (bad.length) throw new Error(`Demo intel bundle ${b.key}: ${JSON.stringify(bad.slice(0, 3))}`);
    inserted.stixObjects += report.counts.added;
  }
}
