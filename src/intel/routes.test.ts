/**
 * REST over the STIX store: streamed upload with a per-object report, list and object page, and
 * the leak matrix — actors of each kind × TLP × sharing scope, over the list, the object page and
 * its relationships: each sees exactly what the written-out rule says, nothing more.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import { TLP2_MARKING_IDS, TLP_LEVELS, type Tlp } from '../core/tlp.ts';
import { SCOPES, type Scope } from '../core/visibility.ts';
import { bundleOf } from './test/fixtures.ts';

let p: TestPlatform;
before(async () => { p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' }); });
after(() => p.close());

const stamp = '2024-05-01T00:00:00.000Z';
const indicator = (label: string, tlp: Tlp) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, created: stamp, modified: stamp, name: label,
  pattern: `[domain-name:value = '${label.toLowerCase()}.example']`, pattern_type: 'stix', valid_from: stamp,
  object_marking_refs: [TLP2_MARKING_IDS[tlp]],
});

type Who = 'anonymous' | 'author' | 'colleague' | 'named' | 'network' | 'group' | 'outsider' | 'admin';

/** The rule, written out: who sees an object of this TLP and scope (uploaded by `author`, org A). */
function expected(who: Who, tlp: Tlp, scope: Scope): boolean {
  if (who === 'author') return true;
  if (tlp === 'red') return false; // recipients: the author only; no role bypasses RED
  const effective = scope === 'public' && tlp !== 'clear' ? 'network' : scope;
  switch (who) {
    case 'colleague': return true; // same organisation
    case 'named': return effective === 'orgs' || effective === 'network' || effective === 'public'; // org B: named, in the network
    case 'network': return effective === 'network' || effective === 'public'; // org N: network member only
    case 'group': return effective === 'group' || effective === 'public'; // org G: in the sharing group, not in the network
    case 'outsider': case 'admin': case 'anonymous': return effective === 'public';
  }
  return false;
}

test('leak matrix: actors × TLP × scope over list, object page and relationships', async () => {
  const db = p.database.db;
  const author = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const colleague = await createTestUser(db, { org: { orgId: author.orgId, role: 'observer' } });
  const named = await createTestUser(db, { org: { networkMember: true } });
  const network = await createTestUser(db, { org: { networkMember: true } });
  const group = await createTestUser(db, { org: { networkMember: false } });
  const outsider = await createTestUser(db, { org: { networkMember: false } });
  const admin = await createTestUser(db, { platformRole: 'administrator' });
  const groupId = newId();
  await db.insert(sharingGroups).values({ id: groupId, name: `G ${groupId.slice(0, 6)}` });
  await db.insert(sharingGroupMembers).values([{ groupId, orgId: author.orgId! }, { groupId, orgId: group.orgId! }]);

  const as = async (u: TestUser) => apiClient(p.url, await sessionFor(db, u.id));
  const clients: Record<Who, ReturnType<typeof apiClient>> = {
    anonymous: apiClient(p.url), author: await as(author), colleague: await as(colleague), named: await as(named),
    network: await as(network), group: await as(group), outsider: await as(outsider), admin: await as(admin),
  };
  const run = newId().slice(0, 8);
  const objects: { id: string; label: string; tlp: Tlp; scope: Scope; relId: string }[] = [];
  for (const scope of SCOPES) {
    const batch = TLP_LEVELS.map((tlp) => indicator(`M${run}-${scope}-${tlp}`, tlp));
    // A relationship (TLP:CLEAR, same scope) from each indicator to a shared public identity.
    const rels = batch.map((ind) => ({
      type: 'relationship', spec_version: '2.1', id: `relationship--${crypto.randomUUID()}`, created: stamp, modified: stamp,
      relationship_type: 'indicates', source_ref: ind.id, target_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
      object_marking_refs: [TLP2_MARKING_IDS[ind.object_marking_refs[0] === TLP2_MARKING_IDS.red ? 'red' : 'clear']],
    }));
    const q = new URLSearchParams({ scope, tlp: 'clear' });
    if (scope === 'orgs') q.set('scopeOrgIds', named.orgId!);
    if (scope === 'group') q.set('sharingGroupId', groupId);
    const res = await clients.author(`/api/intel/bundles?${q}`, { body: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [...batch, ...rels] } });
    const report = await json(res);
    assert.equal(res.status, 201, JSON.stringify(report));
    assert.equal(report.counts.added, 10);
    batch.forEach((ind, i) => objects.push({ id: ind.id, label: ind.name, tlp: TLP_LEVELS[i]!, scope, relId: rels[i]!.id }));
  }

  const failures: string[] = [];
  for (const who of Object.keys(clients) as Who[]) {
    const c = clients[who];
    const listed = await json(await c(`/api/intel/objects?q=M${run}&limit=1000&type=indicator`));
    const seen = new Set(listed.items.map((x: { object: { id: string } }) => x.object.id));
    for (const o of objects) {
      const want = expected(who, o.tlp, o.scope);
      if (seen.has(o.id) !== want) failures.push(`list ${who} ${o.tlp}/${o.scope}: saw=${seen.has(o.id)} want=${want}`);
      const page = await c(`/api/intel/objects/${o.id}`);
      if ((page.status === 200) !== want) failures.push(`page ${who} ${o.tlp}/${o.scope}: ${page.status}`);
      if (page.status !== 200 && page.status !== 404) failures.push(`page ${who}: unexpected ${page.status}`);
      if (page.status === 200) {
        const body = await json(page);
        assert.equal(body.item.object.name, o.label);
        // The relationship shares the object's scope; it is listed only where the reader may see it.
        const relIds = body.relationships.map((r: { object: { id: string } }) => r.object.id);
        if (relIds.includes(o.relId) !== expected(who, o.tlp === 'red' ? 'red' : 'clear', o.scope)) failures.push(`rel ${who} ${o.tlp}/${o.scope}`);
      } else await page.arrayBuffer();
    }
  }
  assert.deepEqual(failures, []);
});

test('upload: per-object report, idempotent re-upload, typed refusals; objects come back byte for byte', async () => {
  const db = p.database.db;
  const member = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  const observer = await createTestUser(db, { org: { orgId: member.orgId, role: 'observer' } });
  const c = apiClient(p.url, await sessionFor(db, member.id));
  const good = indicator('Bytes', 'green');
  const text = `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[  ${JSON.stringify(good, null, 3)}, {"type":"indicator","id":"indicator--x"}]}`;
  const session = await sessionFor(db, member.id);
  const raw = (body: string, s = session) => fetch(`${p.url}/api/intel/bundles?scope=network&tlp=green`, {
    method: 'POST', headers: { 'content-type': 'application/stix+json', cookie: s.cookie, 'x-csrf-token': s.csrfToken }, body,
  });
  const first = await json(await raw(text));
  assert.deepEqual(first.counts, { added: 1, unchanged: 0, conflict: 0, rejected: 1 });
  assert.equal(first.results.find((r: { index: number }) => r.index === 1).status, 'rejected');
  const again = await raw(text);
  assert.equal(again.status, 200);
  assert.deepEqual((await json(again)).counts, { added: 0, unchanged: 1, conflict: 0, rejected: 1 });

  const page = await c(`/api/intel/objects/${good.id}`);
  const bodyText = await page.text();
  assert.ok(bodyText.includes(JSON.stringify(good, null, 3)), 'the object is served as its original text');

  assert.equal((await raw('{"type":"bundle","objects":[{"a":1}')).status, 400);
  assert.equal((await fetch(`${p.url}/api/intel/bundles`, { method: 'POST', headers: { 'content-type': 'application/stix+json' }, body: text })).status, 401);
  const obs = await sessionFor(db, observer.id);
  assert.equal((await raw(text, obs)).status, 403);
  assert.equal((await c('/api/intel/bundles?scope=public&tlp=green', { method: 'POST', headers: { 'content-type': 'application/json' }, body: {} as never })).status, 400);
  assert.equal((await c('/api/intel/objects?version=yesterday')).status, 400);
  assert.equal((await c('/api/intel/objects?limit=5000')).status, 400);
  assert.equal((await c('/api/intel/objects/not-an-id')).status, 400);
  assert.equal((await c(`/api/intel/objects/indicator--${crypto.randomUUID()}`)).status, 404);
});
