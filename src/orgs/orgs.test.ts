/** Countries, points of contact and organisation members over HTTP. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, login } from '../auth/test-helpers.ts';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform();
});
after(() => p.close());

test('countries: ISO 3166-1 with the 35 OAS member states, names in the asked language', async () => {
  const all = await json(await fetch(`${p.url}/api/countries?locale=en`));
  assert.equal(all.items.length, 249);
  const oas = await json(await fetch(`${p.url}/api/countries?oas=true&locale=es`));
  assert.equal(oas.items.length, 35);
  const br = oas.items.find((c: { code: string }) => c.code === 'BR');
  assert.equal(br.alpha3, 'BRA');
  assert.equal(br.name, 'Brasil');
  assert.equal(all.items.find((c: { code: string }) => c.code === 'FR').oasMember, false);
  assert.equal((await fetch(`${p.url}/api/countries?locale=de`)).status, 400);
});

test('an observer cannot do a member’s action; org admins manage roles but keep one admin', async () => {
  const db = p.database.db;
  const adminU = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'GT' }, twoFactor: true });
  const memberU = await createTestUser(db, { org: { orgId: adminU.orgId, role: 'member' }, twoFactor: true });
  const observerU = await createTestUser(db, { org: { orgId: adminU.orgId, role: 'observer' }, twoFactor: true });
  const client = async (u: typeof adminU) => apiClient(p.url, await login(p.url, u));
  const admin = await client(adminU);
  const member = await client(memberU);
  const observer = await client(observerU);
  const orgUrl = `/api/orgs/${adminU.orgId}`;

  const seen = await json(await observer(orgUrl));
  assert.deepEqual(seen.policies, { canSeeMembers: true, canEdit: false, canManageMembers: false });
  const refused = await observer(orgUrl, { method: 'PATCH', body: { description: 'observer edit' } });
  assert.equal(refused.status, 403);
  assert.equal((await json(refused)).code, 'forbidden');
  assert.equal((await member(orgUrl, { method: 'PATCH', body: { description: 'Team profile by a member' } })).status, 200);
  assert.equal((await json(await observer(orgUrl))).description, 'Team profile by a member');

  assert.equal((await member(`${orgUrl}/members/${observerU.id}`, { method: 'PATCH', body: { role: 'member' } })).status, 403);
  assert.equal((await admin(`${orgUrl}/members/${observerU.id}`, { method: 'PATCH', body: { role: 'member' } })).status, 200);
  const last = await admin(`${orgUrl}/members/${adminU.id}`, { method: 'PATCH', body: { role: 'member' } });
  assert.equal(last.status, 409);
  assert.equal((await admin(`${orgUrl}/members/${memberU.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await json(await admin(orgUrl))).members.length, 2);
});

test('only coordinators designate points of contact', async () => {
  const db = p.database.db;
  const coordU = await createTestUser(db, { platformRole: 'coordinator', twoFactor: true });
  const userU = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' }, twoFactor: true });
  const coord = apiClient(p.url, await login(p.url, coordU));
  const user = apiClient(p.url, await login(p.url, userU));
  assert.equal((await user('/api/countries/HN/points-of-contact', { body: { userId: userU.id } })).status, 403);
  assert.equal((await coord('/api/countries/ZZ/points-of-contact', { body: { userId: userU.id } })).status, 400);
  assert.equal((await coord('/api/countries/HN/points-of-contact', { body: { userId: userU.id } })).status, 201);
  assert.equal((await coord('/api/countries/HN/points-of-contact', { body: { userId: userU.id } })).status, 409);
  const list = await json(await user('/api/countries/HN/points-of-contact'));
  assert.deepEqual(list.items.map((x: { userId: string }) => x.userId), [userU.id]);
  assert.equal((await coord(`/api/countries/HN/points-of-contact/${userU.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await json(await user('/api/countries/HN/points-of-contact'))).items.length, 0);
});
