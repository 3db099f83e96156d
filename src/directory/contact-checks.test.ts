/**
 * Sharing groups (coordinator and owner management, audit, refusals) and contact checks end to end
 * with real SMTP: a coordinator checks a group, each contact receives a unique link, one answers by
 * the link and one in the app, the report lists the unreachable team, "last verified" shows; a
 * schedule and the stale-entry / key-expiry jobs run through the same outbox.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink, type SinkMessage } from '../../test/smtp.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../auth/test-helpers.ts';
import { rows } from '../db/client.ts';
import { runDirectoryJobs } from './jobs.ts';
import { contactCheckSchedules, pgpKeys } from './tables.ts';

let p: TestPlatform;
let sink: SmtpSink;
let coord: ReturnType<typeof apiClient>;
let teamA: TestUser; let teamB: TestUser; let teamC: TestUser; let outsiderAdmin: TestUser;
const client = async (u: TestUser) => apiClient(p.url, await sessionFor(p.database.db, u.id));
const tag = Date.now().toString(36);

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test', REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  coord = apiClient(p.url, await sessionFor(db, (await createTestUser(db, { platformRole: 'coordinator' })).id));
  teamA = await createTestUser(db, { email: `a-admin-${tag}@csirt-a.example`, locale: 'es', org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  teamB = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'AR' } });
  teamC = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'CL' } });
  outsiderAdmin = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'BR' } });
});
after(async () => {
  await p.close();
  await sink.close();
});

async function mailsTo(email: string, n: number): Promise<SinkMessage[]> {
  const deadline = Date.now() + 15_000;
  let got: SinkMessage[] = [];
  while ((got = sink.messages.filter((m) => m.envelope.to.includes(email))).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} mails to ${email}, got ${got.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return got;
}
const tokenIn = (m: SinkMessage) => new URL(/http:\/\/hemisphere\.test\/directory\/verify\?token=\S+/.exec(m.email.text ?? '')![0]).searchParams.get('token')!;
const audits = async (action: string) => (await rows<{ n: number }>(p.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`))[0]!.n;

let groupId: string;

test('sharing groups: coordinators create; the owner admin manages members; others are refused; every change audited', async () => {
  const a = await client(teamA);
  assert.equal((await a('/api/sharing-groups', { body: { name: 'Rio de la Plata' } })).status, 403, 'org admins do not create groups');
  const r = await coord('/api/sharing-groups', { body: { name: `Rio de la Plata ${tag}`, description: 'UY and AR', releasability: 'Members only; no onward sharing', ownerOrgId: teamA.orgId } });
  assert.equal(r.status, 201, await r.clone().text());
  groupId = (await json(r)).id;
  const add = await a(`/api/sharing-groups/${groupId}/members`, { body: { orgId: teamB.orgId } });
  assert.equal(add.status, 201, await add.clone().text());
  assert.deepEqual((await json(add)).members.map((m: { orgId: string }) => m.orgId).sort(), [teamA.orgId, teamB.orgId].sort());
  assert.equal((await a(`/api/sharing-groups/${groupId}/members`, { body: { orgId: teamB.orgId } })).status, 409);
  const outsider = await client(outsiderAdmin);
  assert.equal((await outsider(`/api/sharing-groups/${groupId}/members`, { body: { orgId: outsiderAdmin.orgId } })).status, 404, 'a non-member cannot even see the group');
  const b = await client(teamB);
  assert.equal((await b(`/api/sharing-groups/${groupId}`)).status, 200, 'members read their group');
  assert.equal((await b(`/api/sharing-groups/${groupId}/members`, { body: { orgId: teamC.orgId } })).status, 403, 'members do not manage it');
  assert.equal((await a(`/api/sharing-groups/${groupId}/members/${teamA.orgId}`, { method: 'DELETE' })).status, 409, 'the owner stays');
  assert.equal((await a(`/api/sharing-groups/${groupId}`, { method: 'PATCH', body: { ownerOrgId: teamB.orgId } })).status, 403, 'only coordinators move ownership');
  assert.equal((await a(`/api/sharing-groups/${groupId}`, { method: 'PATCH', body: { description: 'Uruguay and Argentina' } })).status, 200);
  assert.equal((await coord('/api/sharing-groups', { body: { name: '' } })).status, 400);
  // The actor of a group member now carries the group (visibility's scope 'group').
  const me = await json(await b('/api/sharing-groups'));
  assert.ok(me.items.some((g: { id: string }) => g.id === groupId));
  assert.ok(!(await json(await outsider('/api/sharing-groups'))).items.some((g: { id: string }) => g.id === groupId));
  assert.equal(await audits('sharing_group.create'), 1);
  assert.equal(await audits('sharing_group.member.add'), 1);
  assert.equal(await audits('sharing_group.update'), 1);
});

test('a contact check for a group, end to end with real SMTP: link answer, in-app answer, report, last verified', async () => {
  const a = await client(teamA);
  const b = await client(teamB);
  // Team A: a person who is a user (answers in the app) and a role address (answers by the link).
  let r = await a(`/api/directory/teams/${teamA.orgId}/contacts`, { body: { kind: 'person', name: 'Ana Admin', function: 'head', email: teamA.email } });
  assert.equal(r.status, 201);
  const roleEmail = `cert-${tag}@csirt-a.example`;
  r = await a(`/api/directory/teams/${teamA.orgId}/contacts`, { body: { kind: 'role', name: 'CERT-A duty', function: 'incident handling', email: roleEmail } });
  const roleContact = await json(r);
  // Team B: one address that will not answer.
  const silent = `silent-${tag}@csirt-b.example`;
  assert.equal((await b(`/api/directory/teams/${teamB.orgId}/contacts`, { body: { kind: 'role', name: 'B desk', email: silent } })).status, 201);
  // Team C is not in the group and gets nothing.
  const c = await client(teamC);
  const notInGroup = `c-${tag}@csirt-c.example`;
  assert.equal((await c(`/api/directory/teams/${teamC.orgId}/contacts`, { body: { kind: 'role', name: 'C desk', email: notInGroup } })).status, 201);

  assert.equal((await a('/api/directory/contact-checks', { body: { scope: 'all' } })).status, 403);
  assert.equal((await coord('/api/directory/contact-checks', { body: { scope: 'group' } })).status, 400);
  const started = await coord('/api/directory/contact-checks', { body: { scope: 'group', sharingGroupId: groupId } });
  assert.equal(started.status, 201, await started.clone().text());
  const check = await json(started);
  assert.equal(check.teams, 2);
  assert.equal(check.requests, 3);

  const [toRole] = await mailsTo(roleEmail, 1);
  const [toPerson] = await mailsTo(teamA.email, 1);
  await mailsTo(silent, 1);
  assert.match(toPerson!.email.subject ?? '', /confirme sus datos/, 'in the user\'s language (es)');
  assert.match(toRole!.email.subject ?? '', /confirm your contact details/);
  const roleToken = tokenIn(toRole!);
  assert.notEqual(roleToken, tokenIn(toPerson!), 'each contact has its own link');

  // The link: anyone holding it confirms, without signing in.
  const anon = apiClient(p.url);
  const about = await json(await anon(`/api/directory/verify?token=${roleToken}`));
  assert.equal(about.contact, 'CERT-A duty');
  assert.equal(about.answeredAt, null);
  assert.equal((await anon('/api/directory/verify', { body: { token: 'x'.repeat(43) } })).status, 404);
  const ans = await anon('/api/directory/verify', { body: { token: roleToken } });
  assert.equal(ans.status, 200);
  assert.equal((await json(ans)).alreadyAnswered, false);
  assert.equal((await json(await anon('/api/directory/verify', { body: { token: roleToken } }))).alreadyAnswered, true, 'answering twice is harmless');

  // In the app: the notice, then the confirmation as that user; another user cannot answer it.
  const notices = (await json(await a('/api/directory/notices?unread=true'))).items.filter((n: { kind: string }) => n.kind === 'contact_check');
  assert.equal(notices.length, 1);
  const requestId = notices[0].data.requestId;
  assert.equal((await b(`/api/directory/contact-check-requests/${requestId}/confirm`, { body: {} })).status, 403);
  assert.equal((await a(`/api/directory/contact-check-requests/${requestId}/confirm`, { body: {} })).status, 200);
  assert.equal((await json(await a('/api/directory/notices?unread=true'))).items.filter((n: { kind: string }) => n.kind === 'contact_check').length, 0);

  const report = await json(await coord(`/api/directory/contact-checks/${check.id}`));
  assert.deepEqual(report.totals, { teams: 2, reachable: 1, requests: 3, answered: 2 });
  assert.deepEqual(report.unreachable.map((t: { orgId: string }) => t.orgId), [teamB.orgId]);
  const byLink = report.teams.find((t: { orgId: string }) => t.orgId === teamA.orgId).contacts.find((x: { email: string }) => x.email === roleEmail);
  assert.equal(byLink.answeredBy, `link:${roleEmail}`);
  assert.equal((await a(`/api/directory/contact-checks/${check.id}`)).status, 403);

  const entry = await json(await coord(`/api/directory/teams/${teamA.orgId}`));
  assert.ok(entry.lastVerifiedAt, 'team last verified');
  assert.ok(entry.contacts.find((x: { id: string }) => x.id === roleContact.id).lastVerifiedAt, 'contact last verified');
  assert.equal((await json(await coord(`/api/directory/teams/${teamB.orgId}`))).lastVerifiedAt, null);
  assert.equal(sink.messages.filter((m) => m.envelope.to.includes(notInGroup)).length, 0, 'outside the group: no mail');
  assert.equal(await audits('directory.contact_check.answer'), 2);
});

test('schedules and periodic jobs: a due quarterly check starts, keys near expiry and stale entries are notified once', async () => {
  const db = p.database.db;
  const sched = await coord('/api/directory/contact-check-schedules', { body: { scope: 'group', sharingGroupId: groupId, everyMonths: 3, firstRunAt: new Date(Date.now() - 1000).toISOString() } });
  assert.equal(sched.status, 201, await sched.clone().text());
  const s = await json(sched);
  const a = await client(teamA);
  const k = await openpgp.generateKey({ userIDs: [{ email: `soon-${tag}@csirt-a.example` }], keyExpirationTime: 10 * 86_400, format: 'armored' });
  assert.equal((await a(`/api/directory/teams/${teamA.orgId}/keys`, { body: { armored: k.publicKey } })).status, 201);
  const before = sink.messages.filter((m) => m.envelope.to.includes(teamA.email)).length;

  const deps = { publicUrl: 'http://hemisphere.test', deadlineDays: 14, reconfirmMonths: 6 };
  const first = await runDirectoryJobs(db, deps);
  assert.equal(first.checksStarted, 1);
  assert.equal(first.keyNotices, 1);
  assert.ok(first.staleFlagged >= 3, 'never-confirmed teams are stale');
  const [row] = await db.select().from(contactCheckSchedules).where(eq(contactCheckSchedules.id, s.id));
  assert.ok(row!.nextRunAt.getTime() > Date.now() + 80 * 86_400_000, 'next run in about three months');
  const [key] = await db.select().from(pgpKeys).where(eq(pgpKeys.orgId, teamA.orgId!)).orderBy(pgpKeys.uploadedAt);
  assert.ok(key!.expiryNoticeSentAt);
  // Team A's admin gets: a new check request, the key notice, the stale notice (in Spanish).
  const got = await mailsTo(teamA.email, before + 3);
  const subjects = got.slice(before).map((m) => m.email.subject ?? '');
  assert.ok(subjects.some((x) => /clave OpenPGP .* caduca/.test(x)), subjects.join(' | '));
  assert.ok(subjects.some((x) => /vuelva a confirmar/.test(x)), subjects.join(' | '));
  const kinds = (await json(await a('/api/directory/notices'))).items.map((n: { kind: string }) => n.kind);
  assert.ok(kinds.includes('key_expiring') && kinds.includes('stale_entry'));

  const second = await runDirectoryJobs(db, deps);
  assert.deepEqual(second, { checksStarted: 0, keyNotices: 0, staleFlagged: 0 }, 'nothing is sent twice');
});
