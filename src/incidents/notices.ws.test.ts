/**
 * Incident notifications reach the open tabs of the person they are for, at once (a bare
 * `incidents.notice` message over the per-tab WebSocket), and nobody else's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { organisations } from '../core/tables.ts';

let p: TestPlatform;
let gov: TestUser, helper: TestUser, outsider: TestUser;
let sgov: TestSession, shelper: TestSession, soutsider: TestSession;
before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  const govOrg = newId();
  await db.insert(organisations).values({ id: govOrg, name: 'Ministry (notices)', type: 'government_agency', countryCode: 'XB', networkMember: false });
  gov = await createTestUser(db, { org: { orgId: govOrg, role: 'org_admin' } });
  helper = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  outsider = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
  [sgov, shelper, soutsider] = (await Promise.all([gov, helper, outsider].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession, TestSession];
});
after(() => p.close());

/** A signed-in tab's socket and the messages it got after hello. */
async function tab(s: TestSession) {
  const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/ws`, { headers: { cookie: s.cookie, origin: p.url } });
  const got: { type: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { type: string };
      if (m.type === 'hello') resolve();
      else got.push(m);
    });
    ws.on('error', reject);
  });
  return { ws, got };
}

test("a new notification is pushed to its person's tabs, and only theirs", async () => {
  const [govTab, helperTab, outsiderTab] = [await tab(sgov), await tab(shelper), await tab(soutsider)];
  const res = await apiClient(p.url, sgov)('/api/incidents/assistance', {
    body: { title: 'Notices: defacement', whatHappened: 'Home page replaced.', helpKinds: ['forensics'], urgency: 'high', classification: 'defacement', tlp: 'amber', pap: 'amber', audience: 'network' },
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = (await json(res)) as { id: string };
  // Published to the network: the helper's team is told.
  for (let i = 0; i < 200 && !helperTab.got.some((m) => m.type === 'incidents.notice'); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(helperTab.got.some((m) => m.type === 'incidents.notice'), 'the helper was told at once');
  // The helper offers: the requester is told.
  assert.equal((await apiClient(p.url, shelper)(`/api/incidents/assistance/${id}/offers`, { body: { message: 'We can help.', helpKinds: ['forensics'] } })).status, 201);
  for (let i = 0; i < 200 && !govTab.got.some((m) => m.type === 'incidents.notice'); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(govTab.got.some((m) => m.type === 'incidents.notice'), 'the requester was told at once');
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(outsiderTab.got, [], 'nothing for someone the notifications are not for');
  assert.deepEqual(Object.keys(govTab.got[0]!), ['type'], 'the message carries nothing but its type');
  for (const t of [govTab, helperTab, outsiderTab]) t.ws.close();
});
