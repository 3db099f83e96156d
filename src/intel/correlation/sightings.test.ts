/** Correlation recorded at ingest across organisations, "also seen by", and sightings counted per organisation (STIX sightings and one-click reports). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { rows } from '../../db/client.ts';
import { NETWORK_COLLECTION_ID } from '../taxii/collections.ts';
import { envelopeOf, indicator, ROOT, stixId, taxiiClient, tokenFor } from '../taxii/test-support.ts';

let p: TestPlatform;
let a: TestUser, b: TestUser, observer: TestUser;
let ta: string, tb: string, tobs: string;
before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.testDb.database.db;
  a = await createTestUser(db, { org: { networkMember: true } });
  b = await createTestUser(db, { org: { networkMember: true } });
  observer = await createTestUser(db, { org: { orgId: a.orgId, role: 'observer' } });
  [ta, tb, tobs] = await Promise.all([tokenFor(db, a.id), tokenFor(db, b.id), tokenFor(db, observer.id)]);
});
after(() => p.close());

test('a match between two organisations is recorded at ingest and shown as "also seen by"; sightings are counted per organisation', async () => {
  const x = indicator({ value: '185.220.101.77', tlp: 'green' });
  assert.equal((await json(await taxiiClient(p.url, ta)(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/`, { body: envelopeOf([x]) }))).success_count, 1);
  // B brings the same address written differently (leading zeros) as an observable, plus a STIX sighting of A's indicator.
  const sco = { type: 'ipv4-addr', spec_version: '2.1', id: stixId('ipv4-addr'), value: '185.220.101.077' };
  const sighting = {
    type: 'sighting', spec_version: '2.1', id: stixId('sighting'), created: '2024-07-01T00:00:00.000Z', modified: '2024-07-01T00:00:00.000Z',
    sighting_of_ref: x.id, count: 3, object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
  };
  const st = await json(await taxiiClient(p.url, tb)(`${ROOT}/collections/${NETWORK_COLLECTION_ID}/objects/`, { body: envelopeOf([sco, sighting]) }));
  assert.equal(st.success_count, 2, JSON.stringify(st.failures));
  const recorded = await rows<{ n: number }>(p.testDb.database.db, sql`SELECT count(*)::int AS n FROM intel_correlations WHERE value = '185.220.101.77' AND kind = 'ipv4'`);
  assert.equal(recorded[0]!.n, 1);

  const api = (tok: string) => (path: string, body?: unknown) => fetch(`${p.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${tok}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  });
  const seen = await json(await api(ta)(`/api/intel/objects/${x.id}/correlations`));
  assert.equal(seen.alsoSeenBy.length, 1);
  assert.equal(seen.alsoSeenBy[0].orgId, b.orgId);
  assert.deepEqual(seen.alsoSeenBy[0].objects.map((o: { id: string; value: string }) => [o.id, o.value]), [[sco.id, '185.220.101.77']]);
  const back = await json(await api(tb)(`/api/intel/objects/${sco.id}/correlations`));
  assert.equal(back.alsoSeenBy[0].orgId, a.orgId);

  // One click, twice: counted up for A; an observer may not report; an unknown object is 404.
  assert.equal((await api(ta)(`/api/intel/objects/${x.id}/sightings`, {})).status, 201);
  const second = await json(await api(ta)(`/api/intel/objects/${x.id}/sightings`, { note: 'seen on our sensors' }));
  assert.equal(second.count, 2);
  assert.equal((await api(tobs)(`/api/intel/objects/${x.id}/sightings`, {})).status, 403);
  assert.equal((await api(ta)(`/api/intel/objects/${stixId('indicator')}/sightings`, {})).status, 404);
  assert.equal((await api(ta)(`/api/intel/objects/${x.id}/sightings`, { tlp: 'purple' })).status, 400);

  const counts = await json(await api(tb)(`/api/intel/objects/${x.id}/sightings`));
  const byOrg = Object.fromEntries(counts.byOrganisation.map((o: { orgId: string }) => [o.orgId, o]));
  assert.equal(byOrg[a.orgId!].reports, 2);
  assert.equal(byOrg[a.orgId!].count, 2);
  assert.equal(byOrg[b.orgId!].stixSightings, 1);
  assert.equal(byOrg[b.orgId!].count, 3);
  assert.equal(counts.total, 5);
  const audit = await rows<{ n: number }>(p.testDb.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'intel.sighting_reported'`);
  assert.equal(audit[0]!.n, 2);
});
