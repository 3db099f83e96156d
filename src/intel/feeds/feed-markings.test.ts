/**
 * What a pulled feed's objects become: a remote object's own TLP:AMBER / AMBER+STRICT names the
 * subscribing organisation as its recipient, so it stays with that organisation even when the feed
 * shares its other objects with the whole network or a sharing group; RED reaches only the feed's
 * creator; CLEAR/GREEN take the feed's scope. A feed can never change another organisation's copy of
 * an object.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../../auth/test-helpers.ts';
import { loadUserActor } from '../../auth/actor-loader.ts';
import { rows } from '../../db/client.ts';
import { ingestBundle } from '../ingest.command.ts';
import { bundleOf, chunks } from '../test/fixtures.ts';
import { indicator, sharingGroupOf } from '../taxii/test-support.ts';
import { secretBoxFor } from '../../crypto/secret-box.ts';
import { createFeed } from './feeds.command.ts';
import { pullFeed } from './pull.command.ts';

let p: TestPlatform;
let owner: TestUser; // subscribes (org S)
let colleague: TestUser; // org S
let other: TestUser; // another network team (org O), in the sharing group too
let server: http.Server;
let served: unknown[] = [];
let url: string;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', WORKERS: 'false', FEEDS_ALLOW_PRIVATE: '127.0.0.1' });
  const db = p.database.db;
  owner = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  colleague = await createTestUser(db, { org: { orgId: owner.orgId, role: 'observer' } });
  other = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' });
    res.end(JSON.stringify({ objects: served }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/collections/x/`;
});
after(async () => {
  server.close();
  await p.close();
});

const stored = async (stixId: string) => rows<{ owner_org_id: string; scope: string; tlp: string; recipient_user_ids: string[]; raw: string }>(p.database.db, sql`
  SELECT owner_org_id, scope, tlp, recipient_user_ids, raw FROM stix_objects WHERE stix_id = ${stixId} ORDER BY date_added`);
const status = async (u: TestUser, stixId: string) => (await apiClient(p.url, await sessionFor(p.database.db, u.id))(`/api/intel/objects/${stixId}`)).status;

for (const shared of ['network', 'group'] as const) {
  test(`a feed shared with the ${shared}: remote AMBER and AMBER+STRICT stay with the subscribing team, RED with the feed's creator`, async () => {
    const db = p.database.db;
    const groupId = shared === 'group' ? await sharingGroupOf(db, `feed group ${crypto.randomUUID()}`, [owner.orgId!, other.orgId!]) : null;
    const actor = (await loadUserActor(db, owner.id, { via: 'session', sessionId: 'test' }))!;
    const feed = await createFeed(db, secretBoxFor(p.config), { actor }, {
      orgId: owner.orgId!, name: `shared feed ${shared}`, kind: 'taxii', url, tlpDefault: 'green', scope: shared, sharingGroupId: groupId, intervalMinutes: 60,
    });
    const objs = { green: indicator({ tlp: 'green' }), unmarked: indicator(), amber: indicator({ tlp: 'amber' }), strict: indicator({ tlp: 'amber+strict' }), red: indicator({ tlp: 'red' }) };
    served = Object.values(objs);
    const out = await pullFeed(db, secretBoxFor(p.config), feed.id, p.config.feeds);
    assert.equal(out.ok, true, out.error ?? '');
    assert.equal(out.added, 5);
    for (const [k, o] of Object.entries(objs)) {
      const [row] = await stored(o.id);
      assert.equal(row!.owner_org_id, owner.orgId, k);
      const orgOnly = k === 'amber' || k === 'strict';
      if (k !== 'red') assert.equal(row!.scope, orgOnly ? 'org' : shared, `${k} scope`);
      const otherSees = k === 'green' || k === 'unmarked';
      assert.equal(await status(other, o.id), otherSees ? 200 : 404, `another team reads ${k}`);
      assert.equal(await status(colleague, o.id), k === 'red' ? 404 : 200, `the subscribing team reads ${k}`);
    }
    assert.equal(await status(owner, objs.red.id), 200, 'the feed creator reads RED');
  });
}

test("a feed cannot change another organisation's copy of an object (same id, newer version, other content)", async () => {
  const db = p.database.db;
  const mine = indicator({ tlp: 'green', name: 'Original by the other team' });
  const otherActor = (await loadUserActor(db, other.id, { via: 'session', sessionId: 'test' }))!;
  const r = await ingestBundle(db, { actor: otherActor }, chunks(bundleOf([mine]), 500), { ownerOrgId: other.orgId!, scope: 'network', tlpDefault: 'green' });
  assert.equal(r.counts.added, 1);
  const actor = (await loadUserActor(db, owner.id, { via: 'session', sessionId: 'test' }))!;
  const feed = await createFeed(db, secretBoxFor(p.config), { actor }, { orgId: owner.orgId!, name: 'overwriting feed', kind: 'taxii', url, tlpDefault: 'green', scope: 'org', intervalMinutes: 60 });
  served = [{ ...mine, name: 'Replaced by a feed', modified: '2030-01-01T00:00:00.000Z', revoked: true }, { ...mine, name: 'Same version, other content' }];
  const out = await pullFeed(db, secretBoxFor(p.config), feed.id, p.config.feeds);
  assert.equal(out.ok, true, out.error ?? '');
  const copies = await stored(mine.id);
  const theirs = copies.filter((c) => c.owner_org_id === other.orgId);
  assert.equal(theirs.length, 1, 'the other team still has exactly its own version');
  assert.equal(JSON.parse(theirs[0]!.raw).name, 'Original by the other team');
  assert.ok(copies.filter((c) => c.owner_org_id !== other.orgId).every((c) => c.owner_org_id === owner.orgId && c.scope === 'org'), "the feed's copies are the subscriber's own");
});

test('a MISP feed shared with the network: remote AMBER events and attributes stay with the subscribing team, GREEN ones take the feed scope', async () => {
  const db = p.database.db;
  const ev = {
    uuid: crypto.randomUUID(), info: 'remote amber event', date: '2024-05-01', timestamp: '1714521600', distribution: '3', Tag: [{ name: 'tlp:amber' }],
    Attribute: [
      { uuid: crypto.randomUUID(), type: 'ip-dst', category: 'Network activity', value: '198.51.100.201', to_ids: true, distribution: '5', timestamp: '1714521600' },
      { uuid: crypto.randomUUID(), type: 'ip-dst', category: 'Network activity', value: '198.51.100.202', to_ids: true, distribution: '5', timestamp: '1714521600', Tag: [{ name: 'tlp:green' }] },
    ],
  };
  const misp = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.endsWith('manifest.json') ? JSON.stringify({ [ev.uuid]: { info: ev.info, timestamp: ev.timestamp } }) : JSON.stringify({ Event: ev }));
  });
  await new Promise<void>((r) => misp.listen(0, '127.0.0.1', r));
  try {
    const actor = (await loadUserActor(db, owner.id, { via: 'session', sessionId: 'test' }))!;
    const feed = await createFeed(db, secretBoxFor(p.config), { actor }, {
      orgId: owner.orgId!, name: 'shared misp feed', kind: 'misp', url: `http://127.0.0.1:${(misp.address() as AddressInfo).port}/feed/`,
      tlpDefault: 'green', scope: 'network', intervalMinutes: 60,
    });
    const out = await pullFeed(db, secretBoxFor(p.config), feed.id, p.config.feeds);
    assert.equal(out.ok, true, out.error ?? '');
    const byValue = await rows<{ title: string; scope: string; tlp: string; stix_id: string }>(db, sql`
      SELECT title, scope, tlp, stix_id FROM stix_objects WHERE owner_org_id = ${owner.orgId}::uuid AND (title LIKE '%198.51.100.20%' OR type = 'report')`);
    const amber = byValue.filter((r) => r.tlp === 'amber');
    const green = byValue.filter((r) => r.tlp === 'green');
    assert.ok(amber.length >= 2, 'the event (report) and its untagged attribute are AMBER');
    assert.equal(green.length, 1, 'the attribute tagged GREEN');
    assert.deepEqual([...new Set(amber.map((r) => r.scope))], ['org'], 'AMBER stays with the subscribing team');
    assert.equal(green[0]!.scope, 'network');
    for (const r of amber) assert.equal(await status(other, r.stix_id), 404, `another team cannot read ${r.title}`);
    assert.equal(await status(other, green[0]!.stix_id), 200);
    for (const r of byValue) assert.equal(await status(colleague, r.stix_id), 200, `the subscribing team reads ${r.title}`);
  } finally {
    misp.close();
  }
});
