/**
 * Messaging end to end over real HTTP, WebSocket and SMTP: the leak matrix for a bilateral channel
 * (a third organisation never gets its messages by WebSocket, history, search, digest, email or
 * attachment URL), TLP:RED reaching only its named recipients, Markdown safety, TLP floor, edits,
 * tombstones, and urgent alerts encrypted to the recipient's key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as openpgp from 'openpgp';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { pgpKeys, teamContacts } from '../directory/tables.ts';
import { parsePublicKey } from '../directory/pgp.ts';
import { runDigests } from './digest.job.ts';
import { connectMessaging, settle, type WsClient } from './test-support.ts';

let p: TestPlatform;
let sink: SmtpSink;
let a1: TestUser, a2: TestUser, b1: TestUser, c1: TestUser;
let sa1: TestSession, sa2: TestSession, sb1: TestSession, sc1: TestSession;
let bKey: { privateKey: string; publicKey: string };
const api = (s: TestSession) => apiClient(p.url, s);

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', SMTP_URL: sink.url, MESSAGING_ATTACHMENT_MAX_BYTES: '2048' });
  const db = p.database.db;
  a1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  a2 = await createTestUser(db, { org: { orgId: a1.orgId, role: 'member' } });
  b1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  [sa1, sa2, sb1, sc1] = (await Promise.all([a1, a2, b1, c1].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession, TestSession, TestSession];
  // 24/7 contacts in the directory: B's has an OpenPGP key, A's has none, C's exists too.
  const k = await openpgp.generateKey({ userIDs: [{ name: 'B duty', email: 'duty@b.example' }], format: 'armored' });
  bKey = { privateKey: k.privateKey, publicKey: k.publicKey };
  const contacts = [
    { orgId: a1.orgId!, email: 'duty@a.example' }, { orgId: b1.orgId!, email: 'duty@b.example' }, { orgId: c1.orgId!, email: 'duty@c.example' },
  ].map((c) => ({ id: newId(), kind: 'role', name: '24/7 duty', function: '24/7 duty officer', ...c }));
  await db.insert(teamContacts).values(contacts);
  const parsed = await parsePublicKey(bKey.publicKey);
  await db.insert(pgpKeys).values({
    id: newId(), orgId: b1.orgId!, contactId: contacts[1]!.id, fingerprint: parsed.fingerprint, userIds: parsed.userIds,
    algorithm: parsed.algorithm, bits: parsed.bits ?? null, keyCreatedAt: parsed.createdAt, expiresAt: parsed.expiresAt ?? null, armored: bKey.publicKey,
  });
});
after(async () => {
  await p.close();
  await sink.close();
});

async function bilateral(name = 'A–B incident'): Promise<string> {
  const r = await api(sa1)('/api/messaging/channels', { body: { kind: 'bilateral', name, defaultTlp: 'amber', otherOrgId: b1.orgId } });
  assert.equal(r.status, 201, await r.clone().text());
  return (await json(r)).id;
}

test('a third organisation never gets a bilateral channel’s message by any path', async () => {
  const chId = await bilateral();
  // C follows a network channel (so it is a digest candidate) but is not in the bilateral audience.
  const net = await json(await api(sc1)('/api/messaging/channels', { body: { kind: 'network', name: 'all teams', defaultTlp: 'green' } }));
  const [wa, wb, wc] = (await Promise.all([sa2, sb1, sc1].map((s) => connectMessaging(p.url, s)))) as [WsClient, WsClient, WsClient];
  await Promise.all([wa, wb, wc].map((w) => w.subscribed));

  const up = await fetch(`${p.url}/api/messaging/attachments?filename=iocs.txt`, {
    method: 'POST', headers: { cookie: sa1.cookie, 'x-csrf-token': sa1.csrfToken, 'content-type': 'application/octet-stream' },
    body: '<html><script>alert(1)</script>evil.example 203.0.113.7',
  });
  assert.equal(up.status, 201);
  const att = await json(up);
  assert.equal(att.contentType, 'text/plain; charset=utf-8', 'sniffed from the bytes, not from the name');
  const post = await api(sa1)(`/api/messaging/channels/${chId}/messages`, {
    body: { body: 'Ransomware **wave** hitting hospitals, indicators attached', attachmentIds: [att.id] },
  });
  assert.equal(post.status, 201);
  const msg = await json(post);
  assert.equal(msg.tlp, 'amber');
  await Promise.all([wa, wb].map((w) => w.waitFor((e) => e.some((x) => x.message.id === msg.id))));
  await settle();
  assert.equal(wc.events.filter((e) => e.message.channelId === chId).length, 0, 'WebSocket: nothing for the third organisation');

  // History, search, attachment, channel list.
  assert.equal((await api(sc1)(`/api/messaging/channels/${chId}/messages`)).status, 404);
  assert.equal((await json(await api(sb1)(`/api/messaging/channels/${chId}/messages`))).items[0].id, msg.id);
  assert.equal((await json(await api(sc1)('/api/messaging/search?q=hospitals'))).items.length, 0);
  assert.equal((await json(await api(sb1)('/api/messaging/search?q=hospital'))).items[0].id, msg.id, 'stemmed English search');
  assert.ok(!(await json(await api(sc1)('/api/messaging/channels'))).items.some((c: { id: string }) => c.id === chId));
  assert.equal((await api(sc1)(`/api/messaging/attachments/${att.id}`)).status, 404);
  const dl = await api(sb1)(`/api/messaging/attachments/${att.id}`);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
  assert.match(dl.headers.get('content-disposition') ?? '', /^attachment; filename="iocs.txt"/);
  assert.equal(dl.headers.get('content-type'), 'text/plain; charset=utf-8');
  // C cannot join, post, read edits or urgent-mark it either.
  assert.equal((await api(sc1)(`/api/messaging/channels/${chId}/join`, { method: 'POST' })).status, 404);
  assert.equal((await api(sc1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'hi' } })).status, 404);
  assert.equal((await api(sc1)(`/api/messaging/messages/${msg.id}/edits`)).status, 404);
  assert.equal((await api(sc1)(`/api/messaging/messages/${msg.id}/urgent`, { method: 'POST' })).status, 404);

  // Urgent alert: A and B's 24/7 contacts; never C's. AMBER → encrypted for B (key), notice for A.
  const before = sink.messages.length;
  const u = await api(sa1)(`/api/messaging/messages/${msg.id}/urgent`, { method: 'POST' });
  assert.equal(u.status, 200, await u.clone().text());
  assert.equal((await json(u)).alerted, 2);
  const mails = (await sink.waitFor(before + 2)).slice(before);
  const to = (m: (typeof mails)[number]) => m.envelope.to.join(',');
  assert.deepEqual(mails.map(to).sort(), ['duty@a.example', 'duty@b.example']);
  const forA = mails.find((m) => to(m) === 'duty@a.example')!;
  assert.ok(!forA.email.text!.includes('Ransomware'), 'no key: a notice, not the AMBER text');
  assert.match(forA.email.text!, /\/messages\//);
  const forB = mails.find((m) => to(m) === 'duty@b.example')!;
  assert.ok(!forB.raw.toString().includes('Ransomware'), 'the AMBER text never travels in clear');
  const decrypted = await openpgp.decrypt({
    message: await openpgp.readMessage({ armoredMessage: forB.email.text!.trim() }),
    decryptionKeys: await openpgp.readPrivateKey({ armoredKey: bKey.privateKey }),
  });
  assert.match(String(decrypted.data), /Ransomware \*\*wave\*\* hitting hospitals/);
  assert.match(String(decrypted.data), /TLP:AMBER/);

  // Digest: B (offline, unread) gets it without the AMBER text; C gets nothing about it.
  for (const w of [wa, wb, wc]) await w.close();
  await api(sb1)(`/api/messaging/channels/${chId}/follow`, { method: 'PUT', body: { follow: true } });
  await api(sc1)(`/api/messaging/channels/${net.id}/messages`, { body: { body: 'green network note' } });
  const beforeDigest = sink.messages.length;
  const queued = await runDigests(p.database.db, p.config);
  assert.ok(queued >= 1);
  await sink.waitFor(beforeDigest + queued);
  const digests = sink.messages.slice(beforeDigest);
  const dB = digests.find((m) => m.envelope.to.includes(b1.email.toLowerCase()) || m.envelope.to.includes(b1.email));
  assert.ok(dB, 'B got a digest');
  assert.match(dB.email.text!, /A–B incident/);
  assert.ok(!dB.email.text!.includes('Ransomware'), 'AMBER text is not in the digest');
  assert.ok(!digests.some((m) => m.envelope.to.includes(c1.email) && /A–B incident|Ransomware/.test(m.email.text ?? '')));
  assert.equal(await runDigests(p.database.db, p.config), 0, 'at most one digest per period');
});

test('TLP:RED reaches only its named recipients', async () => {
  const chId = await bilateral('red test');
  const ws = await Promise.all([sa2, sb1, sc1].map((s) => connectMessaging(p.url, s)));
  await Promise.all(ws.map((w) => w.subscribed));
  // A recipient outside the channel's audience is refused.
  const bad = await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'x', tlp: 'red', recipientUserIds: [c1.id] } });
  assert.equal(bad.status, 400);
  assert.equal((await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'x', tlp: 'red' } })).status, 400);
  const r = await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'red secret kingfisher', tlp: 'red', recipientUserIds: [b1.id] } });
  assert.equal(r.status, 201);
  const m = await json(r);
  await ws[1]!.waitFor((e) => e.some((x) => x.message.id === m.id));
  await settle();
  assert.ok(!ws[0]!.events.some((x) => x.message.id === m.id), 'not even the author’s own colleague');
  assert.ok(!ws[2]!.events.some((x) => x.message.id === m.id));
  for (const [s, n] of [[sa2, 0], [sb1, 1], [sc1, 0], [sa1, 1]] as const) {
    assert.equal((await json(await api(s)('/api/messaging/search?q=kingfisher'))).items.length, n);
  }
  const hist = await json(await api(sa2)(`/api/messaging/channels/${chId}/messages`));
  assert.ok(!hist.items.some((x: { id: string }) => x.id === m.id));
  // Urgent RED: a notice to the named recipient only, no text.
  const before = sink.messages.length;
  const u = await json(await api(sa1)(`/api/messaging/messages/${m.id}/urgent`, { method: 'POST' }));
  assert.equal(u.alerted, 1);
  const [mail] = (await sink.waitFor(before + 1)).slice(before);
  assert.deepEqual(mail!.envelope.to, [b1.email]);
  assert.ok(!mail!.raw.toString().includes('kingfisher'));
  for (const w of ws) await w.close();
});

test('Markdown is sanitised, TLP never below the channel, edits keep history, deletions are tombstones', async () => {
  const chId = await bilateral('hygiene');
  const low = await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'x', tlp: 'green' } });
  assert.equal(low.status, 400);
  assert.equal((await json(low)).code, 'validation_failed');
  const r = await json(await api(sa1)(`/api/messaging/channels/${chId}/messages`, {
    body: { body: '<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://ok.example) ![i](https://t.example/p.png)' },
  }));
  assert.ok(!r.html.includes('<img'), r.html);
  assert.ok(!r.html.includes('href="javascript'), r.html);
  assert.match(r.html, /&lt;img/);
  assert.match(r.html, /<a href="https:\/\/ok.example" rel="noopener noreferrer nofollow" target="_blank">b<\/a>/);
  assert.equal((await api(sb1)(`/api/messaging/messages/${r.id}`, { method: 'PATCH', body: { body: 'not mine' } })).status, 403);
  const e = await api(sa1)(`/api/messaging/messages/${r.id}`, { method: 'PATCH', body: { body: 'second version' } });
  assert.equal(e.status, 200);
  assert.equal((await json(e)).edited, true);
  const edits = await json(await api(sb1)(`/api/messaging/messages/${r.id}/edits`));
  assert.equal(edits.items.length, 1);
  assert.match(edits.items[0].body, /onerror/);
  // Thread reply, then delete the root: tombstone stays, text gone, audit records it.
  const reply = await json(await api(sb1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'a reply', replyToId: r.id } }));
  assert.equal(reply.threadRootId, r.id);
  const thread = await json(await api(sa1)(`/api/messaging/channels/${chId}/messages?thread=${r.id}`));
  assert.equal(thread.items.length, 2);
  assert.equal((await api(sb1)(`/api/messaging/messages/${r.id}`, { method: 'DELETE' })).status, 403);
  assert.equal((await api(sa1)(`/api/messaging/messages/${r.id}`, { method: 'DELETE' })).status, 204);
  const h = await json(await api(sb1)(`/api/messaging/channels/${chId}/messages`));
  const tomb = h.items.find((x: { id: string }) => x.id === r.id);
  assert.equal(tomb.deleted, true);
  assert.equal(tomb.body, '');
  assert.equal(tomb.replyCount, 1);
  assert.equal((await json(await api(sb1)(`/api/messaging/messages/${r.id}/edits`))).items.length, 0);
  const audit = await p.database.db.execute(`SELECT action FROM audit_log WHERE target_id = '${r.id}' ORDER BY seq` as never);
  const actions = ((audit as unknown as { rows: { action: string }[] }).rows ?? []).map((x) => x.action);
  assert.deepEqual(actions, ['messaging.message.post', 'messaging.message.edit', 'messaging.message.delete']);
});

test('unread counts and read markers', async () => {
  const chId = await bilateral('unread');
  await api(sb1)(`/api/messaging/channels/${chId}/join`, { method: 'POST' });
  const m1 = await json(await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'one' } }));
  await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: 'two' } });
  const unread = async (s: TestSession) => (await json(await api(s)('/api/messaging/channels'))).items.find((c: { id: string }) => c.id === chId).unread;
  assert.equal(await unread(sb1), 2);
  assert.equal(await unread(sa1), 0, 'own messages are read');
  assert.equal((await api(sb1)(`/api/messaging/channels/${chId}/read`, { body: { seq: m1.seq } })).status, 204);
  assert.equal(await unread(sb1), 1);
});

test('reconnect replay: no gap, no duplicate, even with messages posted during the replay', async () => {
  const chId = await bilateral('replay');
  const first = await connectMessaging(p.url, sb1);
  await first.subscribed;
  for (let i = 0; i < 5; i++) await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: `m${i}` } });
  await first.waitFor((e) => e.filter((x) => x.message.channelId === chId).length === 5);
  const cursor = first.events[first.events.length - 1]!.pos;
  await first.close();
  for (let i = 5; i < 30; i++) await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: `m${i}` } });
  const second = await connectMessaging(p.url, sb1, cursor);
  // Keep posting while the replay runs.
  const writer = (async () => {
    for (let i = 30; i < 45; i++) await api(sa1)(`/api/messaging/channels/${chId}/messages`, { body: { body: `m${i}` } });
  })();
  await second.subscribed;
  await writer;
  await second.waitFor((e) => e.filter((x) => x.message.channelId === chId).length >= 40);
  await settle();
  const bodies = [...first.events, ...second.events].filter((x) => x.message.channelId === chId).map((x) => x.message.body);
  assert.deepEqual(bodies, Array.from({ length: 45 }, (_, i) => `m${i}`));
  const pos = second.events.map((e) => e.pos);
  assert.deepEqual(pos, [...pos].sort((x, y) => x - y));
  assert.equal(new Set(pos).size, pos.length);
  assert.ok(pos[0]! > cursor);
  await second.close();
});

test('bad input is a typed 400 and changes nothing', async () => {
  assert.equal((await api(sa1)('/api/messaging/channels', { body: { kind: 'bilateral', name: 'x', defaultTlp: 'red', otherOrgId: b1.orgId } })).status, 400);
  assert.equal((await api(sa1)('/api/messaging/channels', { body: { kind: 'bilateral', name: 'x', defaultTlp: 'green' } })).status, 400);
  const big = await fetch(`${p.url}/api/messaging/attachments?filename=big.bin`, {
    method: 'POST', headers: { cookie: sa1.cookie, 'x-csrf-token': sa1.csrfToken, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(4096, 1),
  });
  assert.equal(big.status, 413);
  assert.equal((await api(sa1)('/api/messaging/search?q=')).status, 400);
});
