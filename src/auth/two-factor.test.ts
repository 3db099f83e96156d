import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, login, sessionCookieOf, totpNow } from './test-helpers.ts';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform();
});
after(() => p.close());

const post = (path: string, body: unknown) =>
  fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A 6-digit code that matches none of the steps the server accepts now. */
function wrongCodeFor(secret: string): string {
  const valid = new Set([-1, 0, 1, 2].map((d) => totpNow(secret, d)));
  for (let i = 0; ; i++) {
    const c = String((Number(totpNow(secret)) + 1 + i * 7919) % 1_000_000).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

test('TOTP enrolment, two-step login, wrong and reused codes, recovery codes used once, disabling', async () => {
  const u = await createTestUser(p.database.db);
  const s = await login(p.url, u);
  const api = apiClient(p.url, s);

  const start = await json(await api('/api/auth/2fa/enrol', { method: 'POST' }));
  assert.match(start.otpauthUri, /^otpauth:\/\/totp\/Hemisphere:.+\?.*secret=[A-Z2-7]+/);
  assert.match(start.otpauthUri, /algorithm=SHA1&digits=6&period=30/);
  assert.match(start.qrDataUrl, /^data:image\/svg\+xml;base64,/);
  assert.match(start.qrSvg, /^<svg/);
  const secret = new URL(start.otpauthUri).searchParams.get('secret')!;
  const [stored] = await rows<{ secret: string }>(p.database.db, sql`SELECT secret FROM totp_factors WHERE user_id = ${u.id}`);
  assert.match(stored!.secret, /^sealed:v1:/, 'the seed is kept sealed');
  assert.ok(!stored!.secret.includes(secret), 'a copy of the database does not reveal the seed');

  const bad = await api('/api/auth/2fa/confirm', { body: { code: wrongCodeFor(secret) } });
  assert.equal(bad.status, 400);
  assert.equal((await json(await api('/api/auth/me'))).twoFactorEnabled, false);

  const confirmCode = totpNow(secret);
  const ok = await api('/api/auth/2fa/confirm', { body: { code: confirmCode } });
  assert.equal(ok.status, 200);
  const { recoveryCodes } = await json(ok);
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  // The secret is never shown again: restarting enrolment is refused while the factor is on.
  assert.equal((await api('/api/auth/2fa/enrol', { method: 'POST' })).status, 409);

  // Login now takes two steps; the password alone gives no session.
  const step1 = await post('/api/auth/login', { email: u.email, password: u.password });
  assert.equal(step1.status, 200);
  assert.equal(sessionCookieOf(step1), null);
  const c1 = await json(step1);
  assert.equal(c1.secondFactorRequired, true);
  assert.ok(c1.challenge.length >= 20);

  const wrong = await post('/api/auth/login/second-factor', { challenge: c1.challenge, code: wrongCodeFor(secret) });
  assert.equal(wrong.status, 401);
  assert.equal((await json(wrong)).code, 'unauthenticated');
  assert.equal(sessionCookieOf(wrong), null);

  // The confirmation already used the current step: the same code is refused (replay).
  const replayConfirm = await post('/api/auth/login/second-factor', { challenge: c1.challenge, code: confirmCode });
  assert.equal(replayConfirm.status, 401);

  const next = totpNow(secret, 1);
  const good = await post('/api/auth/login/second-factor', { challenge: c1.challenge, code: next });
  assert.equal(good.status, 200);
  assert.ok(sessionCookieOf(good));
  // The challenge is spent.
  assert.equal((await post('/api/auth/login/second-factor', { challenge: c1.challenge, code: recoveryCodes[0] })).status, 410);

  const c2 = await json(await post('/api/auth/login', { email: u.email, password: u.password }));
  const reused = await post('/api/auth/login/second-factor', { challenge: c2.challenge, code: next });
  assert.equal(reused.status, 401, 'a TOTP code works only once');

  const rc = await post('/api/auth/login/second-factor', { challenge: c2.challenge, code: recoveryCodes[0].toUpperCase() });
  assert.equal(rc.status, 200, 'recovery codes are accepted whatever their case');
  const c3 = await json(await post('/api/auth/login', { email: u.email, password: u.password }));
  assert.equal((await post('/api/auth/login/second-factor', { challenge: c3.challenge, code: recoveryCodes[0] })).status, 401,
    'a recovery code works only once');
  assert.equal((await post('/api/auth/login/second-factor', { challenge: c3.challenge, code: recoveryCodes[1] })).status, 200);

  // Disabling needs the password and a code.
  assert.equal((await api('/api/auth/2fa/disable', { body: { password: 'wrong password!!', code: recoveryCodes[2] } })).status, 401);
  assert.equal((await api('/api/auth/2fa/disable', { body: { password: u.password, code: recoveryCodes[0] } })).status, 401);
  assert.equal((await json(await api('/api/auth/me'))).twoFactorEnabled, true);
  assert.equal((await api('/api/auth/2fa/disable', { body: { password: u.password, code: recoveryCodes[2] } })).status, 204);
  const plain = await post('/api/auth/login', { email: u.email, password: u.password });
  assert.ok(sessionCookieOf(plain), 'without 2FA the password alone signs in again');

  const actions = await rows<{ action: string; actor_type: string; actor_id: string }>(p.database.db,
    sql`SELECT action, actor_type, actor_id FROM audit_log WHERE target_id = ${u.id} ORDER BY seq`);
  assert.ok(actions.some((r) => r.action === 'user.2fa_enabled'));
  assert.ok(actions.some((r) => r.action === 'user.2fa_disabled'));
  const logins = actions.filter((r) => r.action === 'auth.login');
  assert.ok(logins.length >= 4);
  assert.ok(logins.every((r) => r.actor_type === 'user' && r.actor_id === u.id), 'the login is audited with the user as actor');
});

test('2FA-required policy: a coordinator or CSIRT member without 2FA gets a session limited to enrolment', async () => {
  const db = p.database.db;
  for (const opts of [{ platformRole: 'coordinator' as const }, { org: { networkMember: true } }]) {
    const u = await createTestUser(db, opts);
    const s = await login(p.url, u);
    const api = apiClient(p.url, s);
    const me = await json(await api('/api/auth/me'));
    assert.equal(me.mustEnrol2fa, true);
    const refused = await api('/api/me');
    assert.equal(refused.status, 401);
    assert.equal((await json(refused)).code, 'second_factor_required');
    assert.equal((await api('/api/me/tokens', { body: { name: 'x', scopes: ['read'] } })).status, 401);

    const start = await json(await api('/api/auth/2fa/enrol', { method: 'POST' }));
    const secret = new URL(start.otpauthUri).searchParams.get('secret')!;
    assert.equal((await api('/api/auth/2fa/confirm', { body: { code: totpNow(secret) } })).status, 200);
    assert.equal((await json(await api('/api/auth/me'))).mustEnrol2fa, false);
    assert.equal((await api('/api/me')).status, 200, 'enrolled: the same session is now complete');
    // Turning the factor off limits the same session again at once (the cached Actor is dropped).
    const off = await api('/api/auth/2fa/disable', { body: { password: u.password, code: totpNow(secret, 1) } });
    assert.equal(off.status, 204, await off.text());
    assert.equal((await json(await api('/api/me'))).code, 'second_factor_required');
  }
  // A member of a non-CSIRT organisation is not required to enrol.
  const stakeholder = await createTestUser(db, { org: { networkMember: false } });
  const api = apiClient(p.url, await login(p.url, stakeholder));
  assert.equal((await json(await api('/api/auth/me'))).mustEnrol2fa, false);
  assert.equal((await api('/api/me')).status, 200);
});
