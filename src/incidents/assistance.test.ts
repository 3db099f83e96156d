/**
 * Cross-border assistance over HTTP: a government body of a country without a CSIRT asks the
 * network for help; two teams offer; one is accepted and joins the case and its channel; timers
 * for first offer and acceptance; closure with lessons learned and a rating resolves the case;
 * yearly statistics per country for the hub. Audience: a request to named teams is invisible to
 * others; offers are seen by the requester and by the offering team only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { organisations } from '../core/tables.ts';
import { channelMembers, channels } from '../messaging/tables.ts';
import { assistanceRequests } from './tables.ts';

let p: TestPlatform;
let gov: TestUser, b1: TestUser, c1: TestUser, d1: TestUser, coord: TestUser;
let sgov: TestSession, sb1: TestSession, sc1: TestSession, sd1: TestSession, scoord: TestSession;
const api = (s: TestSession) => apiClient(p.url, s);

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  const govOrg = newId();
  await db.insert(organisations).values({ id: govOrg, name: 'Ministry of ICT (no CSIRT yet)', type: 'government_agency', countryCode: 'XB', networkMember: false });
  gov = await createTestUser(db, { org: { orgId: govOrg, role: 'org_admin' } });
  b1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'CL' } });
  d1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'PE' } });
  coord = await createTestUser(db, { platformRole: 'coordinator', org: { networkMember: true, role: 'member' } });
  [sgov, sb1, sc1, sd1, scoord] = (await Promise.all([gov, b1, c1, d1, coord].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession, TestSession, TestSession, TestSession];
});
after(() => p.close());

const REQUEST = {
  title: 'Ransomware on the national tax portal', whatHappened: 'Servers encrypted overnight; ransom note left.', helpKinds: ['forensics', 'malware_analysis'],
  urgency: 'critical', classification: 'malware', tlp: 'amber', pap: 'amber', audience: 'network',
};

test('a country without a CSIRT asks for help → two teams offer → one accepted joins case and channel → closed with lessons learned; timers', async () => {
  const res = await api(sgov)('/api/incidents/assistance', { body: REQUEST });
  assert.equal(res.status, 201, await res.clone().text());
  const req = (await json(res)) as { id: string; caseId: string; countryCode: string };
  assert.equal(req.countryCode, 'XB');
  // Every network team sees it and was notified; the requester sees it.
  for (const s of [sb1, sc1, sd1]) {
    const l = (await json(await api(s)('/api/incidents/assistance'))) as { items: { id: string }[] };
    assert.ok(l.items.some((x) => x.id === req.id));
  }
  const nb = (await json(await api(sb1)('/api/incidents/notifications'))) as { items: { kind: string; requestId: string }[] };
  assert.ok(nb.items.some((n) => n.kind === 'assistance.published' && n.requestId === req.id));
  // Before any offer is accepted, helpers cannot read the case.
  assert.equal((await api(sb1)(`/api/incidents/cases/${req.caseId}`)).status, 404);

  const before0 = (await json(await api(sgov)(`/api/incidents/assistance/${req.id}`))) as { timeToFirstOfferSeconds: number | null; timeToAcceptanceSeconds: number | null };
  assert.equal(before0.timeToFirstOfferSeconds, null);
  assert.equal(before0.timeToAcceptanceSeconds, null);

  const offerB = (await json(await api(sb1)(`/api/incidents/assistance/${req.id}/offers`, { body: { message: 'We can do disk forensics today.', helpKinds: ['forensics'] } }))) as { id: string };
  const offerC = (await json(await api(sc1)(`/api/incidents/assistance/${req.id}/offers`, { body: { message: 'Our lab can reverse the sample.', helpKinds: ['malware_analysis'] } }))) as { id: string };
  assert.equal((await api(sb1)(`/api/incidents/assistance/${req.id}/offers`, { body: { message: 'again', helpKinds: ['forensics'] } })).status, 409);
  assert.equal((await api(sgov)(`/api/incidents/assistance/${req.id}/offers`, { body: { message: 'me', helpKinds: ['other'] } })).status, 403, 'a non-network body offers nothing');
  // Offers: requester sees both, B only its own, D none.
  const seenBy = async (s: TestSession) => ((await json(await api(s)(`/api/incidents/assistance/${req.id}`))) as { offers: { id: string }[] }).offers.map((o) => o.id).sort();
  assert.deepEqual(await seenBy(sgov), [offerB.id, offerC.id].sort());
  assert.deepEqual(await seenBy(sb1), [offerB.id]);
  assert.deepEqual(await seenBy(sd1), []);
  // Only the requester decides.
  assert.equal((await api(sb1)(`/api/incidents/assistance/${req.id}/offers/${offerB.id}/accept`, { method: 'POST' })).status, 403);

  // Make the timers measurable: move the request's creation back (the timers are differences of stored instants).
  await p.database.db.update(assistanceRequests).set({ createdAt: new Date(Date.now() - 2 * 3600_000) }).where(eq(assistanceRequests.id, req.id));
  const acc = await api(sgov)(`/api/incidents/assistance/${req.id}/offers/${offerB.id}/accept`, { method: 'POST' });
  assert.equal(acc.status, 200, await acc.clone().text());
  assert.equal((await api(sgov)(`/api/incidents/assistance/${req.id}/offers/${offerB.id}/accept`, { method: 'POST' })).status, 409);
  assert.equal((await api(sgov)(`/api/incidents/assistance/${req.id}/offers/${offerC.id}/decline`, { method: 'POST' })).status, 200);

  const r = (await json(await api(sgov)(`/api/incidents/assistance/${req.id}`))) as { status: string; timeToFirstOfferSeconds: number; timeToAcceptanceSeconds: number; firstOfferAt: string; firstAcceptedAt: string; createdAt: string };
  assert.equal(r.status, 'in_progress');
  assert.ok(r.timeToFirstOfferSeconds >= 7190 && r.timeToFirstOfferSeconds <= 7300, String(r.timeToFirstOfferSeconds));
  assert.ok(r.timeToAcceptanceSeconds >= r.timeToFirstOfferSeconds);
  assert.equal(r.timeToAcceptanceSeconds, Math.round((Date.parse(r.firstAcceptedAt) - Date.parse(r.createdAt)) / 1000));

  // B (accepted) reads and works on the case; C (declined) and D do not.
  const cB = (await json(await api(sb1)(`/api/incidents/cases/${req.caseId}`))) as { status: string; channelId: string; participants: { orgId: string; role: string }[] };
  assert.equal(cB.status, 'open');
  assert.deepEqual(cB.participants.map((x) => [x.orgId, x.role]), [[b1.orgId, 'helper']]);
  assert.equal((await api(sc1)(`/api/incidents/cases/${req.caseId}`)).status, 404);
  assert.equal((await api(sd1)(`/api/incidents/cases/${req.caseId}`)).status, 404);
  assert.equal((await api(sb1)(`/api/incidents/cases/${req.caseId}/notes`, { body: { body: 'Disk images received; encryptor identified.' } })).status, 201);
  // The channel: B's offerer is a member, the audience includes B; B posts and reads; C cannot enter.
  const [ch] = await p.database.db.select().from(channels).where(eq(channels.id, cB.channelId));
  assert.equal(ch!.contextType, 'case'); assert.equal(ch!.contextId, req.caseId);
  assert.ok(ch!.scopeOrgIds.includes(b1.orgId!));
  const mem = await p.database.db.select().from(channelMembers).where(eq(channelMembers.channelId, cB.channelId));
  assert.ok(mem.some((m) => m.userId === b1.id));
  const post = await api(sb1)(`/api/messaging/channels/${cB.channelId}/messages`, { body: { body: 'Starting the triage now.' } });
  assert.equal(post.status, 201, await post.clone().text());
  const hist = (await json(await api(sgov)(`/api/messaging/channels/${cB.channelId}/messages`))) as { items: { body: string }[] };
  assert.ok(hist.items.some((m) => m.body === 'Starting the triage now.'));
  assert.equal((await api(sc1)(`/api/messaging/channels/${cB.channelId}/messages`)).status, 404);

  // Close with lessons learned.
  assert.equal((await api(sgov)(`/api/incidents/assistance/${req.id}/close`, { body: { lessonsLearned: 'x', rating: 9 } })).status, 400);
  const closed = await api(sgov)(`/api/incidents/assistance/${req.id}/close`, { body: { lessonsLearned: 'Offline backups would have cut recovery to a day.', rating: 5 } });
  assert.equal(closed.status, 200, await closed.clone().text());
  assert.equal((await api(sgov)(`/api/incidents/assistance/${req.id}/close`, { body: { lessonsLearned: 'again', rating: 4 } })).status, 409);
  const cAfter = (await json(await api(sb1)(`/api/incidents/cases/${req.caseId}`))) as { status: string; timeline: { body: string }[] };
  assert.equal(cAfter.status, 'resolved');
  assert.ok(cAfter.timeline.some((t) => t.body.includes('Offline backups')), 'helpers read the lessons learned');
  assert.equal((await api(sd1)(`/api/incidents/assistance/${req.id}/offers`, { body: { message: 'late', helpKinds: ['other'] } })).status, 409);

  // Hub statistics per country (coordinators only).
  assert.equal((await api(sb1)(`/api/incidents/assistance-stats?year=${new Date().getUTCFullYear()}`)).status, 403);
  const stats = (await json(await api(scoord)(`/api/incidents/assistance-stats?year=${new Date().getUTCFullYear()}`))) as {
    requestingCountries: { country: string; requests: number; accepted: number; closed: number; meanRating: number; medianFirstOfferSeconds: number }[];
    helpingCountries: { country: string; offers: number; accepted: number }[];
  };
  const xb = stats.requestingCountries.find((x) => x.country === 'XB')!;
  assert.deepEqual([xb.requests, xb.accepted, xb.closed, xb.meanRating], [1, 1, 1, 5]);
  assert.ok(Math.abs(xb.medianFirstOfferSeconds - r.timeToFirstOfferSeconds) <= 1);
  assert.deepEqual(stats.helpingCountries.find((x) => x.country === 'UY'), { country: 'UY', offers: 1, accepted: 1 });
  assert.deepEqual(stats.helpingCountries.find((x) => x.country === 'CL'), { country: 'CL', offers: 1, accepted: 0 });
});

test('audience: a request to named teams is invisible to other teams; private-sector orgs cannot request', async () => {
  const res = await api(sgov)('/api/incidents/assistance', { body: { ...REQUEST, audience: 'teams', teamOrgIds: [c1.orgId] } });
  assert.equal(res.status, 201);
  const req = (await json(res)) as { id: string };
  assert.equal((await api(sc1)(`/api/incidents/assistance/${req.id}`)).status, 200);
  assert.equal((await api(sd1)(`/api/incidents/assistance/${req.id}`)).status, 404);
  assert.equal((await api(sd1)(`/api/incidents/assistance/${req.id}/offers`, { body: { message: 'hi', helpKinds: ['other'] } })).status, 404);
  assert.equal((await api(sgov)('/api/incidents/assistance', { body: { ...REQUEST, audience: 'teams' } })).status, 400);
  assert.equal((await api(sgov)('/api/incidents/assistance', { body: { ...REQUEST, tlp: 'red' } })).status, 400);
  const priv = await createTestUser(p.database.db, { org: { role: 'org_admin' } });
  assert.equal((await api(await sessionFor(p.database.db, priv.id))('/api/incidents/assistance', { body: REQUEST })).status, 403);
});
