/**
 * Lookup correctness through the real API: IPv4/IPv6 longest prefix with overlapping prefixes,
 * ASN, domain suffix, IDN, e-mail domain, bulk order, invalid values, per-actor visibility of the
 * constituency fields, and the index following changes (generation bump).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../auth/test-helpers.ts';
import { classify, normalizeDomain, parsePrefix } from './normalize.ts';

let p: TestPlatform;
let national: TestUser; // holds the wide prefixes
let sectoral: TestUser; // holds more specific ones inside them
let outsider: TestUser; // a stakeholder, not a network member
let nat: ReturnType<typeof apiClient>;
let sec: ReturnType<typeof apiClient>;
let out: ReturnType<typeof apiClient>;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  national = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  sectoral = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  outsider = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
  nat = apiClient(p.url, await sessionFor(db, national.id));
  sec = apiClient(p.url, await sessionFor(db, sectoral.id));
  out = apiClient(p.url, await sessionFor(db, outsider.id));
  const put = async (c: typeof nat, orgId: string, body: unknown) => {
    const r = await c(`/api/directory/teams/${orgId}/constituency`, { method: 'PUT', body });
    assert.equal(r.status, 200, await r.clone().text());
  };
  await put(nat, national.orgId!, {
    asns: ['AS64500', '64501'], ipv4: ['198.51.100.0/22', '203.0.113.0/24'], ipv6: ['2001:db8::/32'],
    domains: ['example.uy', 'gub.example.uy', 'bücher.example'],
  });
  await put(sec, sectoral.orgId!, { asns: ['AS64510'], ipv4: ['198.51.101.0/24', '198.51.101.128/25'], ipv6: ['2001:db8:abcd::/48'], domains: ['bank.example.uy'] });
  // Both publish their constituency to the network and their ASNs publicly.
  for (const [c, u] of [[nat, national], [sec, sectoral]] as const) {
    const r = await c(`/api/directory/teams/${u.orgId}`, { method: 'PATCH', body: { fieldVisibility: { asns: 'public', ipv4: 'members', ipv6: 'members', domains: 'members' } } });
    assert.equal(r.status, 200, await r.clone().text());
  }
});
after(() => p.close());

const one = async (c: typeof nat, q: string) => json(await c(`/api/directory/lookup?q=${encodeURIComponent(q)}`));
const who = (r: { teams: { orgId: string }[] }) => r.teams.map((t) => t.orgId).sort();

test('normalisation: prefixes lose host bits, IPv6 is compressed, IDN becomes punycode', () => {
  assert.equal(parsePrefix('198.51.100.77/22')!.text, '198.51.100.0/22');
  assert.equal(parsePrefix('2001:DB8:0:0:1::/32')!.text, '2001:db8::/32');
  assert.equal(parsePrefix('::ffff:192.0.2.1')!.text, '::ffff:c000:201/128');
  assert.equal(normalizeDomain('Bücher.Example.'), 'xn--bcher-kva.example');
  assert.equal(normalizeDomain('*.gub.uy'), 'gub.uy');
  assert.equal(normalizeDomain('bad_domain..uy'), null);
  assert.equal(classify('AS64500').kind, 'asn');
  assert.equal(classify('abuse@gub.uy').kind, 'email');
  assert.equal(classify('300.1.1.1').kind, 'invalid');
  assert.equal(classify('10.0.0.0/33').kind, 'invalid');
});

test('IPv4: the longest prefix wins among overlapping prefixes', async () => {
  let r = await one(nat, '198.51.101.200'); // inside /22 (national), /24 and /25 (sectoral)
  assert.deepEqual(who(r), [sectoral.orgId]);
  assert.equal(r.matched, '198.51.101.128/25');
  r = await one(nat, '198.51.101.7'); // /24 sectoral, not the /25
  assert.equal(r.matched, '198.51.101.0/24');
  assert.deepEqual(who(r), [sectoral.orgId]);
  r = await one(nat, '198.51.102.1'); // only the national /22
  assert.equal(r.matched, '198.51.100.0/22');
  assert.deepEqual(who(r), [national.orgId]);
  r = await one(nat, '198.51.101.0/26'); // a prefix looks up the longest prefix that covers it
  assert.equal(r.kind, 'prefix');
  assert.equal(r.matched, '198.51.101.0/24');
  r = await one(nat, '192.0.2.1');
  assert.equal(r.matched, null);
  assert.deepEqual(r.teams, []);
});

test('IPv6: the longest prefix wins', async () => {
  let r = await one(nat, '2001:db8:abcd:12::1');
  assert.equal(r.matched, '2001:db8:abcd::/48');
  assert.deepEqual(who(r), [sectoral.orgId]);
  r = await one(nat, '2001:db8:1::1');
  assert.equal(r.matched, '2001:db8::/32');
  assert.deepEqual(who(r), [national.orgId]);
  assert.equal((await one(nat, '2001:db9::1')).matched, null);
});

test('ASN, domain suffix, IDN and e-mail domain', async () => {
  assert.deepEqual(who(await one(nat, 'AS64501')), [national.orgId]);
  assert.deepEqual(who(await one(nat, '64510')), [sectoral.orgId]);
  assert.equal((await one(nat, 'AS1')).matched, null);
  let r = await one(nat, 'www.bank.example.uy'); // longest suffix: bank.example.uy (sectoral) over example.uy
  assert.equal(r.matched, 'bank.example.uy');
  assert.deepEqual(who(r), [sectoral.orgId]);
  r = await one(nat, 'mail.other.example.uy');
  assert.equal(r.matched, 'example.uy');
  assert.deepEqual(who(r), [national.orgId]);
  r = await one(nat, 'notexample.uy'); // a suffix match is by whole labels only
  assert.equal(r.matched, null);
  r = await one(nat, 'www.BÜCHER.example'); // IDN in Unicode, matched against its punycode
  assert.equal(r.normalized, 'www.xn--bcher-kva.example');
  assert.equal(r.matched, 'xn--bcher-kva.example');
  assert.deepEqual(who(r), [national.orgId]);
  r = await one(nat, 'soc@bank.example.uy');
  assert.equal(r.kind, 'email');
  assert.deepEqual(who(r), [sectoral.orgId]);
});

test('bulk: results in input order, invalid values reported per item, more than 10,000 refused', async () => {
  const values = ['198.51.101.200', 'nonsense value', 'AS64500', 'x@gub.example.uy', '2001:db8::1'];
  const r = await nat('/api/directory/lookup', { body: { values } });
  assert.equal(r.status, 200);
  const items = (await json(r)).items;
  assert.deepEqual(items.map((i: { input: string }) => i.input), values);
  assert.equal(items[1].kind, 'invalid');
  assert.deepEqual(who(items[2]), [national.orgId]);
  assert.equal(items[3].matched, 'gub.example.uy');
  const tooMany = await nat('/api/directory/lookup', { body: { values: Array.from({ length: 10_001 }, (_, i) => `10.0.${i >> 8 & 255}.${i & 255}`) } });
  assert.equal(tooMany.status, 400);
  assert.equal((await json(tooMany)).code, 'validation_failed');
});

test('visibility: members-only prefixes are invisible to anonymous and stakeholder callers; public ASNs are not', async () => {
  const anon = apiClient(p.url);
  for (const c of [anon, out]) {
    const r = await one(c, '198.51.101.200');
    assert.equal(r.matched, null, 'a members-only prefix answers nothing');
    assert.deepEqual(r.teams, []);
    assert.deepEqual(who(await one(c, 'AS64510')), [sectoral.orgId], 'ASNs were made public');
  }
  // Hiding the sectoral /25 and /24 to hub-only: a member now gets the national /22 (no shadowing, no leak).
  const r = await sec(`/api/directory/teams/${sectoral.orgId}`, { method: 'PATCH', body: { fieldVisibility: { ipv4: 'hub' } } });
  assert.equal(r.status, 200);
  const seenByNational = await one(nat, '198.51.101.200');
  assert.equal(seenByNational.matched, '198.51.100.0/22');
  assert.deepEqual(who(seenByNational), [national.orgId]);
  assert.equal((await one(sec, '198.51.101.200')).matched, '198.51.101.128/25', 'the team itself still sees its own');
  const restore = await sec(`/api/directory/teams/${sectoral.orgId}`, { method: 'PATCH', body: { fieldVisibility: { ipv4: 'members' } } });
  assert.equal(restore.status, 200);
  assert.equal((await one(nat, '198.51.101.200')).matched, '198.51.101.128/25');
});

test('constituency changes reach the index at once; bad values are refused and change nothing', async () => {
  const bad = await sec(`/api/directory/teams/${sectoral.orgId}/constituency`, { method: 'PUT', body: { ipv4: ['198.51.101.0/24', '10.0.0.0/40'], domains: ['ok.example'] } });
  assert.equal(bad.status, 400);
  const problem = await json(bad);
  assert.equal(problem.code, 'validation_failed');
  assert.ok(problem.issues.some((i: { path: string }) => i.path === 'ipv4.1'));
  assert.equal((await one(nat, '198.51.101.200')).matched, '198.51.101.128/25', 'unchanged');
  const ok = await sec(`/api/directory/teams/${sectoral.orgId}/constituency`, { method: 'PUT', body: { ipv4: ['198.51.101.0/24'] } });
  assert.equal(ok.status, 200);
  assert.deepEqual((await json(ok)).ipv4, ['198.51.101.0/24']);
  assert.equal((await one(nat, '198.51.101.200')).matched, '198.51.101.0/24', 'the /25 is gone');
  assert.equal((await one(nat, 'bank.example.uy')).matched, 'bank.example.uy', 'domains were not in the request and stay');
  const foreign = await out(`/api/directory/teams/${sectoral.orgId}/constituency`, { method: 'PUT', body: { ipv4: ['0.0.0.0/0'] } });
  assert.equal(foreign.status, 403);
});
