import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, login } from './test-helpers.ts';

const PUBLIC_URL = 'https://hemisphere.example';
let p: TestPlatform;
let smtp: SmtpSink;
before(async () => {
  smtp = await startSmtpSink();
  p = await startTestPlatform({ SMTP_URL: smtp.url, PUBLIC_URL });
});
after(async () => {
  await p.close();
  await smtp.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function mailTo(email: string, n = 1) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = smtp.messages.filter((m) => m.envelope.to.includes(email.toLowerCase()) || m.envelope.to.includes(email));
    if (list.length >= n) return list;
    if (Date.now() > deadline) throw new Error(`no mail for ${email}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const linkToken = (text: string | undefined, page: string) =>
  new RegExp(`https://hemisphere\\.example/${page}\\?token=([A-Za-z0-9_-]+)`).exec(text ?? '')?.[1];

test('password reset: 202 for any email, link in the recipient\'s language, single use, revokes sessions', async () => {
  const u = await createTestUser(p.database.db, { locale: 'pt' });
  const s1 = await login(p.url, u);
  const s2 = await login(p.url, u);

  const unknown = await post('/api/auth/password-reset/request', { email: 'no-such-user@example.org' });
  assert.equal(unknown.status, 202);
  assert.equal((await post('/api/auth/password-reset/request', { email: 'not an email' })).status, 400);
  const req = await post('/api/auth/password-reset/request', { email: u.email });
  assert.equal(req.status, 202);
  assert.deepEqual(await json(req), await json(await post('/api/auth/password-reset/request', { email: 'other-nobody@example.org' })));

  const [m] = await mailTo(u.email);
  assert.equal(m!.email.subject, 'Hemisphere: redefina sua senha');
  assert.ok(m!.email.headers.some((h) => h.key === 'content-language' && h.value === 'pt'));
  const token = linkToken(m!.email.text, 'reset-password');
  assert.ok(token, 'the mail carries ${PUBLIC_URL}/reset-password?token=…');
  assert.equal(smtp.messages.filter((x) => x.envelope.to.some((t) => t.includes('nobody'))).length, 0);

  const weak = await post('/api/auth/password-reset/complete', { token, password: 'short' });
  assert.equal(weak.status, 400, 'a weak password is refused and the link stays usable');
  const done = await post('/api/auth/password-reset/complete', { token, password: 'a brand new passphrase' });
  assert.equal(done.status, 200);
  assert.equal((await json(done)).revokedSessions, 2);
  for (const s of [s1, s2]) assert.equal((await apiClient(p.url, s)('/api/me')).status, 401, 'every session is revoked');

  const again = await post('/api/auth/password-reset/complete', { token, password: 'another new passphrase' });
  assert.equal(again.status, 410, 'a used link is gone');
  assert.equal((await post('/api/auth/login', { email: u.email, password: u.password })).status, 401);
  assert.equal((await post('/api/auth/login', { email: u.email, password: 'a brand new passphrase' })).status, 200);
});

test('an expired reset link is refused and changes nothing', async () => {
  const u = await createTestUser(p.database.db, { locale: 'fr' });
  await post('/api/auth/password-reset/request', { email: u.email });
  const [m] = await mailTo(u.email);
  assert.equal(m!.email.subject, 'Hemisphere : réinitialisez votre mot de passe');
  const token = linkToken(m!.email.text, 'reset-password')!;
  // One hour and a bit later:
  await p.database.db.execute(sql`UPDATE one_time_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = ${u.id}`);
  const r = await post('/api/auth/password-reset/complete', { token, password: 'a brand new passphrase' });
  assert.equal(r.status, 410);
  assert.equal((await json(r)).code, 'gone');
  assert.equal((await post('/api/auth/login', { email: u.email, password: u.password })).status, 200, 'the old password still works');
});

test('email change is verified by a link sent to the new address', async () => {
  const u = await createTestUser(p.database.db, { locale: 'es' });
  const api = apiClient(p.url, await login(p.url, u));
  const other = await createTestUser(p.database.db);
  assert.equal((await api('/api/me/email', { body: { email: other.email, password: u.password } })).status, 409);
  assert.equal((await api('/api/me/email', { body: { email: 'new@example.org', password: 'wrong password' } })).status, 400);
  const newEmail = `new-${u.id.slice(0, 8)}@example.org`;
  assert.equal((await api('/api/me/email', { body: { email: newEmail, password: u.password } })).status, 202);
  assert.equal((await json(await api('/api/me'))).email, u.email, 'nothing changes before the link is opened');
  const [m] = await mailTo(newEmail);
  assert.equal(m!.email.subject, 'Hemisphere: confirme su dirección de correo');
  const token = linkToken(m!.email.text, 'verify-email')!;
  const v = await post('/api/auth/verify-email', { token });
  assert.equal(v.status, 200);
  const me = await json(await api('/api/me'));
  assert.equal(me.email, newEmail);
  assert.equal(me.emailVerified, true);
  assert.equal((await post('/api/auth/verify-email', { token })).status, 410);
});
