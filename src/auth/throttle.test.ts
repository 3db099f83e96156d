import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { createTestUser, sessionCookieOf } from './test-helpers.ts';

const PUBLIC_URL = 'https://hemisphere.example';
let p: TestPlatform;
let smtp: SmtpSink;
before(async () => {
  smtp = await startSmtpSink();
  // TRUST_PROXY lets each test pretend to come from its own address (X-Forwarded-For).
  p = await startTestPlatform({ SMTP_URL: smtp.url, PUBLIC_URL, TRUST_PROXY: 'true' });
});
after(async () => {
  await p.close();
  await smtp.close();
});

const post = (path: string, body: unknown, ip: string) =>
  fetch(`${p.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body),
  });
const mailTo = (email: string) => smtp.messages.filter((m) => m.envelope.to.includes(email));

test('five failures lock the account; the emailed unlock link (in the user\'s language) lifts the lock', async () => {
  const u = await createTestUser(p.database.db, { locale: 'es' });
  const ip = '198.51.100.10';
  for (let i = 1; i <= 4; i++) {
    const r = await post('/api/auth/login', { email: u.email, password: `wrong password ${i}` }, ip);
    assert.equal(r.status, 401, `failure ${i}`);
  }
  const fifth = await post('/api/auth/login', { email: u.email, password: 'wrong password 5' }, ip);
  assert.equal(fifth.status, 423);
  assert.equal((await json(fifth)).code, 'locked');
  const right = await post('/api/auth/login', { email: u.email.toUpperCase(), password: u.password }, ip);
  assert.equal(right.status, 423, 'even the right password is refused while locked');
  assert.equal(sessionCookieOf(right), null);

  await smtp.waitFor(1);
  await new Promise((r) => setTimeout(r, 200));
  const mails = mailTo(u.email);
  assert.equal(mails.length, 1, 'one unlock email, not one per refused attempt');
  const m = mails[0]!;
  assert.equal(m.email.subject, 'Hemisphere: su cuenta fue bloqueada');
  assert.ok(m.email.headers.some((h) => h.key === 'content-language' && h.value === 'es'));
  const link = /https:\/\/hemisphere\.example\/unlock\?token=([A-Za-z0-9_-]+)/.exec(m.email.text ?? '');
  assert.ok(link, 'the mail carries the unlock link built from PUBLIC_URL');
  assert.match(m.email.text ?? '', /Hola/);

  assert.equal((await post('/api/auth/unlock', { token: 'x'.repeat(43) }, ip)).status, 410);
  assert.equal((await post('/api/auth/unlock', { token: link[1] }, ip)).status, 204);
  assert.equal((await post('/api/auth/unlock', { token: link[1] }, ip)).status, 410, 'the unlock link works once');
  const after = await post('/api/auth/login', { email: u.email, password: u.password }, ip);
  assert.equal(after.status, 200);
  assert.ok(sessionCookieOf(after));
  // The count started again: one more failure does not lock.
  assert.equal((await post('/api/auth/login', { email: u.email, password: 'wrong again' }, ip)).status, 401);
});

test('unknown accounts lock the same way, so answers do not reveal which accounts exist', async () => {
  const email = 'nobody-here@example.org';
  for (let i = 1; i <= 4; i++) assert.equal((await post('/api/auth/login', { email, password: 'whatever1' }, '198.51.100.20')).status, 401);
  assert.equal((await post('/api/auth/login', { email, password: 'whatever1' }, '198.51.100.20')).status, 423);
  assert.equal(mailTo(email).length, 0);
});

test('thirty failures from one address in the window: 429 with Retry-After for that address only', async () => {
  const victim = await createTestUser(p.database.db);
  const ip = '203.0.113.7';
  for (let i = 0; i < 30; i++) {
    const r = await post('/api/auth/login', { email: `probe-${i}@example.org`, password: 'guess-guess' }, ip);
    assert.equal(r.status, 401, `attempt ${i}`);
  }
  const limited = await post('/api/auth/login', { email: victim.email, password: victim.password }, ip);
  assert.equal(limited.status, 429);
  assert.equal((await json(limited)).code, 'rate_limited');
  const retry = Number(limited.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
  const elsewhere = await post('/api/auth/login', { email: victim.email, password: victim.password }, '203.0.113.8');
  assert.equal(elsewhere.status, 200, 'another address is not affected');
});
