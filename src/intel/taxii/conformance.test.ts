/**
 * TAXII 2.1 conformance: discovery, API root, collections per actor, objects GET/POST with every
 * filter, one object, versions, manifest, DELETE, status resources, media types (406/415), 413,
 * 400/401/403/404 with the TAXII error resource, date-added headers, stable paging, Basic and Bearer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { ALL_COLLECTION_ID, NETWORK_COLLECTION_ID, PUBLIC_COLLECTION_ID } from './collections.ts';
import { envelopeOf, indicator, ROOT, sharingGroupOf, stixId, TAXII, taxiiClient, tokenFor } from './test-support.ts';

const MAX = 64 * 1024;
let p: TestPlatform;
let alice: TestUser; // CSIRT A (network member), in group G
let bob: TestUser; // CSIRT B (network member), not in G
let carol: TestUser; // private company (not a network member)
let tokA: string, tokB: string, tokC: string;
let group: string;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', TAXII_MAX_CONTENT_LENGTH: String(MAX) });
  const db = p.testDb.database.db;
  alice = await createTestUser(db, { org: { networkMember: true } });
  bob = await createTestUser(db, { org: { networkMember: true } });
  carol = await createTestUser(db, { org: { networkMember: false } });
  group = await sharingGroupOf(db, 'Energy sector', [alice.orgId!]);
  [tokA, tokB, tokC] = await Promise.all([tokenFor(db, alice.id), tokenFor(db, bob.id), tokenFor(db, carol.id)]);
});
after(() => p.close());

const expectTaxiiError = async (res: Response, status: number) => {
  assert.equal(res.status, status, await res.clone().text());
  assert.equal(res.headers.get('content-type'), TAXII);
  const body = await json(res);
  assert.equal(body.http_status, String(status));
  assert.equal(typeof body.title, 'string');
  return body;
};

test('discovery and API root: TAXII media type, api_roots, versions, max_content_length', async () => {
  const c = taxiiClient(p.url, tokA);
  const d = await c('/taxii2/');
  assert.equal(d.status, 200);
  assert.equal(d.headers.get('content-type'), TAXII);
  const disc = await json(d);
  assert.equal(disc.default, `${p.config.publicUrl}${ROOT}/`);
  assert.deepEqual(disc.api_roots, [`${p.config.publicUrl}${ROOT}/`]);
  const r = await json(await c(`${ROOT}/`));
  assert.deepEqual(r.versions, [TAXII]);
  assert.equal(r.max_content_length, MAX);
});

test('authentication: 401 without or with a wrong token, Basic and Bearer both work, 403 without the taxii scope', async () => {
  await expectTaxiiError(await taxiiClient(p.url, null)('/taxii2/'), 401);
  await expectTaxiiError(await taxiiClient(p.url, 'hs_not-a-real-token')(`${ROOT}/collections/`), 401);
  assert.equal((await taxiiClient(p.url, tokA, 'basic')(`${ROOT}/collections/`)).status, 200);
  assert.equal((await taxiiClient(p.url, tokA, 'bearer')(`${ROOT}/collections/`)).status, 200);
  const readOnly = await tokenFor(p.testDb.database.db, alice.id, ['read']);
  await expectTaxiiError(await taxiiClient(p.url, readOnly)(`${ROOT}/collections/`), 403);
});

test('content negotiation: 406 on a wrong Accept, accepted forms pass; 415 on a wrong Content-Type', async () => {
  const c = taxiiClient(p.url, tokA);
  await expectTaxiiError(await c(`${ROOT}/`, { headers: { accept: 'application/json' } }), 406);
  await expectTaxiiError(await c(`${ROOT}/`, { headers: { accept: 'application/taxii+json;version=2.0' } }), 406);
  for (const ok of ['application/taxii+json', '*/*', 'text/html, application/taxii+json;version=2.1;q=0.5']) {
    assert.equal((await c(`${ROOT}/`, { headers: { accept: ok } })).status, 200, ok);
  }
  const url = `${ROOT}/collections/${alice.orgId}/objects/`;
  await expectTaxiiError(await c(url, { body: envelopeOf([indicator()]), headers: { 'content-type': 'application/json' } }), 415);
  await expectTaxiiError(await c(url, { body: envelopeOf([indicator()]), headers: { 'content-type': 'application/stix+json;version=2.1' } }), 415);
});

test('413 over max_content_length, by Content-Length and by the bytes actually sent', async () => {
  const big = envelopeOf(Array.from({ length: 300 }, () => indicator()));
  assert.ok(big.length > MAX);
  await expectTaxiiError(await taxiiClient(p.url, tokA)(`${ROOT}/collections/${alice.orgId}/objects/`, { body: big }), 413);
  // Chunked (no Content-Length): counted while streaming.
  const u = new URL(`${p.url}${ROOT}/collections/${alice.orgId}/objects/`);
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(u, { method: 'POST', headers: { authorization: `Bearer ${tokA}`, accept: TAXII, 'content-type': TAXII, 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (let i = 0; i < big.length; i += 8192) req.write(big.slice(i, i + 8192));
    req.end();
  });
  assert.equal(status, 413);
});

test('collections depend on the actor; another organisation\'s or an unknown collection is 404', async () => {
  const ids = async (tok: string) => (await json(await taxiiClient(p.url, tok)(`${ROOT}/collections/`))).collections.map((c: { id: string }) => c.id);
  const a = await ids(tokA);
  assert.deepEqual(new Set(a), new Set([ALL_COLLECTION_ID, PUBLIC_COLLECTION_ID, NETWORK_COLLECTION_ID, alice.orgId, group]));
  const b = await ids(tokB);
  assert.deepEqual(new Set(b), new Set([ALL_COLLECTION_ID, PUBLIC_COLLECTION_ID, NETWORK_COLLECTION_ID, bob.orgId]));
  const c = await ids(tokC);
  assert.ok(!c.includes(NETWORK_COLLECTION_ID), 'a non-network organisation has no network collection');
  const one = await json(await taxiiClient(p.url, tokA)(`${ROOT}/collections/${alice.orgId}/`));
  assert.equal(one.can_write, true);
  assert.deepEqual(one.media_types, ['application/stix+json;version=2.1']);
  const all = await json(await taxiiClient(p.url, tokA)(`${ROOT}/collections/${ALL_COLLECTION_ID}/`));
  assert.equal(all.can_write, false);
  await expectTaxiiError(await taxiiClient(p.url, tokB)(`${ROOT}/collections/${alice.orgId}/`), 404);
  await expectTaxiiError(await taxiiClient(p.url, tokB)(`${ROOT}/collections/${group}/objects/`), 404);
  await expectTaxiiError(await taxiiClient(p.url, tokA)(`${ROOT}/collections/not-a-collection/`), 404);
  await expectTaxiiError(await taxiiClient(p.url, tokA)(`${ROOT}/no-such-endpoint/`), 404);
});

test('POST returns a status with per-object successes and failures; the status is the poster\'s only', async () => {
  const c = taxiiClient(p.url, tokA);
  const good = indicator();
  const bad = { ...indicator(), pattern: "[ipv4-addr:value = '1.2.3.4'" };
  const res = await c(`${ROOT}/collections/${alice.orgId}/objects/`, { body: envelopeOf([good, bad]) });
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('content-type'), TAXII);
  const status = await json(res);
  assert.equal(status.status, 'complete');
  assert.equal(status.total_count, 2);
  assert.equal(status.success_count, 1);
  assert.equal(status.failure_count, 1);
  assert.equal(status.pending_count, 0);
  assert.deepEqual(status.successes.map((s: { id: string }) => s.id), [good.id]);
  assert.equal(status.failures[0].id, bad.id);
  assert.match(status.failures[0].message, /pattern/);
  const again = await json(await c(`${ROOT}/status/${status.id}/`));
  assert.deepEqual(again, status);
  await expectTaxiiError(await taxiiClient(p.url, tokB)(`${ROOT}/status/${status.id}/`), 404);
  // A read-only collection, and a token without intel:write, are 403.
  await expectTaxiiError(await c(`${ROOT}/collections/${ALL_COLLECTION_ID}/objects/`, { body: envelopeOf([indicator()]) }), 403);
  const taxiiOnly = await tokenFor(p.testDb.database.db, alice.id, ['taxii']);
  await expectTaxiiError(await taxiiClient(p.url, taxiiOnly)(`${ROOT}/collections/${alice.orgId}/objects/`, { body: envelopeOf([indicator()]) }), 403);
  // Not an envelope at all: 400.
  await expectTaxiiError(await c(`${ROOT}/collections/${alice.orgId}/objects/`, { body: '[1,2' }), 400);
});

test('objects: stable paging with limit/next, date-added headers, added_after, match[type|id|version|spec_version]', async () => {
  const c = taxiiClient(p.url, tokA);
  const coll = `${ROOT}/collections/${group}/objects/`;
  const versioned = stixId('indicator');
  const v1 = indicator({ id: versioned, modified: '2024-02-01T00:00:00.000Z' });
  const v2 = indicator({ id: versioned, modified: '2024-03-01T00:00:00.000Z' });
  const v3 = indicator({ id: versioned, modified: '2024-04-01T00:00:00.123Z' });
  const others = Array.from({ length: 5 }, () => indicator());
  const ip = { type: 'ipv4-addr', spec_version: '2.1', id: stixId('ipv4-addr'), value: '198.51.100.7' };
  const st = await json(await c(coll, { body: envelopeOf([v1, ...others, v2, ip, v3]) }));
  assert.equal(st.success_count, 9, JSON.stringify(st.failures));

  // Paging: limit=2 walks every object once, in date_added order, headers match each page.
  const seen: string[] = [];
  let next: string | undefined;
  let lastAdded = '';
  for (let i = 0; i < 10; i++) {
    const res = await c(`${coll}?limit=2${next ? `&next=${next}` : ''}`);
    assert.equal(res.status, 200);
    const env = await json(res);
    const first = res.headers.get('x-taxii-date-added-first');
    const last = res.headers.get('x-taxii-date-added-last');
    assert.ok(first && last && first <= last && first > lastAdded);
    lastAdded = last;
    seen.push(...env.objects.map((o: { id: string; modified?: string }) => `${o.id}@${o.modified ?? ''}`));
    if (!env.more) { assert.equal(env.next, undefined); break; }
    next = env.next;
  }
  assert.equal(seen.length, 7, 'default match[version]=last: one version per object');
  assert.equal(new Set(seen).size, 7);
  assert.ok(seen.includes(`${versioned}@${v3.modified}`));

  const get = async (q: string) => json(await c(`${coll}?${q}`));
  assert.deepEqual((await get('match[type]=ipv4-addr')).objects, [ip]);
  assert.equal((await get('match[type]=indicator,ipv4-addr')).objects.length, 7);
  assert.deepEqual((await get(`match[id]=${others[0]!.id}`)).objects, [others[0]]);
  const mod = async (q: string) => (await get(`match[id]=${versioned}&${q}`)).objects.map((o: { modified: string }) => o.modified);
  assert.deepEqual(await mod('match[version]=first'), [v1.modified]);
  assert.deepEqual(await mod('match[version]=last'), [v3.modified]);
  assert.deepEqual(await mod('match[version]=all'), [v1.modified, v2.modified, v3.modified]);
  assert.deepEqual(await mod(`match[version]=${v2.modified}`), [v2.modified]);
  assert.deepEqual(await mod(`match[version]=first,last`), [v1.modified, v3.modified]);
  assert.deepEqual((await get('match[spec_version]=2.1&match[type]=ipv4-addr')).objects, [ip]);
  assert.equal((await get('match[spec_version]=2.0')).objects.length, 0);

  // added_after: strictly after the date_added of the manifest entry.
  const man = await json(await c(`${ROOT}/collections/${group}/manifest/?match[version]=all`));
  assert.equal(man.objects.length, 9);
  for (const m of man.objects) assert.equal(m.media_type, 'application/stix+json;version=2.1');
  const cut = man.objects[4].date_added;
  const after = await json(await c(`${ROOT}/collections/${group}/manifest/?match[version]=all&added_after=${cut}`));
  assert.deepEqual(after.objects, man.objects.slice(5));
  const mres = await c(`${ROOT}/collections/${group}/manifest/?match[version]=all&limit=3`);
  assert.equal(mres.headers.get('x-taxii-date-added-first'), man.objects[0].date_added);
  assert.equal(mres.headers.get('x-taxii-date-added-last'), man.objects[2].date_added);

  // One object, its versions.
  const one = await c(`${ROOT}/collections/${group}/objects/${versioned}/`);
  assert.deepEqual((await json(one)).objects, [v3]);
  assert.ok(one.headers.get('x-taxii-date-added-first'));
  const allV = await json(await c(`${ROOT}/collections/${group}/objects/${versioned}/?match[version]=all`));
  assert.equal(allV.objects.length, 3);
  const versions = await json(await c(`${ROOT}/collections/${group}/objects/${versioned}/versions/`));
  assert.deepEqual(versions.versions, [v1.modified, v2.modified, v3.modified]);
  assert.equal(versions.more, false);
  await expectTaxiiError(await c(`${ROOT}/collections/${group}/objects/${stixId('indicator')}/`), 404);
  await expectTaxiiError(await c(`${ROOT}/collections/${group}/objects/${stixId('indicator')}/versions/`), 404);
});

test('bad filters are 400 with the TAXII error resource', async () => {
  const c = taxiiClient(p.url, tokA);
  const coll = `${ROOT}/collections/${ALL_COLLECTION_ID}/objects/`;
  for (const q of ['limit=0', 'limit=abc', 'limit=-3', 'added_after=yesterday', 'match[version]=newest', 'match[type]=NOT_A_TYPE',
    'match[id]=indicator--nope', 'match[spec_version]=two', 'next=%25%25%25', `next=${Buffer.from('not a timestamp').toString('base64url')}`, 'limit=1&limit=2']) {
    const body = await expectTaxiiError(await c(`${coll}?${q}`), 400);
    assert.equal(body.error_code, 'validation_failed', q);
  }
  // A limit above the server's maximum is lowered, not refused.
  assert.equal((await c(`${coll}?limit=50000`)).status, 200);
});

test('DELETE removes only your organisation\'s versions: 403 for another team\'s visible object, 404 for an invisible one', async () => {
  const a = taxiiClient(p.url, tokA);
  const b = taxiiClient(p.url, tokB);
  const shared = indicator({ tlp: 'green' });
  const st = await json(await a(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/`, { body: envelopeOf([shared]) }));
  assert.equal(st.success_count, 1);
  // Bob sees it on the network collection but cannot delete it.
  assert.equal((await json(await b(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/${shared.id}/`))).objects.length, 1);
  await expectTaxiiError(await b(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/${shared.id}/`, { method: 'DELETE' }), 403);
  const hidden = indicator();
  await a(`${ROOT}/collections/${alice.orgId}/objects/`, { body: envelopeOf([hidden]) });
  await expectTaxiiError(await b(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/${hidden.id}/`, { method: 'DELETE' }), 404);
  // Versions: delete the first only, then all.
  const id = stixId('indicator');
  await a(`${ROOT}/collections/${alice.orgId}/objects/`, { body: envelopeOf([indicator({ id, modified: '2024-05-01T00:00:00.000Z' }), indicator({ id, modified: '2024-06-01T00:00:00.000Z' })]) });
  const del1 = await a(`${ROOT}/collections/${alice.orgId}/objects/${id}/?match[version]=first`, { method: 'DELETE' });
  assert.equal(del1.status, 200);
  assert.equal(del1.headers.get('content-type'), TAXII);
  assert.deepEqual((await json(await a(`${ROOT}/collections/${alice.orgId}/objects/${id}/versions/`))).versions, ['2024-06-01T00:00:00.000Z']);
  assert.equal((await a(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/${shared.id}/`, { method: 'DELETE' })).status, 200);
  await expectTaxiiError(await b(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/${shared.id}/`), 404);
});
