import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, login } from './test-helpers.ts';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform();
});
after(() => p.close());

test('profile: valid changes are saved, invalid ones are typed 400s that change nothing', async () => {
  const u = await createTestUser(p.database.db);
  const api = apiClient(p.url, await login(p.url, u));
  const ok = await api('/api/me', { method: 'PATCH', body: { displayName: 'Ana Pérez', locale: 'es', timeZone: 'America/Bogota' } });
  assert.equal(ok.status, 200);
  const me = await json(ok);
  assert.deepEqual([me.displayName, me.locale, me.timeZone], ['Ana Pérez', 'es', 'America/Bogota']);
  for (const bad of [{ timeZone: 'Mars/Olympus_Mons' }, { locale: 'de' }, { displayName: '   ' }, {}, { email: 'x@example.org' }]) {
    const r = await api('/api/me', { method: 'PATCH', body: bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal((await json(r)).code, 'validation_failed');
  }
  const after = await json(await api('/api/me'));
  assert.deepEqual([after.displayName, after.locale, after.timeZone], ['Ana Pérez', 'es', 'America/Bogota']);

  // Password change needs the current password and signs out the other sessions.
  const other = apiClient(p.url, await login(p.url, u));
  assert.equal((await api('/api/me/password', { body: { currentPassword: 'not it at all', newPassword: 'a new long passphrase' } })).status, 400);
  assert.equal((await api('/api/me/password', { body: { currentPassword: u.password, newPassword: 'short' } })).status, 400);
  const changed = await api('/api/me/password', { body: { currentPassword: u.password, newPassword: 'a new long passphrase' } });
  assert.equal(changed.status, 200);
  assert.equal((await other('/api/me')).status, 401);
  assert.equal((await api('/api/me')).status, 200, 'the current session stays');
});

test('CSRF: cookie-authenticated writes without or with a wrong X-CSRF-Token are refused', async () => {
  const u = await createTestUser(p.database.db);
  const s = await login(p.url, u);
  const none = await fetch(`${p.url}/api/me`, {
    method: 'PATCH', headers: { cookie: s.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Hijacked' }),
  });
  assert.equal(none.status, 403);
  assert.equal((await json(none)).code, 'csrf_failed');
  const wrong = await apiClient(p.url, s)('/api/me', { method: 'PATCH', body: { displayName: 'Hijacked' }, headers: { 'x-csrf-token': 'nope' } });
  assert.equal(wrong.status, 403);
  assert.equal((await json(wrong)).code, 'csrf_failed');
  assert.equal((await json(await apiClient(p.url, s)('/api/me'))).displayName, u.displayName);
});

test('sessions: listed with the current one marked; revoke one; sign out everywhere', async () => {
  const u = await createTestUser(p.database.db);
  const a = apiClient(p.url, await login(p.url, u, { 'user-agent': 'Browser A' }));
  const b = apiClient(p.url, await login(p.url, u, { 'user-agent': 'Browser B' }));
  const c = apiClient(p.url, await login(p.url, u, { 'user-agent': 'Browser C' }));
  const list = (await json(await a('/api/me/sessions'))).items;
  assert.equal(list.length, 3);
  const current = list.filter((s: { current: boolean }) => s.current);
  assert.equal(current.length, 1);
  assert.equal(current[0].userAgent, 'Browser A');
  assert.ok(list.every((s: { ip: string; lastSeenAt: string }) => s.ip && s.lastSeenAt));
  const bId = list.find((s: { userAgent: string }) => s.userAgent === 'Browser B').id;
  assert.equal((await a(`/api/me/sessions/${bId}`, { method: 'DELETE' })).status, 204);
  assert.equal((await b('/api/me')).status, 401);
  assert.equal((await a(`/api/me/sessions/${bId}`, { method: 'DELETE' })).status, 404);

  // Someone else's session cannot be revoked.
  const stranger = apiClient(p.url, await login(p.url, await createTestUser(p.database.db)));
  const cId = list.find((s: { userAgent: string }) => s.userAgent === 'Browser C').id;
  assert.equal((await stranger(`/api/me/sessions/${cId}`, { method: 'DELETE' })).status, 404);
  assert.equal((await c('/api/me')).status, 200);

  const everywhere = await c('/api/auth/logout-everywhere', { method: 'POST' });
  assert.equal((await json(everywhere)).revoked, 2);
  assert.equal((await a('/api/me')).status, 401);
  assert.equal((await c('/api/me')).status, 401);
});

test('API tokens: shown once, listed without secret, scopes enforced, never above the user, revocable', async () => {
  const u = await createTestUser(p.database.db);
  const api = apiClient(p.url, await login(p.url, u));
  assert.equal((await api('/api/me/tokens', { body: { name: 'x', scopes: ['everything'] } })).status, 400);
  assert.equal((await api('/api/me/tokens', { body: { name: 'x', scopes: [] } })).status, 400);
  const adminScope = await api('/api/me/tokens', { body: { name: 'x', scopes: ['admin'] } });
  assert.equal(adminScope.status, 403, 'a token never carries more than its user');

  const created = await api('/api/me/tokens', { body: { name: 'reader', scopes: ['read'], expiresInDays: 30 } });
  assert.equal(created.status, 201);
  const t = await json(created);
  assert.match(t.token, /^hs_/);
  const list = (await json(await api('/api/me/tokens'))).items;
  assert.equal(list.length, 1);
  assert.equal(list[0].token, undefined);
  assert.ok(!JSON.stringify(list).includes(t.token));

  const bearer = apiClient(p.url, { token: t.token });
  assert.equal((await bearer('/api/me')).status, 200, 'read scope reads');
  const write = await bearer('/api/me', { method: 'PATCH', body: { displayName: 'Via token' } });
  assert.equal(write.status, 403, 'a read token cannot write');
  assert.equal((await json(write)).requiredScope, 'write');
  const adminRoute = await bearer('/api/admin/audit');
  assert.equal(adminRoute.status, 403, 'and cannot reach what its user cannot');
  const listed = (await json(await api('/api/me/tokens'))).items[0];
  assert.ok(listed.lastUsedAt, 'last use is recorded');

  assert.equal((await api(`/api/me/tokens/${t.id}`, { method: 'DELETE' })).status, 204);
  const revoked = await bearer('/api/me');
  assert.equal(revoked.status, 401, 'a revoked token is refused');
  assert.equal((await json(revoked)).code, 'unauthenticated');
  // Someone else's token cannot be revoked by id.
  const other = apiClient(p.url, await login(p.url, await createTestUser(p.database.db)));
  const t2 = await json(await api('/api/me/tokens', { body: { name: 'w', scopes: ['write'] } }));
  assert.equal((await other(`/api/me/tokens/${t2.id}`, { method: 'DELETE' })).status, 404);
  assert.equal((await apiClient(p.url, { token: t2.token })('/api/me')).status, 200);
  // Tokens cannot mint tokens.
  assert.equal((await apiClient(p.url, { token: t2.token })('/api/me/tokens', { body: { name: 'z', scopes: ['write'] } })).status, 403);
});
