/**
 * Directory read paths not covered by the field matrix (visibility.test.ts): contacts and keys of
 * each level in every export format, per reader; and sharing groups — who sees a group, its members
 * and its releasability text, that an outsider gets the 404 of an unknown group, and that a removed
 * organisation loses the group at its next request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as openpgp from 'openpgp';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../auth/test-helpers.ts';

let p: TestPlatform;
type Client = ReturnType<typeof apiClient>;
let owner: TestUser, member: TestUser, otherAdmin: TestUser, hub: TestUser;
const as = async (u?: TestUser): Promise<Client> => (u ? apiClient(p.url, await sessionFor(p.database.db, u.id)) : apiClient(p.url));
const fingerprints: Record<'public' | 'members' | 'hub', string> = {} as never;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  owner = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  member = await createTestUser(db, { org: { networkMember: true, role: 'member', countryCode: 'AR' } });
  otherAdmin = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
  hub = await createTestUser(db, { platformRole: 'coordinator' });
  const own = await as(owner);
  for (const level of ['public', 'members', 'hub'] as const) {
    let r = await own(`/api/directory/teams/${owner.orgId}/contacts`, { body: { kind: 'person', name: `XCONTACT-${level}`, email: `xcontact-${level}@csirt.example`, visibility: level } });
    assert.equal(r.status, 201, await r.clone().text());
    const k = await openpgp.generateKey({ userIDs: [{ name: `Key ${level}`, email: `xkey-${level}@csirt.example` }], format: 'armored' });
    r = await own(`/api/directory/teams/${owner.orgId}/keys`, { body: { armored: k.publicKey, visibility: level } });
    assert.equal(r.status, 201, await r.clone().text());
    fingerprints[level] = (await json(r)).fingerprint;
  }
  // Contacts and keys shown at the public level, so each item's own level decides.
  const r = await own(`/api/directory/teams/${owner.orgId}`, { method: 'PATCH', body: { fieldVisibility: { contacts: 'public', keys: 'public', lastVerified: 'hub' } } });
  assert.equal(r.status, 200, await r.clone().text());
});
after(() => p.close());

test('exports (JSON, CSV, vCard) hold exactly the contacts and keys each reader may see, and no edit metadata for others', async () => {
  const readers: [string, TestUser | undefined, ('public' | 'members' | 'hub')[]][] = [
    ['anonymous', undefined, ['public']],
    ["another (stakeholder) organisation's admin", otherAdmin, ['public']],
    ['a member of another CSIRT', member, ['public', 'members']],
    ['the hub', hub, ['public', 'members', 'hub']],
    ['the team', owner, ['public', 'members', 'hub']],
  ];
  for (const [who, user, levels] of readers) {
    const c = await as(user);
    for (const format of ['json', 'csv', 'vcard'] as const) {
      const res = await c(`/api/directory/export?format=${format}`);
      assert.equal(res.status, 200);
      const body = (await res.text()).replace(/\r\n /g, ''); // vCard lines are folded at 75 octets
      for (const level of ['public', 'members', 'hub'] as const) {
        const allowed = levels.includes(level);
        // CSV has one row per team and no contact columns; JSON and vCard list the contacts.
        assert.equal(body.includes(`xcontact-${level}@`), allowed && format !== 'csv', `${who} / ${format} / ${level} contact`);
        assert.equal(body.includes(fingerprints[level]), allowed, `${who} / ${format} / ${level} key`);
      }
      if (format === 'json') {
        const team = JSON.parse(body).teams.find((t: { orgId: string }) => t.orgId === owner.orgId);
        const editor = user === owner || user === hub;
        assert.equal('fieldVisibility' in team, editor, `${who}: field levels`);
        assert.equal('stale' in team, editor, `${who}: stale flag`);
        assert.equal(JSON.stringify(team).includes('lastVerifiedAt'), editor, `${who}: hub-level "last verified"`);
      }
    }
  }
});

test('sharing groups: outsiders get the 404 of an unknown group (no name, members or releasability); a removed organisation loses the group at once', async () => {
  const db = p.database.db;
  const coord = await as(hub);
  const inGroup = await createTestUser(db, { org: { networkMember: true, role: 'member', countryCode: 'CL' } });
  let r = await coord('/api/sharing-groups', { body: { name: 'XGROUP Andes', releasability: 'XREL no onward sharing', ownerOrgId: owner.orgId } });
  assert.equal(r.status, 201, await r.clone().text());
  const group = await json(r);
  r = await coord(`/api/sharing-groups/${group.id}/members`, { body: { orgId: inGroup.orgId } });
  assert.equal(r.status, 201);

  const memberClient = await as(inGroup);
  const seen = await memberClient(`/api/sharing-groups/${group.id}`);
  assert.equal(seen.status, 200);
  const g = await json(seen);
  assert.equal(g.releasability, 'XREL no onward sharing');
  assert.deepEqual(g.members.map((m: { orgId: string }) => m.orgId).sort(), [owner.orgId, inGroup.orgId].sort());
  assert.equal(g.policies.canManage, false);

  for (const [who, user] of [['another CSIRT', member], ['a stakeholder admin', otherAdmin]] as const) {
    const c = await as(user);
    const mine = await c(`/api/sharing-groups/${group.id}`);
    const none = await c(`/api/sharing-groups/${crypto.randomUUID()}`);
    assert.equal(mine.status, 404, who);
    assert.deepEqual([(await json(mine)).title, none.status], [(await json(none)).title, 404], `${who}: the same answer as an unknown group`);
    const list = await (await c('/api/sharing-groups')).text();
    assert.ok(!list.includes('XGROUP') && !list.includes('XREL'), `${who}: not listed`);
    for (const [method, path, body] of [['PATCH', '', { name: 'x' }], ['DELETE', '', undefined], ['POST', '/members', { orgId: otherAdmin.orgId }], ['DELETE', `/members/${inGroup.orgId}`, undefined]] as const) {
      assert.equal((await c(`/api/sharing-groups/${group.id}${path}`, { method, ...(body ? { body } : {}) })).status, 404, `${who} ${method} ${path}`);
    }
  }

  r = await coord(`/api/sharing-groups/${group.id}/members/${inGroup.orgId}`, { method: 'DELETE' });
  assert.equal(r.status, 204);
  assert.equal((await memberClient(`/api/sharing-groups/${group.id}`)).status, 404, 'removed: the same session no longer sees the group');
  assert.ok(!(await (await memberClient('/api/sharing-groups')).text()).includes('XGROUP'));
});
