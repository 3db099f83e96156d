/**
 * Incident reports over HTTP and real SMTP: a member reports to a team; the public reports through
 * the form, the report stays unread until confirmed from the e-mailed link (in the reporter's
 * language), at most N public reports per IP address an hour (counted in the database); a report
 * naming no team is routed by its observables; the team triages into a case or rejects with a
 * reason the reporter is told; a decided report cannot be triaged again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import { system } from '../core/actor.ts';
import { replaceConstituency } from '../directory/constituency.command.ts';
import { PUBLIC_REPORTS_PER_HOUR } from './routes.ts';
import { mailTo } from './test/support.ts';

let p: TestPlatform;
let sink: SmtpSink;
let a1: TestUser, m1: TestUser, c1: TestUser;
let sa1: TestSession, sm1: TestSession, sc1: TestSession;

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', SMTP_URL: sink.url, TRUST_PROXY: 'true' });
  const db = p.database.db;
  a1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  m1 = await createTestUser(db, { org: { role: 'member' } });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  [sa1, sm1, sc1] = (await Promise.all([a1, m1, c1].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession, TestSession];
  await replaceConstituency(db, { actor: system('test') }, a1.orgId!, { domains: ['muni-example.gov'] });
});
after(async () => { await p.close(); await sink.close(); });

const publicPost = (body: unknown, ip: string) => fetch(`${p.url}/api/public/incident-reports`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body),
});

test('member report → team triages it into a case; the reporter is told; a second triage is refused', async () => {
  const res = await apiClient(p.url, sm1)('/api/incidents/reports', { body: { toOrgId: a1.orgId, title: 'Our webmail is sending spam', description: 'Since 08:00, outbound spam from mail.muni-example.gov', classification: 'spam' } });
  assert.equal(res.status, 201, await res.clone().text());
  const r = (await json(res)) as { id: string };
  assert.equal((await apiClient(p.url, sc1)(`/api/incidents/reports/${r.id}`)).status, 404);
  const list = (await json(await apiClient(p.url, sa1)('/api/incidents/reports'))) as { items: { id: string }[] };
  assert.ok(list.items.some((x) => x.id === r.id));
  assert.equal((await apiClient(p.url, sm1)(`/api/incidents/reports/${r.id}/triage`, { body: { decision: 'reject', reason: 'x' } })).status, 403);
  const t = await apiClient(p.url, sa1)(`/api/incidents/reports/${r.id}/triage`, { body: { decision: 'case', severity: 'high', pap: 'green' } });
  assert.equal(t.status, 200, await t.clone().text());
  const tri = (await json(t)) as { status: string; caseId: string };
  assert.equal(tri.status, 'triaged');
  const c = (await json(await apiClient(p.url, sa1)(`/api/incidents/cases/${tri.caseId}`))) as { title: string; reportId: string; classification: string; severity: string };
  assert.deepEqual([c.title, c.reportId, c.classification, c.severity], ['Our webmail is sending spam', r.id, 'spam', 'high']);
  assert.equal((await apiClient(p.url, sa1)(`/api/incidents/reports/${r.id}/triage`, { body: { decision: 'reject', reason: 'late' } })).status, 409);
  const mail = await mailTo(sink, m1.email, (s) => s.includes('accepted as a case'));
  assert.ok(mail.subject);
});

test('public report: unread until confirmed by e-mail (in the reporter’s language); rejection with a reason is mailed', async () => {
  const res = await publicPost({ toOrgId: a1.orgId, email: 'Vecino@Example.net', name: 'Vecino', title: 'Página municipal alterada', description: 'La portada muestra otro contenido.', classification: 'defacement', locale: 'es' }, '192.0.2.10');
  assert.equal(res.status, 202, await res.clone().text());
  const { id } = (await json(res)) as { id: string };
  assert.equal((await apiClient(p.url, sa1)(`/api/incidents/reports/${id}`)).status, 404, 'unconfirmed reports are not read');
  const mail = await mailTo(sink, 'vecino@example.net');
  assert.match(mail.subject ?? '', /confirme su reporte/);
  const token = /#([A-Za-z0-9_-]{20,})/.exec(mail.text ?? '')![1]!;
  const bad = await fetch(`${p.url}/api/public/incident-reports/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(43) }) });
  assert.equal(bad.status, 404);
  const ok = await fetch(`${p.url}/api/public/incident-reports/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  assert.equal(ok.status, 200);
  assert.equal(((await json(ok)) as { status: string }).status, 'received');
  const r = (await json(await apiClient(p.url, sa1)(`/api/incidents/reports/${id}`))) as { status: string; reporterEmail: string; ip?: string };
  assert.equal(r.status, 'received'); assert.equal(r.reporterEmail, 'vecino@example.net'); assert.equal(r.ip, undefined);
  assert.equal((await apiClient(p.url, sa1)(`/api/incidents/reports/${id}/triage`, { body: { decision: 'reject' } })).status, 400, 'a reason is required');
  assert.equal((await apiClient(p.url, sa1)(`/api/incidents/reports/${id}/triage`, { body: { decision: 'reject', reason: 'Es una campaña publicitaria autorizada.' } })).status, 200);
  const decided = await mailTo(sink, 'vecino@example.net', (s) => s.includes('rechazado'));
  assert.match(decided.text ?? '', /campaña publicitaria autorizada/);
});

test('public report with no team named is routed by its observables; none routable → 400', async () => {
  const res = await publicPost({ email: 'a@example.net', title: 'Phishing', description: 'Fake login at hxxps://pagos[.]muni-example[.]gov/login' }, '192.0.2.20');
  assert.equal(res.status, 202, await res.clone().text());
  assert.equal(((await json(res)) as { team: string }).team.startsWith('Test org'), true);
  const nowhere = await publicPost({ email: 'a@example.net', title: 'Something', description: 'nothing to route' }, '192.0.2.20');
  assert.equal(nowhere.status, 400);
});

test(`at most ${PUBLIC_REPORTS_PER_HOUR} public reports per IP address an hour (429), other addresses unaffected`, async () => {
  const body = { toOrgId: a1.orgId, email: 'flood@example.net', title: 'spam', description: 'spam' };
  const results = await Promise.all(Array.from({ length: PUBLIC_REPORTS_PER_HOUR + 3 }, () => publicPost(body, '198.51.100.99')));
  const codes = results.map((r) => r.status).sort();
  assert.equal(codes.filter((c) => c === 202).length, PUBLIC_REPORTS_PER_HOUR);
  assert.equal(codes.filter((c) => c === 429).length, 3);
  assert.equal((await publicPost(body, '198.51.100.100')).status, 202);
  assert.equal((await publicPost({ ...body, email: 'not-an-email' }, '198.51.100.101')).status, 400);
});
