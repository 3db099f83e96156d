/**
 * Update and transition paths of cases against TLP: someone who may not see a case cannot change it
 * nor learn it exists (the same 404 as an unknown id); a case turned TLP:RED takes its channel with
 * it (invite-only, named recipients only); the assignee of a RED case — who is notified — must be
 * one of its named recipients.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../auth/test-helpers.ts';

let p: TestPlatform;
let a1: TestUser, a2: TestUser, b1: TestUser, c1: TestUser;
type Client = ReturnType<typeof apiClient>;
let A1: Client, A2: Client, B1: Client, C1: Client;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  a1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  a2 = await createTestUser(db, { org: { orgId: a1.orgId, role: 'member' } });
  b1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'CL' } });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'PE' } });
  [A1, A2, B1, C1] = (await Promise.all([a1, a2, b1, c1].map(async (u) => apiClient(p.url, await sessionFor(db, u.id))))) as [Client, Client, Client, Client];
});
after(() => p.close());

async function newCase(body: Record<string, unknown> = {}) {
  const res = await A1('/api/incidents/cases', { body: { title: 'Ransomware at a hospital', classification: 'malware', ...body } });
  assert.equal(res.status, 201, await res.clone().text());
  return (await json(res)) as { id: string; channelId: string; reference: string };
}
const caseNotices = async (c: Client, caseId: string) =>
  (await json(await c('/api/incidents/notifications'))).items.filter((n: { caseId: string | null }) => n.caseId === caseId);

test('a case that turns TLP:RED takes its channel with it: the participants who are not named lose case and channel', async () => {
  const c = await newCase({ tlp: 'amber' });
  let r = await A1(`/api/incidents/cases/${c.id}/participants`, { body: { orgId: b1.orgId, role: 'helper' } });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await B1(`/api/incidents/cases/${c.id}`)).status, 200);
  assert.equal((await B1(`/api/messaging/channels/${c.channelId}/messages`)).status, 200, 'the participant reads the AMBER case channel');
  assert.equal((await B1(`/api/messaging/channels/${c.channelId}/join`, { method: 'POST' })).status < 300, true);

  r = await A1(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { tlp: 'red', recipientUserIds: [a2.id] } });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await B1(`/api/incidents/cases/${c.id}`)).status, 404, 'the case');
  assert.equal((await B1(`/api/messaging/channels/${c.channelId}/messages`)).status, 404, 'the channel (whose name holds the case title)');
  const listed = (await json(await B1('/api/messaging/channels'))).items.map((x: { id: string }) => x.id);
  assert.ok(!listed.includes(c.channelId), 'the channel is not listed to a non-recipient');
  const post = await B1(`/api/messaging/channels/${c.channelId}/messages`, { body: { body: 'still here?' } });
  assert.equal(post.status, 404, 'a non-recipient cannot post into it');
  for (const who of [A1, A2]) {
    assert.equal((await who(`/api/incidents/cases/${c.id}`)).status, 200);
    assert.equal((await who(`/api/messaging/channels/${c.channelId}/messages`)).status, 200, 'named recipients keep the channel');
  }

  // Re-marked AMBER by the owner: the participants' channel is open again.
  r = await A1(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { tlp: 'amber' } });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await B1(`/api/messaging/channels/${c.channelId}/messages`)).status, 200);
});

test('TLP:RED: the assignee must be a named recipient — anyone else is a typed 400, changes nothing and is told nothing', async () => {
  const c = await newCase({ tlp: 'red', recipientUserIds: [] });
  let r = await A1(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { assigneeId: a2.id } });
  assert.equal(r.status, 400, 'a member of the owning team who is not named');
  assert.equal((await json(r)).code, 'validation_failed');
  assert.deepEqual(await caseNotices(A2, c.id), [], 'no notice of a case they may not read');
  assert.equal((await A2(`/api/incidents/cases/${c.id}`)).status, 404);
  assert.equal((await json(await A1(`/api/incidents/cases/${c.id}`))).assigneeId, null);

  r = await A1(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { recipientUserIds: [a2.id] } });
  assert.equal(r.status, 200, await r.clone().text());
  r = await A1(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { assigneeId: a2.id } });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await caseNotices(A2, c.id)).length, 1, 'the named assignee is told');

  // At creation too.
  r = await A1('/api/incidents/cases', { body: { title: 'RED with an unnamed assignee', classification: 'malware', tlp: 'red', assigneeId: a2.id } });
  assert.equal(r.status, 400);
  r = await A1('/api/incidents/cases', { body: { title: 'RED with a named assignee', classification: 'malware', tlp: 'red', recipientUserIds: [a2.id], assigneeId: a2.id } });
  assert.equal(r.status, 201, await r.clone().text());
});

test('someone who may not see a case gets the 404 of an unknown case on every change path, and the case is unchanged', async () => {
  const c = await newCase({ tlp: 'amber' });
  const unknown = crypto.randomUUID();
  const paths: [string, string, Record<string, unknown> | undefined][] = [
    ['PATCH', '', { title: 'hijacked' }],
    ['POST', '/transition', { action: 'reject', reason: 'spam' }],
    ['POST', '/participants', { orgId: c1.orgId, role: 'helper' }],
    ['DELETE', `/participants/${a1.orgId}`, undefined],
    ['POST', '/notes', { body: 'hello' }],
    ['POST', '/tasks', { title: 'a task' }],
    ['POST', '/links', { otherCaseId: crypto.randomUUID() }],
  ];
  for (const [method, suffix, body] of paths) {
    const mine = await C1(`/api/incidents/cases/${c.id}${suffix}`, { method, ...(body ? { body } : {}) });
    const none = await C1(`/api/incidents/cases/${unknown}${suffix}`, { method, ...(body ? { body } : {}) });
    assert.equal(mine.status, 404, `${method} ${suffix}`);
    assert.equal(none.status, 404, `${method} ${suffix} (unknown)`);
    const [x, y] = [await json(mine), await json(none)];
    assert.deepEqual([x.code, x.title], [y.code, y.title], `${method} ${suffix}: the same answer`);
  }
  // A transition naming an invisible case as the original is the same 404 too.
  const other = await C1('/api/incidents/cases', { body: { title: 'C only', classification: 'malware' } });
  assert.equal(other.status, 201);
  const dup = await A1(`/api/incidents/cases/${c.id}/transition`, { body: { action: 'mark_duplicate', duplicateOfId: (await json(other)).id } });
  assert.equal(dup.status, 404);
  const got = await json(await A1(`/api/incidents/cases/${c.id}`));
  assert.equal(got.title, 'Ransomware at a hospital');
  assert.equal(got.status, 'new');
  assert.deepEqual(got.participants, []);
});
