/**
 * The membership vetting workflow over HTTP, with real SMTP delivery to an smtp-server sink:
 * apply → point of contact validates → coordinator approves → invitation in the head's language →
 * accept → log in; refusals, rejection paths, stakeholders.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink, type SinkMessage } from '../../test/smtp.ts';
import { apiClient, createTestUser, login, type TestUser } from '../auth/test-helpers.ts';
import { auditLog } from '../core/tables.ts';
import { eq } from 'drizzle-orm';

let p: TestPlatform;
let sink: SmtpSink;
let coordinator: TestUser;
let coord: ReturnType<typeof apiClient>;
const anon = () => apiClient(p.url);

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test' });
  coordinator = await createTestUser(p.database.db, { platformRole: 'coordinator', twoFactor: true });
  coord = apiClient(p.url, await login(p.url, coordinator));
});
after(async () => {
  await p.close();
  await sink.close();
});

async function mailTo(email: string, subject: RegExp, timeoutMs = 10_000): Promise<SinkMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = sink.messages.find((x) => x.envelope.to.includes(email.toLowerCase()) && subject.test(x.email.subject ?? ''));
    if (m) return m;
    if (Date.now() > deadline) {
      throw new Error(`no mail to ${email} matching ${subject}; got: ${sink.messages.map((x) => `${x.envelope.to} ${x.email.subject}`).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
const linkIn = (m: SinkMessage, path: string) => {
  const found = new RegExp(`http://hemisphere\\.test${path.replace(/[?]/g, '\\?')}[^\\s]+`).exec(m.email.text ?? '');
  assert.ok(found, `a ${path} link in: ${m.email.text}`);
  return found[0];
};
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

const pdf = Buffer.from('%PDF-1.4\n% Mandate of the national CSIRT (test)\n%%EOF\n');
let seq = 0;
function applicationBody(country: string, over: Record<string, unknown> = {}) {
  const n = ++seq;
  return {
    orgName: `CSIRT Ficticio ${n} ${Date.now()}`, orgType: 'national_csirt', countryCode: country, website: 'https://csirt.example.org',
    constituency: 'Government networks and critical infrastructure of the country', headName: `Head ${n}`,
    headEmail: `head-${n}-${Date.now()}@example.org`, headLocale: 'es', applicantEmail: `applicant-${n}-${Date.now()}@example.net`, locale: 'pt',
    mandate: { filename: 'mandate.pdf', contentType: 'application/pdf', dataBase64: pdf.toString('base64') }, ...over,
  };
}

async function pocFor(country: string): Promise<ReturnType<typeof apiClient>> {
  const u = await createTestUser(p.database.db, { twoFactor: true, locale: 'fr' });
  const r = await coord(`/api/countries/${country}/points-of-contact`, { body: { email: u.email } });
  assert.equal(r.status, 201, await r.clone().text());
  return apiClient(p.url, await login(p.url, u));
}

test('happy path: apply → PoC validates → coordinator approves → invitation in the head’s language → accept → log in', async () => {
  const poc = await pocFor('JM');
  const body = applicationBody('JM');
  const res = await anon()('/api/membership/applications', { body });
  assert.equal(res.status, 201, await res.clone().text());
  const created = await json(res);
  assert.equal(created.status, 'submitted');
  assert.equal(created.route, 'poc');

  const received = await mailTo(body.applicantEmail, /candidatura para .* foi recebida/); // applicant's language: pt
  const statusLink = linkIn(received, '/apply/status?token=');
  assert.equal(tokenOf(statusLink), created.statusToken);
  const pocMail = await mailTo((await json(await poc('/api/auth/me'))).user.email, /candidature à valider/); // PoC's language: fr
  assert.match(pocMail.email.text ?? '', new RegExp(created.id));

  let status = await json(await anon()(`/api/membership/status?token=${created.statusToken}`));
  assert.equal(status.status, 'submitted');
  assert.equal(status.nextActor, 'national_point_of_contact');

  // The coordinator cannot skip the point of contact.
  const early = await coord(`/api/membership/applications/${created.id}/approve`, { body: {} });
  assert.equal(early.status, 409);
  assert.equal((await json(early)).code, 'invalid_transition');

  const view = await json(await poc(`/api/membership/applications/${created.id}`));
  assert.deepEqual(view.policies, { canValidate: true, canDecline: true, canApprove: false, canReject: false });
  const mandate = await poc(`/api/membership/applications/${created.id}/mandate`);
  assert.equal(mandate.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(Buffer.from(await mandate.arrayBuffer()), pdf);

  const v = await poc(`/api/membership/applications/${created.id}/validate`, { body: {} });
  assert.equal(v.status, 200, await v.clone().text());
  assert.equal((await json(v)).status, 'validated');
  const again = await poc(`/api/membership/applications/${created.id}/validate`, { body: {} });
  assert.equal((await json(again)).code, 'invalid_transition');
  await mailTo(coordinator.email, /awaiting hub approval/);
  await mailTo(body.applicantEmail, /validada pelo ponto de contacto/);

  const coordView = await json(await coord(`/api/membership/applications/${created.id}`));
  assert.equal(coordView.policies.canApprove, true);
  const a = await coord(`/api/membership/applications/${created.id}/approve`, { body: { reason: 'Mandate checked' } });
  assert.equal(a.status, 200, await a.clone().text());
  const approved = await json(a);
  assert.equal(approved.status, 'approved');
  await mailTo(body.applicantEmail, /aprovada/);

  status = await json(await anon()(`/api/membership/status?token=${created.statusToken}`));
  assert.equal(status.status, 'approved');
  assert.equal(status.nextActor, null);

  const invite = await mailTo(body.headEmail, /le invitan a unirse a/); // head's language: es
  assert.equal(invite.email.headers.find((h) => h.key === 'content-language')?.value, 'es');
  const token = tokenOf(linkIn(invite, '/invitations/accept?token='));
  const info = await json(await anon()(`/api/invitations/lookup?token=${token}`));
  assert.equal(info.role, 'org_admin');
  assert.equal(info.accountExists, false);

  const acc = await anon()('/api/invitations/accept', { body: { token, password: 'a long enough passphrase' } });
  assert.equal(acc.status, 201, await acc.clone().text());
  const accepted = await json(acc);
  assert.equal(accepted.orgId, approved.orgId);
  assert.equal(accepted.accountCreated, true);
  const reuse = await anon()('/api/invitations/accept', { body: { token, password: 'a long enough passphrase' } });
  assert.equal(reuse.status, 410);

  const head = await login(p.url, { id: accepted.userId, email: body.headEmail, password: 'a long enough passphrase', displayName: '', locale: 'es', recoveryCodes: [] });
  const me = await json(await apiClient(p.url, head)('/api/auth/me'));
  assert.deepEqual(me.memberships.map((m: { orgId: string; role: string; networkMember: boolean }) => [m.orgId, m.role, m.networkMember]), [[approved.orgId, 'org_admin', true]]);

  const org = await json(await coord(`/api/orgs/${approved.orgId}`));
  assert.equal(org.type, 'national_csirt');
  assert.equal(org.countryCode, 'JM');
  assert.equal(org.members.length, 1);

  const actions = (await p.database.db.select().from(auditLog).where(eq(auditLog.targetId, created.id))).map((r) => r.action);
  assert.deepEqual(actions, ['membership.apply', 'membership.validate', 'membership.approve']);
});

test('a point of contact of another country is refused; others see nothing', async () => {
  await pocFor('BR');
  const other = await pocFor('AR');
  const created = await json(await anon()('/api/membership/applications', { body: applicationBody('BR') }));
  const r = await other(`/api/membership/applications/${created.id}/validate`, { body: {} });
  assert.equal(r.status, 403);
  assert.equal((await json(r)).code, 'forbidden');
  assert.equal((await other(`/api/membership/applications/${created.id}`)).status, 404);
  assert.ok(!(await json(await other('/api/membership/applications'))).items.some((a: { id: string }) => a.id === created.id));
  assert.equal((await json(await anon()(`/api/membership/status?token=${created.statusToken}`))).status, 'submitted');
});

test('rejection paths: PoC declines, coordinator rejects; the applicant sees the reasons', async () => {
  const poc = await pocFor('CL');
  const one = applicationBody('CL');
  const a = await json(await anon()('/api/membership/applications', { body: one }));
  const noReason = await poc(`/api/membership/applications/${a.id}/decline`, { body: {} });
  assert.equal(noReason.status, 400);
  const d = await poc(`/api/membership/applications/${a.id}/decline`, { body: { reason: 'No government mandate attached' } });
  assert.equal(d.status, 200);
  const sa = await json(await anon()(`/api/membership/status?token=${a.statusToken}`));
  assert.equal(sa.status, 'declined');
  assert.equal(sa.steps.pointOfContact.reason, 'No government mandate attached');
  const declinedMail = await mailTo(one.applicantEmail, /recusada/);
  assert.match(declinedMail.email.text ?? '', /No government mandate attached/);
  assert.equal((await json(await coord(`/api/membership/applications/${a.id}/approve`, { body: {} }))).code, 'invalid_transition');

  const two = applicationBody('CL', { locale: 'en' });
  const b = await json(await anon()('/api/membership/applications', { body: two }));
  await poc(`/api/membership/applications/${b.id}/validate`, { body: {} });
  const rj = await coord(`/api/membership/applications/${b.id}/reject`, { body: { reason: 'Duplicate of an existing team' } });
  assert.equal(rj.status, 200);
  const sb = await json(await anon()(`/api/membership/status?token=${b.statusToken}`));
  assert.equal(sb.status, 'rejected');
  assert.equal(sb.steps.coordinator.reason, 'Duplicate of an existing team');
  assert.match((await mailTo(two.applicantEmail, /application for .* rejected/)).email.text ?? '', /Duplicate of an existing team/);
  assert.equal((await json(await coord(`/api/membership/applications/${b.id}/approve`, { body: {} }))).code, 'invalid_transition');
});

test('bad input changes nothing: unknown country, missing mandate, fake PDF, wrong type', async () => {
  const before = (await p.database.db.select().from(auditLog)).length;
  const bad = [
    applicationBody('XX'),
    { ...applicationBody('JM'), mandate: undefined },
    applicationBody('JM', { mandate: { filename: 'm.pdf', contentType: 'application/pdf', dataBase64: Buffer.from('not a pdf').toString('base64') } }),
    applicationBody('JM', { orgType: 'private_sector' }),
  ];
  for (const body of bad) {
    const r = await anon()('/api/membership/applications', { body });
    assert.equal(r.status, 400, await r.clone().text());
  }
  const exe = await anon()('/api/membership/applications', { body: applicationBody('JM', { mandate: { filename: 'x.exe', contentType: 'application/x-msdownload', dataBase64: 'TVqQ' } }) });
  assert.equal(exe.status, 415);
  assert.equal((await p.database.db.select().from(auditLog)).length, before);
});

test('multipart upload, and countries without a point of contact go straight to the coordinators', async () => {
  const body = applicationBody('BZ');
  const form = new FormData();
  for (const [k, v] of Object.entries(body)) if (k !== 'mandate') form.set(k, String(v));
  form.set('mandate', new Blob([pdf], { type: 'application/pdf' }), 'mandate.pdf');
  const r = await fetch(`${p.url}/api/membership/applications`, { method: 'POST', body: form });
  assert.equal(r.status, 201, await r.clone().text());
  const created = await json(r);
  assert.equal(created.route, 'coordinator');
  await mailTo(coordinator.email, new RegExp(`awaiting hub approval — ${body.orgName}`));
  assert.equal((await json(await anon()(`/api/membership/status?token=${created.statusToken}`))).nextActor, 'coordinator');
  const m = await coord(`/api/membership/applications/${created.id}/mandate`);
  assert.deepEqual(Buffer.from(await m.arrayBuffer()), pdf);
  const ok = await coord(`/api/membership/applications/${created.id}/approve`, { body: {} });
  assert.equal((await json(ok)).status, 'approved');
});

test('stakeholder registration: coordinator approval only, and not a network member', async () => {
  const body = { ...applicationBody('MX', { orgType: 'academia', locale: 'en', headLocale: 'en' }), mandate: undefined };
  delete (body as Record<string, unknown>).mandate;
  const r = await anon()('/api/membership/stakeholders', { body });
  assert.equal(r.status, 201, await r.clone().text());
  const created = await json(r);
  assert.equal(created.kind, 'stakeholder');
  assert.equal(created.route, 'coordinator');
  const ok = await json(await coord(`/api/membership/applications/${created.id}/approve`, { body: {} }));
  assert.equal(ok.status, 'approved');
  const invite = await mailTo(body.headEmail, /invited to join/);
  const acc = await json(await anon()('/api/invitations/accept', { body: { token: tokenOf(linkIn(invite, '/invitations/accept?token=')), password: 'stakeholder passphrase' } }));
  const s = apiClient(p.url, await login(p.url, { id: acc.userId, email: body.headEmail, password: 'stakeholder passphrase', displayName: '', locale: 'en', recoveryCodes: [] }));
  const me = await json(await s('/api/auth/me'));
  assert.equal(me.memberships[0].networkMember, false);
  // A stakeholder sees the directory but not CSIRT-only details of other organisations.
  const csirt = await createTestUser(p.database.db, { org: { networkMember: true, role: 'member', countryCode: 'MX' } });
  const seen = await json(await s(`/api/orgs/${csirt.orgId}`));
  assert.equal(seen.members, undefined);
  assert.equal(seen.policies.canSeeMembers, false);
  const own = await json(await s(`/api/orgs/${ok.orgId}`));
  assert.equal(own.members.length, 1);
});
