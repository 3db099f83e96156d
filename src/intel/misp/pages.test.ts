/**
 * Attribute pages of a large imported event: page k is exactly attributes k·size… in source order,
 * counts are of what the reader may see (O(marking groups), see events.query.ts), both when every
 * attribute shares one marking (key-range pages) and when some are marked for the owner only
 * (ranked pages); a TAXII DELETE of one attribute leaves pages dense and counts right. Correlation
 * and lookups see the imported observables without a separate indexing run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { rows } from '../../db/client.ts';
import { ROOT, taxiiClient, tokenFor } from '../taxii/test-support.ts';

let p: TestPlatform;
let owner: TestUser;
let reader: TestUser;
let ownerToken: string;
let readerToken: string;
const N = 250;
const valueOf = (e: string, i: number) => `198.18.${e === 'mixed' ? 1 : 0}.${i}`;
const orgOnly = (i: number) => i % 10 === 3; // every tenth attribute of the mixed event: distribution 0

function event(kind: 'uniform' | 'mixed') {
  return {
    uuid: crypto.randomUUID(), info: `pages ${kind}`, date: '2024-05-01', timestamp: '1714521600', distribution: '1', Tag: [{ name: 'tlp:green' }],
    Attribute: Array.from({ length: N }, (_, i) => ({
      uuid: crypto.randomUUID(), type: 'ip-dst', category: 'Network activity', value: valueOf(kind, i), to_ids: true, timestamp: '1714521600',
      distribution: kind === 'mixed' && orgOnly(i) ? '0' : '5',
    })),
  };
}
const uniform = event('uniform');
const mixed = event('mixed');

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.testDb.database.db;
  owner = await createTestUser(db, { org: { networkMember: true } });
  reader = await createTestUser(db, { org: { networkMember: true } });
  ownerToken = await tokenFor(db, owner.id, ['intel:read', 'intel:write', 'taxii']);
  readerToken = await tokenFor(db, reader.id, ['intel:read']);
  for (const e of [uniform, mixed]) {
    const res = await fetch(`${p.url}/api/intel/misp/import?orgId=${owner.orgId}&scope=network&tlp=amber`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` }, body: JSON.stringify({ Event: e }),
    });
    assert.equal(res.status, 201, await res.text());
  }
});
after(() => p.close());

const page = async (uuid: string, k: number, token: string, size = 100) => {
  const res = await fetch(`${p.url}/api/intel/misp/events/${uuid}/attributes?page=${k}&size=${size}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return (await json(res)) as { total: number; pages: number; items: { ord: number; attribute: { value: string } }[] };
};
const allValues = async (uuid: string, token: string) => {
  const first = await page(uuid, 0, token);
  const out = [...first.items];
  for (let k = 1; k < first.pages; k++) out.push(...(await page(uuid, k, token)).items);
  assert.deepEqual(out.map((i) => i.ord), [...Array(first.total).keys()], 'ords are dense and in order');
  return { total: first.total, values: out.map((i) => i.attribute.value) };
};

test('one marking for all: every page is the source range; counts in the list', async () => {
  const want = Array.from({ length: N }, (_, i) => valueOf('uniform', i));
  for (const token of [ownerToken, readerToken]) assert.deepEqual(await allValues(uniform.uuid, token), { total: N, values: want });
  const last = await page(uniform.uuid, 2, readerToken);
  assert.equal(last.items.length, 50);
  assert.equal(last.items[0]!.ord, 200);
  assert.equal((await page(uniform.uuid, 3, readerToken)).items.length, 0, 'past the end: empty');
  const [ev] = await rows<{ marking_classes: unknown[] }>(p.testDb.database.db, sql`SELECT marking_classes FROM misp_events WHERE event_uuid = ${uniform.uuid}::uuid`);
  assert.equal(ev!.marking_classes.length, 1, 'attributes, event report and identity share one marking');
});

test('organisation-only attributes: counted and paged for the owner only, numbering dense for both', async () => {
  const everything = Array.from({ length: N }, (_, i) => valueOf('mixed', i));
  assert.deepEqual(await allValues(mixed.uuid, ownerToken), { total: N, values: everything });
  const visible = everything.filter((_, i) => !orgOnly(i));
  assert.deepEqual(await allValues(mixed.uuid, readerToken), { total: visible.length, values: visible });
  const list = (await json(await fetch(`${p.url}/api/intel/misp/events?limit=50`, { headers: { authorization: `Bearer ${readerToken}` } }))).items as { uuid: string; attributeCount: number }[];
  assert.equal(list.find((e) => e.uuid === mixed.uuid)!.attributeCount, visible.length);
});

test('a deleted attribute leaves dense pages and right counts', async () => {
  const db = p.testDb.database.db;
  const [victim] = await rows<{ stix_id: string }>(db, sql`
    SELECT s.stix_id FROM misp_event_items i JOIN misp_events e ON e.id = i.event_id JOIN stix_objects s ON s.seq = i.object_seq
    WHERE e.event_uuid = ${uniform.uuid}::uuid AND i.kind = 'attribute' AND i.ord = 5`);
  const del = await taxiiClient(p.url, ownerToken)(`${ROOT}/collections/${owner.orgId}/objects/${victim!.stix_id}/`, { method: 'DELETE' });
  assert.equal(del.status, 200, await del.text());
  const [orphans] = await rows<{ obs: number; items: number }>(db, sql`
    SELECT (SELECT count(*) FROM intel_observables o WHERE NOT EXISTS (SELECT 1 FROM stix_objects s WHERE s.seq = o.object_seq))::int AS obs,
      (SELECT count(*) FROM misp_event_items i WHERE NOT EXISTS (SELECT 1 FROM stix_objects s WHERE s.seq = i.object_seq))::int AS items`);
  assert.deepEqual(orphans, { obs: 0, items: 0 }, 'the deleted row\'s observables and event membership went with it');
  const want = Array.from({ length: N }, (_, i) => valueOf('uniform', i)).filter((_, i) => i !== 5);
  for (const token of [ownerToken, readerToken]) assert.deepEqual(await allValues(uniform.uuid, token), { total: N - 1, values: want });
});

test('imported observables are correlated and looked up at once (indexed in the import transaction)', async () => {
  const db = p.testDb.database.db;
  const [st] = await rows<{ indexed: boolean }>(db, sql`
    SELECT (SELECT last_seq FROM intel_index_state WHERE name = 'observables') >= (SELECT max(seq) FROM stix_objects) AS indexed`);
  assert.equal(st!.indexed, true, 'the watermark is past every stored row');
  const res = await fetch(`${p.url}/api/intel/lookup`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${readerToken}` }, body: JSON.stringify({ values: [valueOf('uniform', 7), valueOf('mixed', 3)] }),
  });
  assert.equal(res.status, 200);
  const body = await json(res);
  const counts = (body.results as { matchCount: number }[]).map((r) => r.matchCount);
  assert.ok(counts[0]! > 0, 'the shared attribute is found');
  assert.equal(counts[1], 0, 'the organisation-only attribute is not found by another organisation');
});
