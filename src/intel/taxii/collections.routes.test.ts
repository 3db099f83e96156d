/**
 * The portal's view of TAXII collections (GET /api/intel/taxii) is exactly the TAXII server's own
 * per-actor list: same ids, titles and read/write flags as /taxii2/hemisphere/collections/ gives the
 * same person's token; another organisation's collection never appears; its paths work with a
 * token over HTTP Basic; anonymous callers and tokens without `intel:read` are refused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { apiClient, createTestUser, sessionFor } from '../../auth/test-helpers.ts';
import { ALL_COLLECTION_ID, NETWORK_COLLECTION_ID, PUBLIC_COLLECTION_ID } from './collections.ts';
import type { TaxiiConnection } from './collections.routes.ts';
import { envelopeOf, indicator, ROOT, sharingGroupOf, taxiiClient, tokenFor } from './test-support.ts';

let p: TestPlatform;
before(async () => { p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' }); });
after(() => p.close());

const connectionOf = async (c: ReturnType<typeof apiClient>) => {
  const r = await c('/api/intel/taxii');
  assert.equal(r.status, 200);
  return (await json(r)) as TaxiiConnection;
};

test('a member sees their collections with TAXII paths, the same list the TAXII server gives their token', async () => {
  const db = p.database.db;
  const analyst = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const peer = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const groupId = await sharingGroupOf(db, `Group ${crypto.randomUUID().slice(0, 6)}`, [analyst.orgId!]);
  const conn = await connectionOf(apiClient(p.url, await sessionFor(db, analyst.id)));

  assert.equal(conn.discoveryPath, '/taxii2/');
  assert.equal(conn.apiRootPath, `${ROOT}/`);
  assert.equal(conn.mediaType, 'application/taxii+json;version=2.1');
  assert.deepEqual(conn.scopes, { read: ['taxii'], write: ['taxii', 'intel:write'] });
  const ids = conn.collections.map((c) => c.id);
  assert.deepEqual(ids.slice(0, 3), [ALL_COLLECTION_ID, PUBLIC_COLLECTION_ID, NETWORK_COLLECTION_ID]);
  assert.ok(ids.includes(analyst.orgId!));
  assert.ok(ids.includes(groupId));
  assert.ok(!ids.includes(peer.orgId!), 'another organisation\'s collection is not listed');
  const own = conn.collections.find((c) => c.id === analyst.orgId)!;
  assert.equal(own.kind, 'org');
  assert.equal(own.canWrite, true);
  assert.equal(own.objectsPath, `${ROOT}/collections/${analyst.orgId}/objects/`);
  assert.equal(conn.collections.find((c) => c.id === ALL_COLLECTION_ID)!.canWrite, false);

  // The TAXII server's own list for a token with write scope: same ids, titles and flags.
  const token = await tokenFor(db, analyst.id, ['taxii', 'intel:write']);
  const taxii = taxiiClient(p.url, token, 'basic');
  const listed = (await json(await taxii(`${ROOT}/collections/`))).collections as { id: string; title: string; can_read: boolean; can_write: boolean }[];
  assert.deepEqual(listed.map((c) => [c.id, c.title, c.can_read, c.can_write]), conn.collections.map((c) => [c.id, c.title, c.canRead, c.canWrite]));

  // The paths shown work: post to the own collection, read it back from objectsPath with Basic auth.
  const ind = indicator({ name: 'collections route check' });
  const posted = await taxii(own.objectsPath, { body: envelopeOf([ind]) });
  assert.equal(posted.status, 202, await posted.text());
  const back = await taxii(`${own.objectsPath}?match[id]=${ind.id}`);
  assert.equal(back.status, 200);
  assert.deepEqual(((await json(back)) as { objects: { id: string }[] }).objects.map((o) => o.id), [ind.id]);

  // The peer's list has its own organisation, not the analyst's.
  const peerConn = await connectionOf(apiClient(p.url, await sessionFor(db, peer.id)));
  assert.ok(peerConn.collections.some((c) => c.id === peer.orgId));
  assert.ok(!peerConn.collections.some((c) => c.id === analyst.orgId || c.id === groupId));
});

test('observers read but cannot write; a user with no organisation gets everything-I-may-see and public only', async () => {
  const db = p.database.db;
  const member = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const observer = await createTestUser(db, { org: { orgId: member.orgId!, role: 'observer' } });
  const loner = await createTestUser(db);
  const obs = await connectionOf(apiClient(p.url, await sessionFor(db, observer.id)));
  const own = obs.collections.find((c) => c.id === member.orgId)!;
  assert.equal(own.canRead, true);
  assert.equal(own.canWrite, false);
  assert.ok(obs.collections.every((c) => !c.canWrite));
  const alone = await connectionOf(apiClient(p.url, await sessionFor(db, loner.id)));
  assert.deepEqual(alone.collections.map((c) => c.id), [ALL_COLLECTION_ID, PUBLIC_COLLECTION_ID]);
});

test('anonymous is 401; a token needs intel:read (a taxii-only token is refused here)', async () => {
  const db = p.database.db;
  const u = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const anon = await apiClient(p.url)('/api/intel/taxii');
  assert.equal(anon.status, 401);
  assert.equal((await json(anon)).code, 'unauthenticated');
  const taxiiOnly = await apiClient(p.url, { token: await tokenFor(db, u.id, ['taxii']) })('/api/intel/taxii');
  assert.equal(taxiiOnly.status, 403);
  assert.equal((await json(taxiiOnly)).code, 'forbidden');
  const reader = await connectionOf(apiClient(p.url, { token: await tokenFor(db, u.id, ['intel:read']) }));
  // Writes through TAXII need intel:write on the token: this token's view says so.
  assert.ok(reader.collections.some((c) => c.id === u.orgId && !c.canWrite));
});
