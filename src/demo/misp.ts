/**
 * Demo MISP events (fictional; documentation address ranges and example domains only), imported
 * through the real MISP import as the analysts who would bring them:
 *  - the Jamaica CSIRT's "phishing wave against regional banks" (TLP:GREEN, distribution "this
 *    community" → shared with the network; one attribute kept to the organisation), with a MISP
 *    `file` object, an object reference, tags and a sighting;
 *  - the Haiti CSIRT's "ransomware loader" (TLP:AMBER, distribution "your organisation only").
 * Idempotent: fixed uuids and timestamps, so a second load reports the events unchanged.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/client.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import { importMispEvent } from '../intel/misp/import.command.ts';
import { demoId } from './data.ts';

const TS = '1717243200'; // 2024-06-01
const u = (key: string) => demoId(`misp:${key}`);
const attr = (key: string, type: string, category: string, value: string, extra: Record<string, unknown> = {}) =>
  ({ uuid: u(key), type, category, value, to_ids: true, distribution: '5', timestamp: TS, comment: '', ...extra });

export const DEMO_MISP_EVENTS: { user: string; org: string; tlp: 'green' | 'amber'; scope: 'network' | 'org'; event: Record<string, unknown> }[] = [
  {
    user: 'analyst-jm', org: 'csirt-JM', tlp: 'green', scope: 'network',
    event: {
      uuid: u('event:phishing'), info: 'Phishing wave against regional banks (demo, fictional)', date: '2024-06-01', timestamp: TS,
      publish_timestamp: TS, published: true, analysis: '2', threat_level_id: '2', distribution: '1',
      Orgc: { name: 'Fictional National CSIRT of Jamaica', uuid: demoId('csirt-JM') },
      Tag: [{ name: 'tlp:green' }, { name: 'PAP:GREEN' }, { name: 'rsit:fraud="phishing"' }],
      Attribute: [
        attr('a1', 'domain', 'Network activity', 'secure-login.bank-demo.example'),
        attr('a2', 'url', 'Network activity', 'https://secure-login.bank-demo.example/verify'),
        attr('a3', 'ip-dst', 'Network activity', '198.51.100.45', { Sighting: [{ uuid: u('s1'), date_sighting: TS, type: '0', source: 'demo' }] }),
        attr('a4', 'email-src', 'Payload delivery', 'alerts@bank-demo.example'),
        attr('a5', 'ip-dst', 'Network activity', '203.0.113.200', { distribution: '0', comment: 'internal honeypot hit: kept to our organisation' }),
        attr('a6', 'comment', 'Other', 'Lure in English and Spanish; targets online banking customers', { to_ids: false }),
      ],
      Object: [{
        uuid: u('o1'), name: 'file', meta_category: 'file', template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', template_version: '22',
        timestamp: TS, distribution: '5', comment: 'attachment of the phishing e-mail',
        Attribute: [
          attr('o1a1', 'filename', 'Payload delivery', 'statement_june.pdf.exe', { object_relation: 'filename' }),
          attr('o1a2', 'sha256', 'Payload delivery', 'a3f5c0d9e1b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2', { object_relation: 'sha256' }),
        ],
        ObjectReference: [{ uuid: u('r1'), referenced_uuid: u('a2'), relationship_type: 'downloaded-from', timestamp: TS }],
      }],
    },
  },
  {
    user: 'analyst-ht', org: 'csirt-HT', tlp: 'amber', scope: 'org',
    event: {
      uuid: u('event:loader'), info: 'Ransomware loader seen at a ministry (demo, fictional)', date: '2024-06-03', timestamp: TS,
      analysis: '1', threat_level_id: '1', distribution: '0',
      Orgc: { name: 'Fictional National CSIRT of Haiti', uuid: demoId('csirt-HT') },
      Tag: [{ name: 'tlp:amber' }, { name: 'rsit:malicious-code="ransomware"' }],
      Attribute: [
        attr('b1', 'ip-dst', 'Network activity', '192.0.2.77'),
        attr('b2', 'hostname', 'Network activity', 'update-check.loader-demo.example'),
        attr('b3', 'md5', 'Payload delivery', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'),
        attr('b4', 'mutex', 'Artifacts dropped', 'Global\\demo-loader-7731'),
      ],
    },
  },
];

export async function loadMispDemo(db: Db, inserted: Record<string, number>): Promise<void> {
  inserted.mispEvents = 0;
  for (const d of DEMO_MISP_EVENTS) {
    // Already there: skip (a re-import would store nothing new but still audit the attempt).
    const [known] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM misp_events
      WHERE owner_org_id = ${demoId(d.org)}::uuid AND event_uuid = ${d.event.uuid as string}::uuid AND misp_timestamp >= ${Number(TS)}`);
    if (known!.n > 0) continue;
    const actor = await loadUserActor(db, demoId(`user:${d.user}`), { via: 'session', sessionId: 'demo-loader' });
    if (!actor) throw new Error(`The demo user ${d.user} is missing`);
    const r = await importMispEvent(db, { actor, requestId: 'demo-load' }, d.event, { ownerOrgId: demoId(d.org), scope: d.scope, tlpDefault: d.tlp, source: 'demo' });
    if (r.status === 'failed' || r.stored.rejected + r.stored.conflict > 0) throw new Error(`Demo MISP event ${d.event.uuid}: ${JSON.stringify(r.problems.slice(0, 3))}`);
    if (r.status === 'imported') inserted.mispEvents += 1;
  }
}
