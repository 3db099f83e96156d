/**
 * Leak matrix of directory entries: every field at every level, read by an anonymous visitor, a
 * member of another CSIRT, another (stakeholder) organisation's admin, the hub (a coordinator) and
 * the team itself — on the team page, the public directory, the members' directory, its search and
 * filters, every export format, the key download and the lookup.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as openpgp from 'openpgp';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor } from '../auth/test-helpers.ts';
import { FIELD_DEFAULTS, PROFILE_FIELDS, type Level, type ProfileField } from './field-visibility.ts';

let p: TestPlatform;
let orgId: string;
type Client = ReturnType<typeof apiClient>;
const viewers: Record<'anonymous' | 'member' | 'otherAdmin' | 'hub' | 'own', Client> = {} as never;
const canSeeLevel: Record<keyof typeof viewers, Record<Level, boolean>> = {
  anonymous: { public: true, members: false, hub: false },
  member: { public: true, members: true, hub: false },
  otherAdmin: { public: true, members: false, hub: false },
  hub: { public: true, members: true, hub: true },
  own: { public: true, members: true, hub: true },
};
// Distinct, searchable markers for every field.
const VALUES = {
  officialName: 'Official Name MARK-ON', established: '2011-05-01', website: 'https://mark-web.example', roleEmail: 'mark-role@csirt.example',
  phones: ['+598 2 MARK-PH'], emergencyPhone: '+598 9 MARK-EM', businessHours: 'MARK-BH 09-17', timeZone: 'America/Montevideo',
  constituencyDescription: 'MARK-CD government networks', sectors: ['MARK-SECTOR'], additionalCountries: ['AR'],
};
let ownerClient: Client;
let keyId: string;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  const owner = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  orgId = owner.orgId!;
  const member = await createTestUser(db, { org: { networkMember: true, role: 'member', countryCode: 'AR' } });
  const otherAdmin = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
  const hub = await createTestUser(db, { platformRole: 'coordinator' });
  ownerClient = apiClient(p.url, await sessionFor(db, owner.id));
  viewers.anonymous = apiClient(p.url);
  viewers.member = apiClient(p.url, await sessionFor(db, member.id));
  viewers.otherAdmin = apiClient(p.url, await sessionFor(db, otherAdmin.id));
  viewers.hub = apiClient(p.url, await sessionFor(db, hub.id));
  viewers.own = ownerClient;
  let r = await ownerClient(`/api/directory/teams/${orgId}/constituency`, { method: 'PUT', body: { asns: ['AS64999'], ipv4: ['192.0.2.0/24'], ipv6: ['2001:db8:99::/48'], domains: ['mark-dom.example'] } });
  assert.equal(r.status, 200, await r.clone().text());
  r = await ownerClient(`/api/directory/teams/${orgId}/contacts`, { body: { kind: 'person', name: 'MARK-CONTACT-M', function: 'duty officer', email: 'members-contact@csirt.example', visibility: 'members' } });
  assert.equal(r.status, 201, await r.clone().text());
  r = await ownerClient(`/api/directory/teams/${orgId}/contacts`, { body: { kind: 'person', name: 'MARK-CONTACT-H', function: 'head', email: 'hub-contact@csirt.example', visibility: 'hub' } });
  assert.equal(r.status, 201);
  const k = await openpgp.generateKey({ userIDs: [{ name: 'Team key', email: 'mark-role@csirt.example' }], format: 'armored' });
  r = await ownerClient(`/api/directory/teams/${orgId}/keys`, { body: { armored: k.publicKey, visibility: 'public' } });
  assert.equal(r.status, 201, await r.clone().text());
  keyId = (await json(r)).id;
});
after(() => p.close());

/** What a field holds in the presented entry (how to recognise it) per field name. */
const present = (t: Record<string, unknown>, f: ProfileField): boolean => {
  const map: Partial<Record<ProfileField, string>> = { countries: 'countries', keys: 'keys', contacts: 'contacts', lastVerified: 'lastVerifiedAt' };
  return (map[f] ?? f) in t;
};

for (const level of ['public', 'members', 'hub'] as const) {
  test(`every field at level "${level}": the entry, directory, search, exports and lookup show it exactly to those allowed`, async () => {
    const vis = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, level]));
    const r = await ownerClient(`/api/directory/teams/${orgId}`, { method: 'PATCH', body: { ...VALUES, fieldVisibility: vis } });
    assert.equal(r.status, 200, await r.clone().text());
    for (const [who, c] of Object.entries(viewers) as [keyof typeof viewers, Client][]) {
      const allowed = canSeeLevel[who][level];
      const team = await json(await c(`/api/directory/teams/${orgId}`));
      for (const f of PROFILE_FIELDS) assert.equal(present(team, f), allowed, `${who} / ${f} at ${level}`);
      const text = JSON.stringify(team);
      for (const marker of ['MARK-ON', 'MARK-PH', 'MARK-EM', 'MARK-BH', 'MARK-CD', 'MARK-SECTOR', 'mark-role@', 'mark-dom.example', '192.0.2.0/24', 'AS64999']) {
        assert.equal(text.includes(marker), allowed, `${who} sees ${marker} at ${level}`);
      }
      // The hub-only contact needs 'hub' on the contact itself, whatever the field level.
      assert.equal(text.includes('MARK-CONTACT-H'), allowed && canSeeLevel[who].hub, `${who} hub contact`);
      assert.equal(text.includes('MARK-CONTACT-M'), allowed && canSeeLevel[who].members, `${who} members contact`);
      // Exports hold no more than the page.
      for (const format of ['json', 'csv', 'vcard']) {
        const body = await (await c(`/api/directory/export?format=${format}`)).text();
        for (const marker of ['MARK-ON', 'mark-role@', 'mark-dom.example']) {
          if (format === 'vcard' && marker === 'mark-dom.example') continue; // vCard holds no constituency
          assert.equal(body.includes(marker), allowed, `${who} ${format} export / ${marker} at ${level}`);
        }
      }
      // Search cannot probe a hidden field: searching the official name finds the team only when visible.
      if (who !== 'anonymous') {
        const found = (await json(await c('/api/directory/teams?q=MARK-ON'))).items.map((t: { orgId: string }) => t.orgId);
        assert.equal(found.includes(orgId), allowed, `${who} search`);
        const bySector = (await json(await c('/api/directory/teams?sector=MARK-SECTOR'))).items.map((t: { orgId: string }) => t.orgId);
        assert.equal(bySector.includes(orgId), allowed, `${who} sector filter`);
      }
      const key = await c(`/api/directory/keys/${keyId}`);
      assert.equal(key.status, allowed ? 200 : 404, `${who} key download`);
      const lookup = await json(await c('/api/directory/lookup?q=192.0.2.10'));
      assert.equal(lookup.teams.some((t: { orgId: string }) => t.orgId === orgId), allowed, `${who} lookup`);
    }
    // The public directory is the anonymous view, whoever asks.
    const pub = (await json(await viewers.hub('/api/directory/public'))).items.find((t: { orgId: string }) => t.orgId === orgId);
    assert.equal('roleEmail' in pub, level === 'public');
    assert.equal('fieldVisibility' in pub, false);
  });
}

test('defaults: a new entry shows names and role address publicly, phones and constituency to members', async () => {
  assert.equal(FIELD_DEFAULTS.roleEmail, 'public');
  assert.equal(FIELD_DEFAULTS.emergencyPhone, 'members');
  assert.equal(FIELD_DEFAULTS.ipv4, 'members');
});

test('editing: only the team (not observers of other orgs, not members of other teams) edits; bad input is a typed 400 that changes nothing', async () => {
  for (const c of [viewers.member, viewers.otherAdmin]) {
    assert.equal((await c(`/api/directory/teams/${orgId}`, { method: 'PATCH', body: { businessHours: 'hacked' } })).status, 403);
  }
  assert.equal((await viewers.anonymous(`/api/directory/teams/${orgId}`, { method: 'PATCH', body: { businessHours: 'x' } })).status, 401);
  const bad = await ownerClient(`/api/directory/teams/${orgId}`, { method: 'PATCH', body: { timeZone: 'Mars/Olympus', fieldVisibility: { phones: 'everyone' } } });
  assert.equal(bad.status, 400);
  const paths = (await json(bad)).issues.map((i: { path: string }) => i.path);
  assert.ok(paths.some((x: string) => x.includes('timeZone')) && paths.some((x: string) => x.includes('phones')));
  const team = await json(await ownerClient(`/api/directory/teams/${orgId}`));
  assert.equal(team.timeZone, 'America/Montevideo');
  assert.equal(team.businessHours, 'MARK-BH 09-17');
  const hub = await viewers.hub(`/api/directory/teams/${orgId}`, { method: 'PATCH', body: { businessHours: '24/7' } });
  assert.equal(hub.status, 200, 'the hub may correct an entry');
});

test('re-confirmation: org admins confirm, the entry stops being stale, the hub sees the stale list', async () => {
  let team = await json(await ownerClient(`/api/directory/teams/${orgId}`));
  assert.equal(team.stale, true);
  const stale = await json(await viewers.hub('/api/directory/stale'));
  assert.ok(stale.items.some((t: { orgId: string }) => t.orgId === orgId));
  assert.equal((await viewers.member(`/api/directory/teams/${orgId}/confirm`, { body: {} })).status, 403);
  assert.equal((await viewers.member('/api/directory/stale')).status, 403);
  const r = await ownerClient(`/api/directory/teams/${orgId}/confirm`, { body: {} });
  assert.equal(r.status, 200);
  team = await json(await ownerClient(`/api/directory/teams/${orgId}`));
  assert.equal(team.stale, false);
  assert.ok(!(await json(await viewers.hub('/api/directory/stale'))).items.some((t: { orgId: string }) => t.orgId === orgId));
});

test('keys over HTTP: garbage is a typed 400, a duplicate a 409, state shows expired and revoked keys', async () => {
  const garbage = await ownerClient(`/api/directory/teams/${orgId}/keys`, { body: { armored: 'this is not a key at all, sorry' } });
  assert.equal(garbage.status, 400);
  assert.equal((await json(garbage)).code, 'validation_failed');
  const old = await openpgp.generateKey({ userIDs: [{ email: 'old@csirt.example' }], date: new Date(Date.now() - 5 * 86_400_000), keyExpirationTime: 86_400, format: 'armored' });
  const r1 = await ownerClient(`/api/directory/teams/${orgId}/keys`, { body: { armored: old.publicKey } });
  assert.equal(r1.status, 201);
  assert.equal((await json(r1)).state, 'expired');
  assert.equal((await ownerClient(`/api/directory/teams/${orgId}/keys`, { body: { armored: old.publicKey } })).status, 409);
  const k = await openpgp.generateKey({ userIDs: [{ email: 'rev@csirt.example' }], format: 'object' });
  const revoked = await openpgp.revokeKey({ key: k.privateKey, format: 'armored' });
  const r2 = await ownerClient(`/api/directory/teams/${orgId}/keys`, { body: { armored: revoked.publicKey } });
  assert.equal((await json(r2)).state, 'revoked');
  assert.equal((await viewers.member(`/api/directory/teams/${orgId}/keys`, { body: { armored: old.publicKey } })).status, 403);
});
