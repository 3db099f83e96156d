/**
 * HTTP for MISP import and the events pages: preview stores nothing; import stores and answers 201
 * (200 when nothing new); bad input of every kind gets a typed 4xx problem and changes nothing
 * (not JSON, no event, bad query, an organisation you are not in, no write scope, anonymous,
 * a private URL, bad page parameters, an unknown event).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { rows } from '../../db/client.ts';
import { tokenFor } from '../taxii/test-support.ts';

let p: TestPlatform;
let analyst: TestUser;
let other: TestUser;
let writer: string;
let reader: string;
const uuid = crypto.randomUUID();
const event = {
  Event: {
    uuid, info: 'Route test: phishing wave', date: '2024-03-01', timestamp: '1709251200', distribution: '1', Tag: [{ name: 'tlp:green' }],
    Attribute: Array.from({ length: 25 }, (_, i) => ({
      uuid: crypto.randomUUID(), type: i % 2 ? 'domain' : 'ip-dst', category: 'Network activity', to_ids: true, distribution: '5', timestamp: '1709251200',
      value: i % 2 ? `wave${i}.phish.example` : `192.0.2.${i}`,
    })),
  },
};

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.testDb.database.db;
  analyst = await createTestUser(db, { org: { networkMember: true } });
  other = await createTestUser(db, { org: { networkMember: true } });
  writer = await tokenFor(db, analyst.id, ['intel:read', 'intel:write']);
  reader = await tokenFor(db, analyst.id, ['intel:read']);
});
after(() => p.close());

const counts = async () => (await rows<{ o: number; e: number }>(p.testDb.database.db, sql`
  SELECT (SELECT count(*) FROM stix_objects)::int AS o, (SELECT count(*) FROM misp_events)::int AS e`))[0]!;
const post = (path: string, body: string, token: string | null = writer) =>
  fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
const get = (path: string, token: string | null = reader) => fetch(`${p.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

test('bad input to the import routes gets a typed 4xx and changes nothing', async () => {
  const start = await counts();
  const cases: [string, Promise<Response>, number, string][] = [
    ['not JSON', post('/api/intel/misp/import', '{"Event": '), 400, 'validation_failed'],
    ['no event', post('/api/intel/misp/import', '{"SharingGroup": []}'), 400, 'validation_failed'],
    ['unknown scope', post('/api/intel/misp/import?scope=everyone', JSON.stringify(event)), 400, 'validation_failed'],
    ['unknown TLP', post('/api/intel/misp/import?tlp=purple', JSON.stringify(event)), 400, 'validation_failed'],
    ['unknown query key', post('/api/intel/misp/import?x=1', JSON.stringify(event)), 400, 'validation_failed'],
    ['not my organisation', post(`/api/intel/misp/import?orgId=${other.orgId}`, JSON.stringify(event)), 403, 'forbidden'],
    ['group without being in it', post(`/api/intel/misp/import?scope=group&sharingGroupId=${crypto.randomUUID()}`, JSON.stringify(event)), 403, 'forbidden'],
    ['read-only token', post('/api/intel/misp/import', JSON.stringify(event), reader), 403, 'forbidden'],
    ['anonymous', post('/api/intel/misp/import', JSON.stringify(event), null), 401, 'unauthenticated'],
    ['URL body with extra keys', post('/api/intel/misp/import-url', JSON.stringify({ url: 'https://example.org/x.json', extra: 1 })), 400, 'validation_failed'],
    ['private URL', post('/api/intel/misp/import-url', JSON.stringify({ url: 'http://127.0.0.1:9/manifest.json' })), 400, 'validation_failed'],
    ['not http', post('/api/intel/misp/import-url', JSON.stringify({ url: 'file:///etc/passwd' })), 400, 'validation_failed'],
  ];
  for (const [label, pending, status, code] of cases) {
    const res = await pending;
    const body = await json(res);
    assert.equal(res.status, status, `${label}: ${JSON.stringify(body)}`);
    assert.match(res.headers.get('content-type') ?? '', /problem\+json/, label);
    assert.equal(body.code, code, `${label}: ${JSON.stringify(body)}`);
  }
  assert.deepEqual(await counts(), start);
});

test('preview stores nothing; import answers 201 then 200; the event lists and pages; bad page input is typed', async () => {
  const start = await counts();
  const preview = await post('/api/intel/misp/import?preview=true&scope=network', JSON.stringify(event));
  assert.equal(preview.status, 200);
  const [pv] = (await json(preview)).preview;
  assert.equal(pv.uuid, uuid);
  assert.equal(pv.tlp, 'green');
  assert.equal(pv.counts.attributes, 25);
  assert.deepEqual(pv.scopes, { network: 26 }); // 25 indicators + the report (no Orgc: no identity)
  assert.deepEqual(await counts(), start);

  const first = await post('/api/intel/misp/import?scope=network', JSON.stringify(event));
  assert.equal(first.status, 201);
  const [r] = (await json(first)).events;
  assert.equal(r.status, 'imported');
  assert.equal(r.stored.added, 26);
  const again = await post('/api/intel/misp/import?scope=network', JSON.stringify(event));
  assert.equal(again.status, 200);
  assert.equal((await json(again)).events[0].status, 'unchanged');

  const list = (await json(await get('/api/intel/misp/events'))).items as { uuid: string; attributeCount: number; tlp: string; scope: string }[];
  assert.deepEqual(list.filter((e) => e.uuid === uuid).map((e) => [e.attributeCount, e.tlp, e.scope]), [[25, 'green', 'network']]);
  const last = await json(await get(`/api/intel/misp/events/${uuid}/attributes?page=2&size=10`));
  assert.deepEqual([last.page, last.pages, last.total, last.items.length], [2, 3, 25, 5]);
  assert.deepEqual(last.items.map((i: { ord: number }) => i.ord), [20, 21, 22, 23, 24]);
  assert.equal(last.items[0].attribute.value, '192.0.2.20');
  const beyond = await json(await get(`/api/intel/misp/events/${uuid}/attributes?page=9&size=10`));
  assert.deepEqual(beyond.items, []);
  for (const [q, status] of [['page=-1', 400], ['size=0', 400], ['size=1001', 400], ['page=x', 400], ['foo=1', 400]] as const) {
    const res = await get(`/api/intel/misp/events/${uuid}/attributes?${q}`);
    assert.equal(res.status, status, q);
    assert.equal((await json(res)).code, 'validation_failed', q);
  }
  assert.equal((await get('/api/intel/misp/events/not-a-uuid/attributes')).status, 400);
  const unknown = await get(`/api/intel/misp/events/${crypto.randomUUID()}/attributes`);
  assert.equal(unknown.status, 404);
  assert.equal((await json(unknown)).code, 'not_found');
  // Another organisation's analyst outside the network scope? GREEN/network: a network member sees it.
  const otherToken = await tokenFor(p.testDb.database.db, other.id, ['intel:read']);
  assert.equal((await get(`/api/intel/misp/events/${uuid}/attributes`, otherToken)).status, 200);
  // Anonymous sees nothing of a GREEN event.
  assert.equal((await get(`/api/intel/misp/events/${uuid}/attributes`, null)).status, 404);
  assert.equal((await get('/api/intel/misp/feeds/nowhere/manifest.json', null)).status, 400);
});
