/**
 * Two app processes' worth of platform (each its own pg pool, LISTEN connection, hub) on one
 * PostgreSQL database: WebSocket clients on each node see messages posted through the other, the
 * third organisation's client on either node sees nothing, and resume works against either node.
 * Needs PostgreSQL (LISTEN/NOTIFY across connections): skipped without TEST_DATABASE_URL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import pino from 'pino';
import { createTestDb, json, tempDir, type TestDb } from '../../test/harness.ts';
import { loadConfig, testDatabaseUrl } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { startPlatform, type Platform } from '../platform.ts';
import { apiClient, createTestUser, sessionFor, type TestSession } from '../auth/test-helpers.ts';
import { connectMessaging, settle } from './test-support.ts';

const skip = testDatabaseUrl() ? false : 'needs PostgreSQL: set TEST_DATABASE_URL (two nodes share one database over LISTEN/NOTIFY)';
let testDb: TestDb;
const nodes: { platform: Platform; url: string; dir: string }[] = [];

before(async () => {
  if (skip) return;
  testDb = await createTestDb();
  for (let i = 0; i < 2; i++) {
    const dir = tempDir(`node${i}`);
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', REQUIRE_2FA_ROLES: '', DATABASE_URL: testDb.url! }, { port: 0, host: '127.0.0.1' });
    const platform = await startPlatform(config, { database: await openDatabase({ url: testDb.url! }), logger: pino({ level: 'silent' }) });
    const addr = platform.app.server.address();
    nodes.push({ platform, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, dir });
  }
});
after(async () => {
  for (const n of nodes) {
    await n.platform.stop();
    fs.rmSync(n.dir, { recursive: true, force: true });
  }
  await testDb?.drop();
});

test('clients on two nodes see each other’s messages; the third organisation on neither', { skip }, async () => {
  const db = testDb.database.db;
  const a = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  const b = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  const c = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  const [sa, sb, sc] = (await Promise.all([a, b, c].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession, TestSession];
  const [n0, n1] = [nodes[0]!.url, nodes[1]!.url];
  const ch = await json(await apiClient(n0, sa)('/api/messaging/channels', { body: { kind: 'bilateral', name: 'x-node', defaultTlp: 'amber', otherOrgId: b.orgId } }));
  const wa = await connectMessaging(n0, sa);
  const wb = await connectMessaging(n1, sb);
  const wc0 = await connectMessaging(n0, sc);
  const wc1 = await connectMessaging(n1, sc);
  await Promise.all([wa, wb, wc0, wc1].map((w) => w.subscribed));
  for (let i = 0; i < 10; i++) {
    const [node, s] = i % 2 ? [n1, sb] : [n0, sa];
    assert.equal((await apiClient(node, s)(`/api/messaging/channels/${ch.id}/messages`, { body: { body: `hop ${i}` } })).status, 201);
  }
  const want = Array.from({ length: 10 }, (_, i) => `hop ${i}`);
  for (const w of [wa, wb]) {
    await w.waitFor((e) => e.length >= 10);
    assert.deepEqual(w.events.map((e) => e.message.body), want, 'every message, in commit order, on both nodes');
  }
  await settle(500);
  assert.equal(wc0.events.length + wc1.events.length, 0);
  // Resume on the other node from a cursor taken on the first.
  const cursor = wb.events[4]!.pos;
  await wb.close();
  const again = await connectMessaging(n0, sb, cursor);
  const r = await again.subscribed;
  assert.equal(r.replayed, 5);
  assert.deepEqual(again.events.map((e) => e.message.body), want.slice(5));
  for (const w of [wa, wc0, wc1, again]) await w.close();
});
