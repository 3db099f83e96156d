/**
 * The per-node session cache (session-cache.ts): changes of a session's Actor take effect on the
 * very next request on the node that made them, on other nodes when the bus notice arrives, and
 * within the TTL if a notice is lost, and at once when a lost bus connection is back; the expiry
 * keeps sliding. The two-node and lost-connection tests need PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import WebSocket from 'ws';
import pino from 'pino';
import { eq, sql } from 'drizzle-orm';
import { createTestDb, json, startTestPlatform, tempDir, type TestDb, type TestPlatform } from '../../test/harness.ts';
import { loadConfig, testDatabaseUrl } from '../config.ts';
import { publish } from '../core/bus.ts';
import { sessions } from '../core/tables.ts';
import { openDatabase, rows } from '../db/client.ts';
import { WS_CLOSE_ACCESS_CHANGED } from '../http/ws.routes.ts';
import { startPlatform, type Platform } from '../platform.ts';
import { AUTH_TOPIC } from './auth-changes.ts';
import { SessionCache, SESSION_CACHE_TTL_MS } from './session-cache.ts';
import { SESSION_SLIDE_MS } from './sessions.ts';
import { apiClient, createTestUser, login, sessionFor } from './test-helpers.ts';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
});
after(() => p.close());

const valueOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);

test('logout and sign out everywhere: the next request with a cached session is anonymous', async () => {
  const u = await createTestUser(p.database.db);
  const s1 = await login(p.url, u);
  const s2 = await login(p.url, u);
  const [a, b] = [apiClient(p.url, s1), apiClient(p.url, s2)];
  for (let i = 0; i < 3; i++) assert.equal((await a('/api/auth/me')).status, 200); // cached now
  assert.equal((await b('/api/auth/me')).status, 200);
  assert.equal((await a('/api/auth/logout', { method: 'POST' })).status, 204);
  assert.equal((await a('/api/auth/me')).status, 401, 'the logged-out session, on the very next request');
  assert.equal((await b('/api/auth/me')).status, 200, 'the other session stays');
  const s3 = await login(p.url, u);
  const c = apiClient(p.url, s3);
  assert.equal((await c('/api/auth/me')).status, 200);
  assert.equal((await json(await c('/api/auth/logout-everywhere', { method: 'POST' }))).revoked, 2);
  assert.equal((await b('/api/auth/me')).status, 401);
  assert.equal((await c('/api/auth/me')).status, 401);
});

test('membership removed: the next request no longer sees that organisation', async () => {
  const db = p.database.db;
  const admin = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
  const member = await createTestUser(db, { org: { orgId: admin.orgId, role: 'member' } });
  const [adm, mem] = [apiClient(p.url, await sessionFor(db, admin.id)), apiClient(p.url, await sessionFor(db, member.id))];
  const seen = await json(await mem(`/api/orgs/${admin.orgId}`));
  assert.ok(Array.isArray(seen.members), 'a member sees the members of the organisation');
  assert.deepEqual((await json(await mem('/api/auth/me'))).memberships.map((m: { orgId: string }) => m.orgId), [admin.orgId]);
  assert.equal((await adm(`/api/orgs/${admin.orgId}/members/${member.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await json(await mem(`/api/orgs/${admin.orgId}`))).members, undefined, 'no longer on the next request');
  assert.deepEqual((await json(await mem('/api/auth/me'))).memberships, []);
});

test('role changed and sharing group membership changed: the next request acts with the new rights', async () => {
  const db = p.database.db;
  const coordinator = apiClient(p.url, await sessionFor(db, (await createTestUser(db, { platformRole: 'coordinator' })).id));
  const owner = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  const admin = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  const colleague = await createTestUser(db, { org: { orgId: admin.orgId, role: 'org_admin' } });
  const [adm, col] = [apiClient(p.url, await sessionFor(db, admin.id)), apiClient(p.url, await sessionFor(db, colleague.id))];
  const g = await json(await coordinator('/api/sharing-groups', { body: { name: `Circle ${admin.orgId!.slice(0, 6)}`, ownerOrgId: owner.orgId } }));
  assert.equal((await col(`/api/sharing-groups/${g.id}`)).status, 404);
  assert.equal((await coordinator(`/api/sharing-groups/${g.id}/members`, { body: { orgId: admin.orgId } })).status, 201);
  assert.equal((await col(`/api/sharing-groups/${g.id}`)).status, 200, 'the group is visible on the next request');
  assert.equal((await coordinator(`/api/sharing-groups/${g.id}/members/${admin.orgId}`, { method: 'DELETE' })).status, 204);
  assert.equal((await col(`/api/sharing-groups/${g.id}`)).status, 404, 'and gone on the next request');

  assert.equal((await col('/api/auth/me')).status, 200);
  assert.equal((await adm(`/api/orgs/${admin.orgId}/members/${colleague.id}`, { method: 'PATCH', body: { role: 'observer' } })).status, 200);
  const me = await json(await col('/api/auth/me'));
  assert.equal(me.memberships[0].role, 'observer');
  assert.equal((await col(`/api/orgs/${admin.orgId}`, { method: 'PATCH', body: { description: 'observers cannot' } })).status, 403);
});

test('cache: expiry keeps sliding, a lost notice is bounded by the TTL, a load racing a change is not kept', async () => {
  const db = p.database.db;
  const u = await createTestUser(db);
  const s = await sessionFor(db, u.id);
  const value = valueOf(s.cookie);
  let clock = Date.now();
  const cache = new SessionCache({ now: () => clock });
  try {
    // A session last seen 58 s ago is loaded and cached without a write (the slide is once a minute).
    const id = (await cache.resolve(db, value))!.id;
    const lastSeen = new Date(clock - SESSION_SLIDE_MS + 2000);
    await db.update(sessions).set({ lastSeenAt: lastSeen }).where(eq(sessions.id, id));
    cache.clear();
    assert.ok(await cache.resolve(db, value));
    const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
    assert.equal(row!.lastSeenAt.getTime(), lastSeen.getTime());
    assert.equal(cache.size, 1);
    // 3 s later, within the cache TTL: the entry's last-seen is over a minute old, so the cache
    // re-reads, which slides last-seen and expiry in the database.
    clock += 3000;
    assert.ok(await cache.resolve(db, value));
    const [slid] = await db.select().from(sessions).where(eq(sessions.id, id));
    assert.ok(slid!.lastSeenAt.getTime() > lastSeen.getTime() + 30_000, 'last seen moved forward');
    assert.ok(slid!.expiresAt.getTime() > row!.expiresAt.getTime(), 'expiry slid');
  } finally {
    cache.close();
  }
  clock = Date.now();
  const fresh = new SessionCache({ now: () => clock });
  try {
    // A revocation written without a notice (what a node sees while its LISTEN connection is
    // down): the cache serves the entry at most SESSION_CACHE_TTL_MS, then reads again.
    const lost = valueOf((await sessionFor(db, u.id)).cookie);
    const id = (await fresh.resolve(db, lost))!.id;
    await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, id));
    assert.ok(await fresh.resolve(db, lost), 'within the TTL');
    clock += SESSION_CACHE_TTL_MS + 1;
    assert.equal(await fresh.resolve(db, lost), null, 'after the TTL');
    assert.equal(fresh.size, 0);

    // A load running while a change is made is answered but not cached.
    const other = valueOf((await sessionFor(db, u.id)).cookie);
    const loading = fresh.resolve(db, other);
    fresh.changing({ scope: 'user', id: u.id, nonce: 'n1' });
    assert.ok(await loading);
    assert.equal(fresh.size, 0);
    // While the change is pending (before its notice), nothing is cached for that user either.
    assert.ok(await fresh.resolve(db, other));
    assert.equal(fresh.size, 0);
    fresh.notice({ topic: AUTH_TOPIC, id: u.id, scope: 'user n1' });
    assert.ok(await fresh.resolve(db, other));
    assert.equal(fresh.size, 1);

    // Each request gets its own Actor: changing it does not reach the cached one.
    const mine = (await fresh.resolve(db, other))!.actor;
    mine.memberships.push({ orgId: '00000000-0000-4000-8000-000000000000', role: 'org_admin', networkMember: true, countryCode: null });
    mine.groupIds.push('g');
    mine.platformRole = 'administrator';
    const again = (await fresh.resolve(db, other))!.actor;
    assert.equal(fresh.size, 1);
    assert.deepEqual([again.memberships, again.groupIds, again.platformRole], [[], [], null]);
  } finally {
    fresh.close();
  }
});

const skip = testDatabaseUrl() ? false : 'needs PostgreSQL: set TEST_DATABASE_URL (two nodes share one database over LISTEN/NOTIFY)';

test('two nodes on one database: a change on node A is refused on node B once the bus notice arrives', { skip }, async () => {
  let testDb: TestDb | undefined;
  const nodes: { platform: Platform; url: string; dir: string }[] = [];
  try {
    testDb = await createTestDb();
    for (let i = 0; i < 2; i++) {
      const dir = tempDir(`auth-node${i}`);
      const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', REQUIRE_2FA_ROLES: '', DATABASE_URL: testDb.url! }, { port: 0, host: '127.0.0.1' });
      const platform = await startPlatform(config, { database: await openDatabase({ url: testDb.url! }), logger: pino({ level: 'silent' }) });
      const addr = platform.app.server.address();
      nodes.push({ platform, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, dir });
    }
    const [A, B] = nodes as [typeof nodes[0], typeof nodes[0]];
    const db = testDb.database.db;
    const u = await createTestUser(db);
    const s = await login(A.url, u);
    const [onA, onB] = [apiClient(A.url, s), apiClient(B.url, s)];
    assert.equal((await onB('/api/auth/me')).status, 200); // cached on B

    // Every auth notice B receives, counted by a subscriber added after B's cache (so it runs after it).
    const noticesOnB: string[] = [];
    B.platform.bus.subscribe(AUTH_TOPIC, (m) => noticesOnB.push(m.scope ?? ''));
    assert.equal((await onA('/api/auth/logout', { method: 'POST' })).status, 204);
    await waitFor(() => noticesOnB.length >= 1);
    assert.equal((await onB('/api/auth/me')).status, 401, 'B refuses once the notice has arrived');

    // Both nodes live in this process, so A's authChanged also marked B's cache. What a separate node
    // relies on is the notice alone: revoke in SQL (no mark anywhere), then notify.
    const s2 = await sessionFor(db, u.id);
    const onB2 = apiClient(B.url, s2);
    assert.equal((await onB2('/api/auth/me')).status, 200);
    assert.equal((await onB2('/api/auth/me')).status, 200);
    await db.execute(sql`UPDATE sessions SET revoked_at = now() WHERE user_id = ${u.id}`);
    await publish(db, { topic: AUTH_TOPIC, id: u.id, scope: 'user external' });
    await waitFor(() => noticesOnB.length >= 2);
    assert.equal((await onB2('/api/auth/me')).status, 401);
  } finally {
    for (const n of nodes) {
      await n.platform.stop();
      fs.rmSync(n.dir, { recursive: true, force: true });
    }
    await testDb?.drop();
  }
});

test('notices missed while the bus connection was down: once it is back, no cached session is trusted and every socket is re-resolved', {
  skip: testDatabaseUrl() ? false : 'needs PostgreSQL: set TEST_DATABASE_URL (the embedded database has no separate listening connection)',
}, async () => {
  const db = p.database.db;
  const u = await createTestUser(db);
  const s = await login(p.url, u);
  const call = apiClient(p.url, s);
  assert.equal((await call('/api/auth/me')).status, 200);
  assert.equal((await call('/api/auth/me')).status, 200); // cached now
  const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/ws`, { headers: { cookie: s.cookie, origin: p.url } });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => { ws.on('message', () => resolve()); ws.on('error', reject); }); // hello

  // The session is revoked while this node's listening connection is down: its notice is never seen.
  const listeners = () => rows<{ pid: number }>(db, sql`SELECT pid FROM pg_stat_activity
    WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`);
  const [victim] = await listeners();
  assert.ok(victim, 'the listening connection is visible');
  let gaps = 0;
  const off = p.bus.onGap(() => gaps++);
  await db.execute(sql`SELECT pg_terminate_backend(${victim.pid})`);
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.userId, u.id));
  const since = Date.now();
  await waitFor(() => gaps === 1, 1500);
  off();
  assert.ok(Date.now() - since < SESSION_CACHE_TTL_MS, 'back well inside the cache TTL, so what follows is not the TTL at work');
  assert.equal((await call('/api/auth/me')).status, 401, 'the cache was cleared when the connection came back');
  const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open after 10 s'), 10_000))]);
  assert.equal(code, WS_CLOSE_ACCESS_CHANGED, 'the open socket was closed, to be resolved afresh');
});

/** Polls a condition (the arrival of a bus notice); fails only if it never holds. */
async function waitFor(cond: () => boolean, tries = 500): Promise<void> {
  for (let i = 0; i < tries && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'the condition never held');
}
