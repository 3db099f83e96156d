/** Invitations over HTTP with real SMTP: expiry, re-send (old link dies), revoke, existing accounts. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink, type SinkMessage } from '../../test/smtp.ts';
import { apiClient, createTestUser, login, type TestUser } from '../auth/test-helpers.ts';
import { invitations } from './tables.ts';

let p: TestPlatform;
let sink: SmtpSink;
let admin: TestUser;
let orgAdmin: ReturnType<typeof apiClient>;
const anon = () => apiClient(p.url);

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test' });
  admin = await createTestUser(p.database.db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' }, twoFactor: true });
  orgAdmin = apiClient(p.url, await login(p.url, admin));
});
after(async () => {
  await p.close();
  await sink.close();
});

async function linksTo(email: string, n: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  let got: SinkMessage[] = [];
  while ((got = sink.messages.filter((m) => m.envelope.to.includes(email))).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} mails to ${email}, got ${got.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return got.map((m) => new URL(/http:\/\/hemisphere\.test\/invitations\/accept\?token=\S+/.exec(m.email.text ?? '')![0]).searchParams.get('token')!);
}

const invite = (email: string, role = 'member', locale = 'fr') => orgAdmin(`/api/orgs/${admin.orgId}/invitations`, { body: { email, role, locale, displayName: 'Invited Person' } });

test('an expired invitation is gone; re-sending issues a fresh link and kills the old one', async () => {
  const email = `inv-exp-${Date.now()}@example.org`;
  const r = await invite(email);
  assert.equal(r.status, 201, await r.clone().text());
  const inv = await json(r);
  const [first] = await linksTo(email, 1);
  assert.equal((await invite(email)).status, 409, 'a second pending invitation is refused');

  await p.database.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, inv.id));
  assert.equal((await anon()(`/api/invitations/lookup?token=${first}`)).status, 410);
  const late = await anon()('/api/invitations/accept', { body: { token: first, password: 'twelve chars or more' } });
  assert.equal(late.status, 410);
  const listed = await json(await orgAdmin(`/api/orgs/${admin.orgId}/invitations`));
  assert.equal(listed.items.find((i: { id: string }) => i.id === inv.id).state, 'expired');

  const re = await orgAdmin(`/api/invitations/${inv.id}/resend`, { body: {} });
  assert.equal(re.status, 200, await re.clone().text());
  assert.equal((await json(re)).sendCount, 2);
  const [, second] = await linksTo(email, 2);
  assert.notEqual(first, second);
  assert.equal((await anon()('/api/invitations/accept', { body: { token: first, password: 'twelve chars or more' } })).status, 410);
  const ok = await anon()('/api/invitations/accept', { body: { token: second!, password: 'twelve chars or more' } });
  assert.equal(ok.status, 201, await ok.clone().text());
  const org = await json(await orgAdmin(`/api/orgs/${admin.orgId}`));
  assert.ok(org.members.some((m: { email: string; role: string }) => m.email === email && m.role === 'member'));
  assert.equal((await json(await orgAdmin(`/api/invitations/${inv.id}/resend`, { body: {} }))).code, 'invalid_transition');
});

test('a revoked invitation cannot be accepted; only org admins manage invitations', async () => {
  const email = `inv-rev-${Date.now()}@example.org`;
  const inv = await json(await invite(email, 'observer'));
  const [token] = await linksTo(email, 1);
  const outsider = await createTestUser(p.database.db, { org: { networkMember: true, role: 'member' }, twoFactor: true });
  const o = apiClient(p.url, await login(p.url, outsider));
  assert.equal((await o(`/api/invitations/${inv.id}/revoke`, { body: {} })).status, 403);
  assert.equal((await o(`/api/orgs/${admin.orgId}/invitations`, { body: { email: 'x@example.org', role: 'member' } })).status, 403);
  const rv = await orgAdmin(`/api/invitations/${inv.id}/revoke`, { body: {} });
  assert.equal(rv.status, 200);
  assert.equal((await orgAdmin(`/api/invitations/${inv.id}/revoke`, { body: {} })).status, 409);
  assert.equal((await anon()('/api/invitations/accept', { body: { token: token!, password: 'twelve chars or more' } })).status, 410);
});

test('an existing account is attached only with its own password', async () => {
  const existing = await createTestUser(p.database.db, {});
  await invite(existing.email, 'member', 'en');
  const [token] = await linksTo(existing.email, 1);
  const info = await json(await anon()(`/api/invitations/lookup?token=${token}`));
  assert.equal(info.accountExists, true);
  const wrong = await anon()('/api/invitations/accept', { body: { token: token!, password: 'not the right password' } });
  assert.equal(wrong.status, 401);
  const ok = await json(await anon()('/api/invitations/accept', { body: { token: token!, password: existing.password } }));
  assert.equal(ok.userId, existing.id);
  assert.equal(ok.accountCreated, false);
});
