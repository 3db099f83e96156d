/**
 * The node's fan-out decides shared verdicts once per audience group (organisations, network
 * membership, sharing groups — `audienceKey`) and writes pre-framed bytes. These tests pin that the
 * grouping never widens anything: people with the SAME audience key as a TLP:RED recipient or as an
 * invite-only member do not get those messages, over real WebSockets; the shortcut agrees with
 * `canSee` + `canEnterChannel` on every combination of a generated matrix; frames of every size
 * class (16-bit and 64-bit lengths) arrive intact; and a socket whose person loses access (membership
 * removed, logout) is closed at once and, once reconnected, gets only what its new Actor may read.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, inArray } from 'drizzle-orm';
import type { Membership, UserActor } from '../core/actor.ts';
import { verifyAudit } from '../core/audit.ts';
import { auditLog } from '../core/tables.ts';
import { canSee, type Marking } from '../core/visibility.ts';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import WebSocket from 'ws';
import { textFrame, WS_CLOSE_ACCESS_CHANGED, WS_CLOSE_UNAUTHENTICATED } from '../http/ws.routes.ts';
import { audienceKey, canEnterChannel, verdictIsShared, type ChannelRow } from './access.ts';
import { connectMessaging, settle, type WsClient } from './test-support.ts';

let p: TestPlatform;
let a1: TestUser, a2: TestUser, a3: TestUser, b1: TestUser, c1: TestUser, d1: TestUser;
const s = new Map<TestUser, TestSession>();
const api = (u: TestUser) => apiClient(p.url, s.get(u)!);

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  a1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  a2 = await createTestUser(db, { org: { orgId: a1.orgId, role: 'member' } });
  a3 = await createTestUser(db, { org: { orgId: a1.orgId, role: 'member' } });
  b1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  d1 = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
  for (const u of [a1, a2, a3, b1, c1, d1]) s.set(u, await sessionFor(db, u.id));
});
after(async () => {
  await p.close();
});

async function channel(u: TestUser, body: Record<string, unknown>): Promise<string> {
  const r = await api(u)('/api/messaging/channels', { body });
  assert.equal(r.status, 201, await r.clone().text());
  return (await json(r)).id;
}

test('same audience as a RED recipient or an invite-only member is not enough: per-person rules survive the grouping', async () => {
  const net = await channel(c1, { kind: 'network', name: 'fan-out net', defaultTlp: 'green' });
  const bilateral = await channel(a1, { kind: 'bilateral', name: 'fan-out A–B', defaultTlp: 'amber', otherOrgId: b1.orgId });
  const invite = await channel(a1, { kind: 'network', name: 'fan-out invite', defaultTlp: 'green', access: 'invite' });
  assert.equal((await api(a1)(`/api/messaging/channels/${invite}/members`, { body: { userId: a2.id } })).status, 201);
  // a2 has two tabs; a1, a2, a3 share one audience key (same organisation, no groups).
  assert.equal(audienceKey(actorOf(a2.orgId!)), audienceKey(actorOf(a1.orgId!)));
  const people = [a1, a2, a2, a3, b1, c1, d1];
  const ws = await Promise.all(people.map((u) => connectMessaging(p.url, s.get(u)!)));
  await Promise.all(ws.map((w) => w.subscribed));

  const sent = await Promise.all([
    [c1, net, { body: 'fo-1 green network' }],
    [a1, bilateral, { body: 'fo-2 amber bilateral' }],
    [a1, net, { body: 'fo-3 red for a2', tlp: 'red', recipientUserIds: [a2.id] }],
    [b1, net, { body: 'fo-4 red for a3', tlp: 'red', recipientUserIds: [a3.id] }],
    [a1, invite, { body: 'fo-5 invite only' }],
    [a2, net, { body: 'fo-6 green from a2' }],
  ].map(async ([u, ch, body]) => {
    const r = await api(u as TestUser)(`/api/messaging/channels/${ch as string}/messages`, { body });
    assert.equal(r.status, 201, await r.clone().text());
    return (await json(r)).id as string;
  }));
  assert.equal(sent.length, 6);
  // Every post audited (concurrent posts, one chain) and the chain verifies.
  const audited = await p.database.db.select({ id: auditLog.targetId }).from(auditLog)
    .where(and(eq(auditLog.action, 'messaging.message.post'), inArray(auditLog.targetId, sent)));
  assert.equal(audited.length, 6);
  assert.equal((await verifyAudit(p.database.db)).ok, true);
  const expected: Record<string, string[]> = {
    a1: ['fo-1', 'fo-2', 'fo-3', 'fo-5', 'fo-6'],
    a2: ['fo-1', 'fo-2', 'fo-3', 'fo-5', 'fo-6'],
    a3: ['fo-1', 'fo-2', 'fo-4', 'fo-6'],
    b1: ['fo-1', 'fo-2', 'fo-4', 'fo-6'],
    c1: ['fo-1', 'fo-6'],
    d1: [],
  };
  const names = ['a1', 'a2', 'a2', 'a3', 'b1', 'c1', 'd1'];
  const tags = (w: WsClient) => w.events.map((e) => e.message.body.slice(0, 4)).filter((t) => t.startsWith('fo-')).sort();
  await Promise.all(ws.map((w, i) => w.waitFor(() => tags(w).length >= expected[names[i]!]!.length)));
  await settle();
  ws.forEach((w, i) => {
    assert.deepEqual(tags(w), expected[names[i]!], `${names[i]} (socket ${i})`);
    const pos = w.events.map((e) => e.pos);
    assert.deepEqual(pos, [...new Set(pos)].sort((x, y) => x - y), 'positions strictly increasing, no duplicate');
  });
  for (const w of ws) await w.close();
});

test('frames of every length class arrive intact (pre-framed bytes written to the socket)', async () => {
  const net = await channel(a1, { kind: 'network', name: 'fan-out sizes', defaultTlp: 'green' });
  const w = await connectMessaging(p.url, s.get(b1)!);
  await w.subscribed;
  const bodies = ['short', 'x'.repeat(3_000), '€'.repeat(20_000)]; // ~0.6 kB, ~6 kB and > 64 kB of UTF-8 JSON
  for (const body of bodies) assert.equal((await api(a1)(`/api/messaging/channels/${net}/messages`, { body: { body } })).status, 201);
  await w.waitFor((e) => e.length >= 3);
  assert.deepEqual(w.events.map((e) => e.message.body), bodies);
  await w.close();
  for (const n of [0, 125, 126, 65_535, 65_536, 70_000]) {
    const f = textFrame(Buffer.alloc(n, 0x61));
    const len = f[1]! < 126 ? f[1]! : f[1] === 126 ? f.readUInt16BE(2) : f.readUInt32BE(2) * 2 ** 32 + f.readUInt32BE(6);
    assert.equal(f[0], 0x81);
    assert.equal(len, n);
    assert.equal(f.length - n, n < 126 ? 2 : n < 65_536 ? 4 : 10);
  }
});

function actorOf(...orgs: string[]): UserActor {
  return actor('u-x', orgs.map((orgId) => ({ orgId, role: 'member', networkMember: true, countryCode: null })), []);
}
function actor(userId: string, memberships: Membership[], groupIds: string[]): UserActor {
  return { kind: 'user', userId, email: `${userId}@example.org`, platformRole: null, memberships, groupIds, locale: 'en', via: 'session' };
}

test('the shared verdict agrees with canSee + canEnterChannel for everyone with the same audience key', () => {
  const orgSets = [[], ['o1'], ['o2'], ['o1', 'o2'], ['o3']];
  const groupSets = [[], ['g1'], ['g1', 'g2']];
  const actors: UserActor[] = [];
  let n = 0;
  for (const orgs of orgSets) for (const groups of groupSets) for (const network of [false, true]) for (const copy of [0, 1]) {
    // Two people per shape, memberships in different orders and roles: only the key may matter.
    const ms = orgs.map((orgId, i) => ({ orgId, role: (i + copy) % 2 ? 'org_admin' : 'member', networkMember: network && i === 0, countryCode: null } as Membership));
    actors.push(actor(`u${n++}`, copy ? ms.reverse() : ms, copy ? [...groups].reverse() : groups));
  }
  const creators = [null, 'u0', 'u7', 'u-other'];
  let checked = 0;
  for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
    for (const scope of ['org', 'orgs', 'group', 'network', 'public'] as const) {
      for (const owner of [null, 'o1', 'o3']) {
        for (const createdBy of creators) {
          const m: Marking = { tlp, scope, ownerOrgId: owner, createdBy, scopeOrgIds: scope === 'orgs' ? ['o2'] : [], sharingGroupId: scope === 'group' ? 'g2' : null, recipientUserIds: tlp === 'red' ? ['u3'] : [] };
          for (const access of ['open', 'invite']) {
            const ch = { id: 'ch', access, tlp: 'green', scope: 'network', ownerOrgId: 'o1', createdBy: creators[(checked + 1) % 4], scopeOrgIds: [], sharingGroupId: null, recipientUserIds: [] } as unknown as ChannelRow;
            const exact = (a: UserActor) => canSee(a, m) && canEnterChannel(a, ch, false);
            const shared = new Map<string, boolean>();
            for (const a of actors) {
              if (!verdictIsShared(m, ch) || a.userId === m.createdBy || a.userId === ch.createdBy) continue;
              const key = audienceKey(a);
              if (!shared.has(key)) shared.set(key, exact(a));
              assert.equal(shared.get(key), exact(a), `${a.userId} on ${JSON.stringify(m)} in ${access}`);
              checked++;
            }
            if (tlp === 'red' || access === 'invite') assert.equal(verdictIsShared(m, ch), false);
          }
        }
      }
    }
  }
  assert.ok(checked > 1000);
});

/** A raw socket that records its events and how it closed. */
function rawSocket(u: TestUser) {
  const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/ws`, { headers: { cookie: s.get(u)!.cookie, origin: p.url } });
  const bodies: string[] = [];
  // Fails (rather than hangs) when the server never closes it.
  const closed = new Promise<number>((r, reject) => {
    const t = setTimeout(() => reject(new Error('socket was not closed')), 5000);
    ws.once('close', (code) => (clearTimeout(t), r(code)));
  });
  const ready = new Promise<void>((resolve) => ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as { type: string; message?: { body: string } };
    if (m.type === 'hello') ws.send(JSON.stringify({ type: 'messaging.subscribe' }));
    else if (m.type === 'messaging.subscribed') resolve();
    else if (m.type === 'messaging.event') bodies.push(m.message!.body);
  }));
  return { ws, bodies, closed, ready };
}

test('losing access closes the socket at once; reconnected, it gets only what the new Actor may read (runs last: it removes a3 and signs a2 out)', async () => {
  const bilateral = await channel(a1, { kind: 'bilateral', name: 'fan-out revocation', defaultTlp: 'amber', otherOrgId: b1.orgId });
  const before = rawSocket(a3);
  const witness = rawSocket(b1);
  await Promise.all([before.ready, witness.ready]);
  assert.equal((await api(a1)(`/api/messaging/channels/${bilateral}/messages`, { body: { body: 'rv-1 while a3 is in A' } })).status, 201);
  while (!before.bodies.includes('rv-1 while a3 is in A')) await settle(20);

  // a3 leaves organisation A: the socket that was opened as a member of A is closed.
  assert.equal((await api(a1)(`/api/orgs/${a1.orgId}/members/${a3.id}`, { method: 'DELETE' })).status, 204);
  assert.equal(await before.closed, WS_CLOSE_ACCESS_CHANGED);
  const after = rawSocket(a3); // same session, resolved afresh: no longer in A
  await after.ready;
  assert.equal((await api(a1)(`/api/messaging/channels/${bilateral}/messages`, { body: { body: 'rv-2 after a3 left A' } })).status, 201);
  while (!witness.bodies.includes('rv-2 after a3 left A')) await settle(20);
  await settle();
  assert.deepEqual(after.bodies, [], 'nothing of A’s bilateral channel after leaving A');
  assert.ok(!before.bodies.includes('rv-2 after a3 left A'));

  // Logout: the socket of that session is closed, and the session cannot reconnect.
  const a2Socket = rawSocket(a2);
  await a2Socket.ready;
  assert.equal((await api(a2)('/api/auth/logout', { method: 'POST' })).status, 204);
  assert.equal(await a2Socket.closed, WS_CLOSE_ACCESS_CHANGED);
  assert.equal(await rawSocket(a2).closed, WS_CLOSE_UNAUTHENTICATED);
  for (const x of [after, witness]) x.ws.close();
  await Promise.all([after.closed, witness.closed]);
});
