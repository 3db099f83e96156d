/**
 * Leak matrix for part B's read paths: TAXII (every collection, one object, versions, manifest),
 * REST search, bulk lookup, correlations ("also seen by") and sightings — for each kind of actor
 * (anonymous, owner, group peer, RED recipient, network member outside the group, non-network org)
 * and every TLP × scope. The expectation of each cell is `canSee` (the reference rule); a path
 * showing anything more, or anything less, fails.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { loadUserActor } from '../../auth/actor-loader.ts';
import type { Actor } from '../../core/actor.ts';
import type { Tlp } from '../../core/tlp.ts';
import { canSee, type Marking, type Scope } from '../../core/visibility.ts';
import { ingestBundle } from '../ingest.command.ts';
import { bundleOf, chunks } from '../test/fixtures.ts';
import { indexNewObjects } from '../correlation/index.command.ts';
import { reportSighting } from '../correlation/sightings.command.ts';
import { ALL_COLLECTION_ID } from './collections.ts';
import { indicator, ROOT, sharingGroupOf, taxiiClient, tokenFor } from './test-support.ts';

type Cell = { tlp: Tlp; scope: Scope; obj: ReturnType<typeof indicator>; ip: string; marking: Marking };
let p: TestPlatform;
const users: Record<string, TestUser> = {};
const actors: Record<string, Actor> = {};
const tokens: Record<string, string> = {};
const cells: Cell[] = [];
let probe: ReturnType<typeof indicator>; // org C's network object sharing every cell's IP
let group: string;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.testDb.database.db;
  users.owner = await createTestUser(db, { org: { networkMember: true } });
  users.ownerColleague = await createTestUser(db, { org: { orgId: users.owner.orgId, role: 'member' } });
  users.peer = await createTestUser(db, { org: { networkMember: true } });
  users.recipient = await createTestUser(db, { org: { orgId: users.peer.orgId, role: 'member' } });
  users.outsider = await createTestUser(db, { org: { networkMember: true } });
  users.company = await createTestUser(db, { org: { networkMember: false } });
  group = await sharingGroupOf(db, 'Leak matrix group', [users.owner.orgId!, users.peer.orgId!]);
  for (const [k, u] of Object.entries(users)) {
    tokens[k] = await tokenFor(db, u.id, ['taxii', 'intel:read', 'intel:write']);
    actors[k] = (await loadUserActor(db, u.id, { via: 'token', tokenId: 'x', scopes: ['taxii', 'intel:read'] }))!;
  }
  const ownerMeta = { actor: actors.owner! };
  let n = 0;
  for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as Tlp[]) {
    for (const scope of ['org', 'orgs', 'group', 'network', 'public'] as Scope[]) {
      if (scope === 'public' && tlp !== 'clear') continue;
      const ip = `203.0.113.${++n}`;
      const obj = indicator({ value: ip, tlp, name: `matrix ${tlp} ${scope}` });
      const opts = {
        ownerOrgId: users.owner.orgId!, scope, tlpDefault: tlp, scopeOrgIds: scope === 'orgs' ? [users.outsider.orgId!] : [],
        sharingGroupId: scope === 'group' ? group : null, recipientUserIds: tlp === 'red' ? [users.recipient.id] : [],
      };
      const r = await ingestBundle(db, ownerMeta, chunks(bundleOf([obj])), opts);
      assert.equal(r.counts.added, 1, JSON.stringify(r.results));
      cells.push({ tlp, scope, obj, ip, marking: { tlp, scope, ownerOrgId: users.owner.orgId!, createdBy: users.owner.id, scopeOrgIds: opts.scopeOrgIds, sharingGroupId: opts.sharingGroupId, recipientUserIds: opts.recipientUserIds } });
    }
  }
  // The owner's colleague (same org, not the creator) shows RED is not for the whole organisation.
  const objects = cells.map((c) => c.ip);
  probe = { ...indicator({ name: 'probe' }), pattern: `[ipv4-addr:value IN (${objects.map((ip) => `'${ip}'`).join(', ')})]` };
  await ingestBundle(db, { actor: actors.outsider! }, chunks(bundleOf([probe])), { ownerOrgId: users.outsider.orgId!, scope: 'network', tlpDefault: 'green' });
  await indexNewObjects(db);
  // The owner's organisation saw the probe too, and keeps that to itself (TLP:AMBER, own organisation).
  await reportSighting(db, { actor: actors.owner! }, probe.id, { tlp: 'amber', scope: 'org' });
});
after(() => p.close());

const expected = (who: string, c: Cell) => canSee(actors[who]!, c.marking);

test('TAXII: every collection, one object, versions and manifest show exactly what canSee allows', async () => {
  for (const who of Object.keys(users)) {
    const c = taxiiClient(p.url, tokens[who]!);
    const collections = (await json(await c(`${ROOT}/collections/`))).collections as { id: string }[];
    const union = new Set<string>();
    for (const coll of collections) {
      const env = await json(await c(`${ROOT}/collections/${coll.id}/objects/?limit=1000&match[type]=indicator`));
      for (const o of env.objects ?? []) union.add(o.id);
      const man = await json(await c(`${ROOT}/collections/${coll.id}/manifest/?limit=1000`));
      for (const m of man.objects ?? []) if (m.id !== probe.id) assert.ok(cells.some((x) => x.obj.id === m.id && expected(who, x)), `${who}: manifest of ${coll.id} leaks ${m.id}`);
    }
    for (const cell of cells) {
      const want = expected(who, cell);
      assert.equal(union.has(cell.obj.id), want, `${who} × ${cell.tlp}/${cell.scope}: objects`);
      const one = await c(`${ROOT}/collections/${ALL_COLLECTION_ID}/objects/${cell.obj.id}/`);
      assert.equal(one.status, want ? 200 : 404, `${who} × ${cell.tlp}/${cell.scope}: one object`);
      const versions = await c(`${ROOT}/collections/${ALL_COLLECTION_ID}/objects/${cell.obj.id}/versions/`);
      assert.equal(versions.status, want ? 200 : 404, `${who} × ${cell.tlp}/${cell.scope}: versions`);
    }
  }
});

test('REST search, lookup, correlations and sightings show exactly what canSee allows', async () => {
  for (const who of Object.keys(users)) {
    const headers = { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' };
    const search = await json(await fetch(`${p.url}/api/intel/objects?q=matrix&limit=1000`, { headers }));
    const listed = new Set((search.items as { meta: { id: string } }[]).map((o) => o.meta.id));
    const lookup = await json(await fetch(`${p.url}/api/intel/lookup`, { method: 'POST', headers, body: JSON.stringify({ values: cells.map((c) => c.ip) }) }));
    const probeVisible = canSee(actors[who]!, { tlp: 'green', scope: 'network', ownerOrgId: users.outsider!.orgId!, createdBy: users.outsider!.id, scopeOrgIds: [], sharingGroupId: null, recipientUserIds: [] });
    const corrRes = await fetch(`${p.url}/api/intel/objects/${probe.id}/correlations`, { headers });
    assert.equal(corrRes.status, probeVisible ? 200 : 404, `${who}: correlations of the probe`);
    const corr = probeVisible ? await json(corrRes) : { alsoSeenBy: [] };
    const correlated = new Set((corr.alsoSeenBy as { objects: { id: string }[] }[]).flatMap((g) => g.objects.map((o) => o.id)));
    for (const [i, cell] of cells.entries()) {
      const want = expected(who, cell);
      const label = `${who} × ${cell.tlp}/${cell.scope}`;
      assert.equal(listed.has(cell.obj.id), want, `${label}: REST search`);
      const hit = lookup.results[i];
      assert.equal(hit.input, cell.ip);
      assert.equal(hit.matches.some((m: { id: string }) => m.id === cell.obj.id), want, `${label}: lookup`);
      assert.equal(hit.matchCount, hit.matches.length);
      assert.ok(hit.warnings.some((w: { list: string }) => w.list === 'documentation-ipv4'), `${label}: warning list`);
      assert.equal(correlated.has(cell.obj.id), want && probeVisible, `${label}: also seen by`);
    }
    // The owner's sighting is TLP:AMBER for its own organisation only.
    const sRes = await fetch(`${p.url}/api/intel/objects/${probe.id}/sightings`, { headers });
    assert.equal(sRes.status, probeVisible ? 200 : 404);
    const s = probeVisible ? await json(sRes) : { byOrganisation: [] };
    const ownerSeen = s.byOrganisation.some((o: { orgId: string }) => o.orgId === users.owner!.orgId);
    assert.equal(ownerSeen, who === 'owner' || who === 'ownerColleague', `${who}: sightings`);
  }
  // Anonymous: nothing at all.
  assert.equal((await fetch(`${p.url}/api/intel/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ values: [cells[0]!.ip] }) })).status, 401);
  assert.equal((await fetch(`${p.url}/api/intel/objects/${probe.id}/correlations`)).status, 401);
  assert.equal((await fetch(`${p.url}${ROOT}/collections/`)).status, 401);
});
