/**
 * Observables: defanged extraction on a corpus of advisory texts written for these tests
 * (test/corpus/*.txt with the expected observables beside them), and routing to the responsible
 * team by the directory's constituency lookup: suggested, then notified (joins as 'affected',
 * in-app notification and an e-mail carrying only the case reference) — and never a team the
 * observables do not route to.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import { system } from '../core/actor.ts';
import { replaceConstituency } from '../directory/constituency.command.ts';
import { extractObservables, refang } from './observables.ts';
import { mailTo } from './test/support.ts';

const CORPUS = new URL('./test/corpus/', import.meta.url);

test('corpus: every advisory text yields exactly its expected observables, defanged forms included', () => {
  const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.txt'));
  assert.ok(files.length >= 3);
  for (const f of files) {
    const got = extractObservables(fs.readFileSync(new URL(f, CORPUS), 'utf8'));
    const expected = JSON.parse(fs.readFileSync(new URL(f.replace(/\.txt$/, '.expected.json'), CORPUS), 'utf8'));
    assert.deepEqual(got, expected, f);
  }
});

test('refang: each defanging form', () => {
  const cases: [string, string][] = [
    ['hxxp://a.example/x', 'http://a.example/x'], ['hXXps://a.example', 'https://a.example'], ['evil[.]example', 'evil.example'],
    ['evil(.)example', 'evil.example'], ['evil[dot]example', 'evil.example'], ['evil (dot) example', 'evil.example'], ['evil{.}example', 'evil.example'],
    ['bob[@]evil.example', 'bob@evil.example'], ['bob(at)evil.example', 'bob@evil.example'], ['bob [at] evil.example', 'bob@evil.example'],
    ['http[:]//x.example', 'http://x.example'], ['http[://]x.example', 'http://x.example'], ['fxp://files.example', 'ftp://files.example'],
  ];
  for (const [input, out] of cases) assert.equal(refang(input), out, input);
  assert.deepEqual(extractObservables('see hxxps://b[.]example[.]com/p and 10.0.0[.]1'), [
    { kind: 'url', value: 'https://b.example.com/p' }, { kind: 'domain', value: 'b.example.com' }, { kind: 'ipv4', value: '10.0.0.1' },
  ]);
  assert.deepEqual(extractObservables('payload.exe and invoice.pdf, but evil[.]exe was defanged'), [{ kind: 'domain', value: 'evil.exe' }]);
  assert.deepEqual(extractObservables('meeting at 10:30:00, version 1.2.3, 999.1.1.1'), []);
});

let p: TestPlatform;
let sink: SmtpSink;
let a1: TestUser, b1: TestUser, c1: TestUser;
let sa1: TestSession, sb1: TestSession;

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', SMTP_URL: sink.url });
  const db = p.database.db;
  a1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  b1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' }, locale: 'es' });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  [sa1, sb1] = (await Promise.all([a1, b1].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession];
  const meta = { actor: system('test') };
  await replaceConstituency(db, meta, b1.orgId!, { ipv4: ['198.51.100.0/24'], domains: ['banco-example.net'], asns: ['AS64500'] });
  await replaceConstituency(db, meta, c1.orgId!, { ipv4: ['203.0.113.0/24'], domains: ['example.org'] });
});
after(async () => { await p.close(); await sink.close(); });

test('routing: observables of a case are looked up against constituencies, the responsible teams suggested and notified', async () => {
  const A = apiClient(p.url, sa1);
  const c = (await json(await A('/api/incidents/cases', { body: { title: 'Phishing wave', classification: 'phishing', tlp: 'amber' } }))) as { id: string; reference: string };
  const text = fs.readFileSync(new URL('phishing-campaign.txt', CORPUS), 'utf8');
  const r = (await json(await A(`/api/incidents/cases/${c.id}/observables`, { body: { text } }))) as {
    observables: { kind: string; value: string; matched: string | null; teams: { orgId: string }[] }[]; suggestedTeams: { orgId: string }[];
  };
  const teamsOf = (kind: string, value: string) => r.observables.find((o) => o.kind === kind && o.value === value)!.teams.map((t) => t.orgId);
  assert.deepEqual(teamsOf('ipv4', '198.51.100.23'), [b1.orgId]);
  assert.deepEqual(teamsOf('url', 'http://198.51.100.23/portal/index.php'), [b1.orgId]);
  assert.deepEqual(teamsOf('email', 'soporte@banco-example.net'), [b1.orgId]);
  assert.deepEqual(teamsOf('asn', 'AS64500'), [b1.orgId]);
  assert.deepEqual(teamsOf('ipv4', '203.0.113.45'), [c1.orgId]);
  assert.deepEqual(teamsOf('sha256', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'), []);
  assert.equal(r.observables.find((o) => o.value === '198.51.100.23' && o.kind === 'ipv4')!.matched, '198.51.100.0/24');
  assert.deepEqual(new Set(r.suggestedTeams.map((t) => t.orgId)), new Set([b1.orgId, c1.orgId]));
  // B cannot read the case yet.
  assert.equal((await apiClient(p.url, sb1)(`/api/incidents/cases/${c.id}`)).status, 404);
  // A team the observables do not route to is refused.
  const stranger = await createTestUser(p.database.db, { org: { networkMember: true, role: 'org_admin' } });
  assert.equal((await A(`/api/incidents/cases/${c.id}/notify-teams`, { body: { orgIds: [stranger.orgId] } })).status, 400);
  const n = await A(`/api/incidents/cases/${c.id}/notify-teams`, { body: { orgIds: [b1.orgId] } });
  assert.equal(n.status, 200, await n.clone().text());
  const got = (await json(await apiClient(p.url, sb1)(`/api/incidents/cases/${c.id}`))) as { participants: { orgId: string; role: string }[]; observables: { notifiedOrgIds: string[]; value: string }[] };
  assert.ok(got.participants.some((x) => x.orgId === b1.orgId && x.role === 'affected'));
  assert.ok(got.observables.find((o) => o.value === '198.51.100.23')!.notifiedOrgIds.includes(b1.orgId!));
  const notes = (await json(await apiClient(p.url, sb1)('/api/incidents/notifications'))) as { items: { kind: string; caseId: string }[] };
  assert.ok(notes.items.some((x) => x.kind === 'case.participant' && x.caseId === c.id));
  const mail = await mailTo(sink, b1.email);
  assert.match(mail.subject ?? '', new RegExp(`caso ${c.reference}`), 'in the recipient’s language (es)');
  assert.ok(!(mail.text ?? '').includes('Phishing wave') && !(mail.text ?? '').includes('198.51.100'), 'the e-mail carries no case content');
});

test('a TLP:RED case notifies only the named recipients of a responsible team, never the rest of it', async () => {
  const db = p.database.db;
  const named = await createTestUser(db, { org: { orgId: b1.orgId!, role: 'member' } });
  const A = apiClient(p.url, sa1);
  const created = await A('/api/incidents/cases', {
    body: { title: 'Red case', classification: 'phishing', tlp: 'red', recipientUserIds: [named.id] },
  });
  assert.equal(created.status, 201, await created.clone().text());
  const c = (await json(created)) as { id: string; reference: string };
  assert.equal((await A(`/api/incidents/cases/${c.id}/observables`, { body: { text: 'seen from 198.51.100.77' } })).status, 200);
  const n = await A(`/api/incidents/cases/${c.id}/notify-teams`, { body: { orgIds: [b1.orgId] } });
  assert.equal(n.status, 200, await n.clone().text());
  const notesOf = async (s: TestSession) =>
    ((await json(await apiClient(p.url, s)('/api/incidents/notifications'))) as { items: { caseId: string }[] }).items.filter((x) => x.caseId === c.id);
  assert.equal((await notesOf(sb1)).length, 0, 'the team admin who is not a named recipient hears nothing of the RED case');
  assert.equal((await notesOf(await sessionFor(db, named.id))).length, 1, 'the named recipient is notified');
  await mailTo(sink, named.email, (subject) => subject.includes(c.reference)); // the recipient's mail went out…
  assert.ok(!sink.messages.some((m) => m.envelope.to.map((t) => t.toLowerCase()).includes(b1.email.toLowerCase()) && (m.email.subject ?? '').includes(c.reference)),
    '…and none with its reference to the rest of the team');
});

test('extraction endpoint stores nothing and routes as the asking person sees the directory', async () => {
  const r = (await json(await apiClient(p.url, sa1)('/api/incidents/observables/extract', { body: { text: 'C2 at 203.0.113[.]9' } }))) as { observables: { teams: { orgId: string }[] }[] };
  assert.deepEqual(r.observables[0]!.teams.map((t) => t.orgId), [c1.orgId]);
  assert.equal((await fetch(`${p.url}/api/incidents/observables/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' })).status, 401);
});
