/**
 * Leak matrix for the MISP read paths: the event list, an event's attribute pages, and the served
 * MISP feed (manifest.json, <uuid>.json, hashes.csv) — for anonymous, a stakeholder (non-network
 * organisation), a network member of another organisation, a colleague in the owning organisation
 * (not the importer), a sharing-group member, the TLP:RED recipient and a platform administrator who
 * is not a recipient — over every TLP × scope. Each event carries one attribute with the event's
 * distribution and one with distribution 0 (your organisation only), so rows inside one event are
 * filtered too. The expectation of every cell is `canSee` (the reference rule).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { loadUserActor } from '../../auth/actor-loader.ts';
import type { Actor } from '../../core/actor.ts';
import type { Tlp } from '../../core/tlp.ts';
import { canSee, type Marking, type Scope } from '../../core/visibility.ts';
import { sharingGroupOf, tokenFor } from '../taxii/test-support.ts';
import { importMispEvent } from './import.command.ts';

type Cell = { tlp: Tlp; scope: Scope; uuid: string; shared: string; local: string; event: Marking; orgOnly: Marking };
let p: TestPlatform;
const users: Record<string, TestUser> = {};
const actors: Record<string, Actor> = {};
const tokens: Record<string, string | null> = {};
const cells: Cell[] = [];
const WHO = ['anonymous', 'stakeholder', 'outsider', 'ownerColleague', 'groupPeer', 'recipient', 'admin'] as const;
const md5 = (v: string) => crypto.createHash('md5').update(v).digest('hex');

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.testDb.database.db;
  users.owner = await createTestUser(db, { org: { networkMember: true } });
  users.ownerColleague = await createTestUser(db, { org: { orgId: users.owner.orgId, role: 'member' } });
  users.groupPeer = await createTestUser(db, { org: { networkMember: true } });
  users.recipient = await createTestUser(db, { org: { orgId: users.groupPeer.orgId, role: 'member' } });
  users.outsider = await createTestUser(db, { org: { networkMember: true } });
  users.stakeholder = await createTestUser(db, { org: { networkMember: false } });
  users.admin = await createTestUser(db, { platformRole: 'administrator', org: { networkMember: true } });
  const group = await sharingGroupOf(db, 'MISP leak matrix group', [users.owner.orgId!, users.groupPeer.orgId!]);
  tokens.anonymous = null;
  for (const [k, u] of Object.entries(users)) {
    tokens[k] = await tokenFor(db, u.id, ['intel:read']);
    actors[k] = (await loadUserActor(db, u.id, { via: 'token', tokenId: 'x', scopes: ['intel:read'] }))!;
  }
  actors.anonymous = { kind: 'anonymous' } as Actor;
  let n = 0;
  for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as Tlp[]) {
    for (const scope of ['org', 'orgs', 'group', 'network', 'public'] as Scope[]) {
      if (scope === 'public' && tlp !== 'clear') continue;
      n++;
      const uuid = crypto.randomUUID();
      const shared = `198.51.100.${n}`;
      const local = `203.0.113.${n}`;
      const event = {
        uuid, info: `matrix ${tlp} ${scope}`, date: '2024-05-01', timestamp: '1714521600', distribution: '3',
        Attribute: [
          { uuid: crypto.randomUUID(), type: 'ip-dst', category: 'Network activity', value: shared, to_ids: true, distribution: '5', timestamp: '1714521600' },
          { uuid: crypto.randomUUID(), type: 'ip-dst', category: 'Network activity', value: local, to_ids: true, distribution: '0', timestamp: '1714521600' },
        ],
      };
      const o = {
        ownerOrgId: users.owner.orgId!, scope, tlpDefault: tlp, source: 'file',
        scopeOrgIds: scope === 'orgs' ? [users.outsider.orgId!] : [], sharingGroupId: scope === 'group' ? group : null,
        recipientUserIds: tlp === 'red' ? [users.recipient.id] : [],
      };
      const r = await importMispEvent(db, { actor: actors.owner! }, event, o);
      assert.equal(r.status, 'imported', JSON.stringify(r));
      assert.equal(r.stored.rejected + r.stored.conflict, 0, JSON.stringify(r.problems));
      const base = { tlp, ownerOrgId: users.owner.orgId!, createdBy: users.owner.id, recipientUserIds: o.recipientUserIds };
      cells.push({
        tlp, scope, uuid, shared, local,
        event: { ...base, scope, scopeOrgIds: o.scopeOrgIds, sharingGroupId: o.sharingGroupId },
        orgOnly: { ...base, scope: 'org', scopeOrgIds: [], sharingGroupId: null },
      });
    }
  }
});
after(() => p.close());

const get = (who: string, path: string) => fetch(`${p.url}${path}`, { headers: tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {} });

test('event list and attribute pages show exactly what canSee allows, row by row', async () => {
  for (const who of WHO) {
    const list = await get(who, '/api/intel/misp/events?limit=500');
    assert.equal(list.status, 200, who);
    const listItems = (await json(list)).items as { uuid: string; attributeCount: number }[];
    const listed = new Set(listItems.map((e) => e.uuid));
    for (const c of cells) {
      const label = `${who} × ${c.tlp}/${c.scope}`;
      const want = canSee(actors[who]!, c.event);
      assert.equal(listed.has(c.uuid), want, `${label}: event list`);
      const page = await get(who, `/api/intel/misp/events/${c.uuid}/attributes?page=0&size=10`);
      assert.equal(page.status, want ? 200 : 404, `${label}: attribute page`);
      if (!want) continue;
      const body = await json(page);
      const values = (body.items as { attribute: { value: string } }[]).map((i) => i.attribute.value);
      assert.equal(values.includes(c.shared), true, `${label}: the event's own attribute`);
      assert.equal(values.includes(c.local), canSee(actors[who]!, c.orgOnly), `${label}: the organisation-only attribute`);
      // Counts and numbering must not reveal attributes marked for others either.
      const visibleCount = 1 + (canSee(actors[who]!, c.orgOnly) ? 1 : 0);
      assert.equal(body.total, visibleCount, `${label}: attribute total`);
      assert.deepEqual((body.items as { ord: number }[]).map((i) => i.ord), [...Array(visibleCount).keys()], `${label}: dense numbering`);
      assert.equal(listItems.find((e) => e.uuid === c.uuid)!.attributeCount, visibleCount, `${label}: event list count`);
    }
  }
});

test('served MISP feed (manifest, event files, hashes.csv) shows exactly what canSee allows', async () => {
  for (const who of WHO) {
    for (const collection of ['all', 'network', 'public', `org-${users.owner!.orgId}`]) {
      const res = await get(who, `/api/intel/misp/feeds/${collection}/manifest.json`);
      assert.equal(res.status, 200, `${who} ${collection}`);
      const manifest = (await json(res)) as Record<string, unknown>;
      const hashes = await (await get(who, `/api/intel/misp/feeds/${collection}/hashes.csv`)).text();
      for (const c of cells) {
        const inCollection = collection === 'all' || collection.startsWith('org-') || (collection === 'network' ? ['network', 'public'].includes(c.scope) : c.scope === 'public' && c.tlp === 'clear');
        const want = canSee(actors[who]!, c.event) && inCollection;
        const label = `${who} × ${c.tlp}/${c.scope} in ${collection}`;
        assert.equal(c.uuid in manifest, want, `${label}: manifest`);
        assert.equal(hashes.includes(`${md5(c.shared)},${c.uuid}`), want, `${label}: hashes.csv`);
        assert.equal(hashes.includes(`${md5(c.local)},${c.uuid}`), want && canSee(actors[who]!, c.orgOnly), `${label}: hashes.csv (organisation-only attribute)`);
        if (collection !== 'all') continue;
        const file = await get(who, `/api/intel/misp/feeds/all/${c.uuid}.json`);
        assert.equal(file.status, want ? 200 : 404, `${label}: event file`);
        if (!want) continue;
        const ev = (await json(file)).Event as { Attribute: { value: string; distribution: string }[] };
        const values = ev.Attribute.map((a) => a.value);
        assert.ok(values.includes(c.shared), `${label}: event file attribute`);
        assert.equal(values.includes(c.local), canSee(actors[who]!, c.orgOnly), `${label}: event file organisation-only attribute`);
      }
    }
  }
});
