/**
 * What the intel screens rely on beyond the store's own tests: TLP and scope browsing filters
 * (narrowing only — visibility still applies first), the sharing options a user is offered, and the
 * permissions stated on the object page. Each actor is checked against the written-out rule.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../core/tlp.ts';

let p: TestPlatform;
before(async () => { p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' }); });
after(() => p.close());

const stamp = '2024-06-01T00:00:00.000Z';
const indicator = (label: string, tlp: Tlp) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, created: stamp, modified: stamp, name: label,
  pattern: `[ipv4-addr:value = '198.51.100.7']`, pattern_type: 'stix', valid_from: stamp, object_marking_refs: [TLP2_MARKING_IDS[tlp]],
});
const bundle = (objects: object[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });
type Item = { meta: { tlp: string; scope: string }; object: { id: string; name: string } };

test('TLP and scope filters narrow what the reader may already see, never widen it; bad values are typed 400s', async () => {
  const db = p.database.db;
  const author = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const peer = await createTestUser(db, { org: { networkMember: true } });
  const a = apiClient(p.url, await sessionFor(db, author.id));
  const b = apiClient(p.url, await sessionFor(db, peer.id));
  const run = newId().slice(0, 8);
  const upload = async (scope: string, objs: object[]) => {
    const r = await a(`/api/intel/bundles?scope=${scope}&tlp=amber`, { body: bundle(objs) });
    assert.equal(r.status, 201, await r.text());
  };
  const own = [indicator(`F${run} own green`, 'green'), indicator(`F${run} own amber`, 'amber')];
  const net = [indicator(`F${run} net green`, 'green'), indicator(`F${run} net amber`, 'amber'), indicator(`F${run} net clear`, 'clear')];
  await upload('org', own);
  await upload('network', net);

  const names = async (c: typeof a, q: string) => {
    const r = await c(`/api/intel/objects?q=F${run}&${q}`);
    assert.equal(r.status, 200);
    return ((await json(r)).items as Item[]).map((i) => i.object.name).sort();
  };
  assert.deepEqual(await names(a, 'tlp=amber'), [`F${run} net amber`, `F${run} own amber`]);
  assert.deepEqual(await names(a, 'tlp=green,clear&scope=network'), [`F${run} net clear`, `F${run} net green`]);
  assert.deepEqual(await names(a, 'scope=org'), [`F${run} own amber`, `F${run} own green`]);
  // The peer organisation sees the network objects only, whatever the filter asks for.
  assert.deepEqual(await names(b, 'scope=org'), []);
  assert.deepEqual(await names(b, 'tlp=amber'), [`F${run} net amber`]);
  assert.deepEqual(await names(apiClient(p.url), 'tlp=amber,green,clear'), []);

  for (const bad of ['tlp=purple', 'scope=everyone', 'tlp=amber,red,white']) assert.equal((await a(`/api/intel/objects?${bad}`)).status, 400, bad);
});

test('sharing options: only organisations the user may share as, their own sharing groups, public stated as CLEAR-only', async () => {
  const db = p.database.db;
  const member = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const observer = await createTestUser(db, { org: { networkMember: true, role: 'observer' } });
  const other = await createTestUser(db, { org: { networkMember: true } });
  const groupId = newId();
  const foreignGroup = newId();
  await db.insert(sharingGroups).values([{ id: groupId, name: `Grid ${groupId.slice(0, 6)}` }, { id: foreignGroup, name: `Other ${foreignGroup.slice(0, 6)}` }]);
  await db.insert(sharingGroupMembers).values([{ groupId, orgId: member.orgId! }, { groupId: foreignGroup, orgId: other.orgId! }]);

  const m = await json(await apiClient(p.url, await sessionFor(db, member.id))('/api/intel/sharing-options'));
  assert.equal(m.canUpload, true);
  assert.deepEqual(m.orgs.map((o: { id: string }) => o.id), [member.orgId]);
  assert.deepEqual(m.orgs[0].scopes, ['org', 'orgs', 'group', 'network', 'public']);
  assert.deepEqual(m.orgs[0].sharingGroups.map((g: { id: string }) => g.id), [groupId]);
  assert.ok(m.nameableOrgs.some((o: { id: string }) => o.id === other.orgId));
  assert.equal(m.rules.publicRequiresClear, true);

  const o = await json(await apiClient(p.url, await sessionFor(db, observer.id))('/api/intel/sharing-options'));
  assert.deepEqual({ canUpload: o.canUpload, orgs: o.orgs }, { canUpload: false, orgs: [] });
  assert.equal((await apiClient(p.url)('/api/intel/sharing-options')).status, 401);

  // What is offered is what ingest accepts: a group the organisation is not in is refused.
  const c = apiClient(p.url, await sessionFor(db, member.id));
  const refused = await c(`/api/intel/bundles?scope=group&sharingGroupId=${foreignGroup}&tlp=amber`, { body: bundle([indicator('x', 'amber')]) });
  assert.equal(refused.status, 403);
  const ok = await c(`/api/intel/bundles?scope=group&sharingGroupId=${groupId}&tlp=amber`, { body: bundle([indicator('y', 'amber')]) });
  assert.equal(ok.status, 201);
});

test('object page states the reader\'s permissions: owner, sharer, observer, anonymous', async () => {
  const db = p.database.db;
  const author = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const observer = await createTestUser(db, { org: { networkMember: true, role: 'observer' } });
  const obj = indicator('Permissions', 'clear');
  const r = await apiClient(p.url, await sessionFor(db, author.id))('/api/intel/bundles?scope=public&tlp=clear', { body: bundle([obj]) });
  assert.equal(r.status, 201);
  const perms = async (c: ReturnType<typeof apiClient>) => (await json(await c(`/api/intel/objects/${obj.id}`))).permissions;
  assert.deepEqual(await perms(apiClient(p.url, await sessionFor(db, author.id))), { reportSighting: true, ownedByYou: true });
  assert.deepEqual(await perms(apiClient(p.url, await sessionFor(db, observer.id))), { reportSighting: false, ownedByYou: false });
  assert.deepEqual(await perms(apiClient(p.url)), { reportSighting: false, ownedByYou: false });
});
