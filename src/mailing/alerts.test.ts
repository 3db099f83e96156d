/**
 * Member lists over real SMTP: recipients resolved from the directory at send time; GREEN alerts
 * OpenPGP/MIME-signed (verified with openpgp against the platform key); AMBER alerts encrypted to
 * members' directory keys, a notice with a link to those without; the language of each message is
 * the recipient's. Also the TLP leak matrix of the archive, and pause/resume/cancel of a campaign.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import PostalMime from 'postal-mime';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, login, type TestUser } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { sharingGroupMembers, sharingGroups } from '../core/tables.ts';
import { platformPublicKey } from '../crypto/platform-key.ts';
import { pgpKeys } from '../directory/tables.ts';
import { mailingRecipients } from './tables.ts';
import { addConfirmed, header, mailsTo, uniq, untilStatus } from './test-support.ts';

let p: TestPlatform;
let sink: SmtpSink;
let coord: ReturnType<typeof apiClient>;
const people: Record<string, TestUser> = {};
let groupId: string;

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({ SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test', MAILING_DOMAIN: 'lists.hemisphere.test', REQUIRE_2FA_ROLES: '', MAILING_RATE_PER_SECOND: '500' });
  const db = p.database.db;
  coord = apiClient(p.url, await login(p.url, await createTestUser(db, { platformRole: 'coordinator' })));
  people.leadPt = await createTestUser(db, { email: uniq('lead-pt'), locale: 'pt', org: { networkMember: true, role: 'org_admin', countryCode: 'BR' } });
  people.memberEn = await createTestUser(db, { email: uniq('member-en'), locale: 'en', org: { orgId: people.leadPt.orgId, role: 'member' } });
  people.otherFr = await createTestUser(db, { email: uniq('other-fr'), locale: 'fr', org: { networkMember: true, role: 'member', countryCode: 'HT' } });
  people.outsider = await createTestUser(db, { email: uniq('outsider'), locale: 'es', org: { networkMember: false, role: 'org_admin' } });
  groupId = newId();
  await db.insert(sharingGroups).values({ id: groupId, name: 'Energy sector' });
  await db.insert(sharingGroupMembers).values({ groupId, orgId: people.leadPt.orgId! });
});
after(async () => {
  await p.close();
  await sink.close();
});

async function makeList(kind: 'public' | 'members', audience?: unknown) {
  const r = await coord('/api/mailing/lists', { body: { slug: `l-${newId().slice(0, 8)}`, name: `List ${kind}`, kind, audience } });
  assert.equal(r.status, 201, await r.clone().text());
  return (await json(r)) as { id: string; slug: string };
}

async function send(listId: string, tlp: string, extra: Record<string, unknown> = {}) {
  const r = await coord('/api/mailing/campaigns', {
    body: { listId, tlp, subject: { en: `Alert ${tlp}`, pt: `Alerta ${tlp}`, fr: `Alerte ${tlp}` }, body: { en: 'Patch now.', pt: 'Atualize agora.', fr: 'Corrigez maintenant.' }, ...extra },
  });
  assert.equal(r.status, 201, await r.clone().text());
  const c = await json(r);
  assert.equal((await coord(`/api/mailing/campaigns/${c.id}/send`, { body: {} })).status, 200);
  return c.id as string;
}

const latest = (msgs: SinkMessage[], campaignId: string) => msgs.find((m) => m.messageId?.startsWith(`<${campaignId}.`));

function multipartParts(raw: string): { type: string; parts: string[] } {
  const type = /^Content-Type: (multipart\/[a-z]+)/mi.exec(raw)![1]!;
  const b = /boundary="([^"]+)"/.exec(raw)![1]!;
  const pieces = raw.split(`--${b}`);
  return { type, parts: pieces.slice(1, -1).map((x) => x.slice(2, -2)) };
}

test('member lists resolve from the directory; GREEN alerts are PGP/MIME-signed and verify with openpgp; language per recipient', async () => {
  const leads = await makeList('members', { type: 'national_csirt_leads' });
  const network = await makeList('members', { type: 'network_members' });
  const idLeads = await send(leads.id, 'clear');
  await untilStatus(p.database.db, idLeads, 'sent');
  const leadRecipients = (await p.database.db.select({ email: mailingRecipients.email }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, idLeads))).map((r) => r.email);
  assert.ok(leadRecipients.includes(people.leadPt!.email), 'the org_admin of a national CSIRT is a lead');
  assert.ok(!leadRecipients.includes(people.memberEn!.email), 'a plain member is not a lead');
  assert.ok(!leadRecipients.includes(people.outsider!.email), 'the admin of a non-CSIRT organisation is not a lead');

  const id = await send(network.id, 'green');
  await untilStatus(p.database.db, id, 'sent');
  const recipients = (await p.database.db.select({ email: mailingRecipients.email }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, id))).map((r) => r.email);
  for (const who of ['leadPt', 'memberEn', 'otherFr']) assert.ok(recipients.includes(people[who]!.email), `${who} is a network member`);
  assert.ok(!recipients.includes(people.outsider!.email), 'a non-network organisation is not on the network list');

  const { armored } = await platformPublicKey(p.database.db, p.config);
  const platformKey = await openpgp.readKey({ armoredKey: armored });
  for (const [who, lang, subject] of [['leadPt', 'pt', 'Alerta green'], ['memberEn', 'en', 'Alert green'], ['otherFr', 'fr', 'Alerte green']] as const) {
    const m = latest(await mailsTo(sink, people[who]!.email), id)!;
    assert.equal(m.email.subject, `[TLP:GREEN] ${subject}`);
    const raw = m.raw.toString('utf8');
    const { type, parts } = multipartParts(raw);
    assert.equal(type, 'multipart/signed');
    assert.match(raw, /protocol="application\/pgp-signature"/);
    const [signed, sigPart] = parts as [string, string];
    assert.match(signed, new RegExp(`Content-Language: ${lang}`));
    const armoredSig = /-----BEGIN PGP SIGNATURE-----[\s\S]+?-----END PGP SIGNATURE-----/.exec(sigPart)![0];
    const result = await openpgp.verify({ message: await openpgp.createMessage({ binary: Buffer.from(signed) }), signature: await openpgp.readSignature({ armoredSignature: armoredSig }), verificationKeys: platformKey });
    assert.equal(await result.signatures[0]!.verified, true);
    // A changed byte breaks it.
    const tampered = await openpgp.verify({ message: await openpgp.createMessage({ binary: Buffer.from(signed.replace('Content-Language', 'Content-language')) }), signature: await openpgp.readSignature({ armoredSignature: armoredSig }), verificationKeys: platformKey });
    await assert.rejects(tampered.signatures[0]!.verified);
    const micalg = /micalg=([a-z0-9-]+)/.exec(raw)![1];
    assert.match(micalg!, /^pgp-sha(256|384|512)$/);
  }
});

test('AMBER alerts: encrypted to members with a directory key (decrypts, signed by the platform), a notice with a link to those without', async () => {
  const db = p.database.db;
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Lead', email: people.leadPt!.email }], format: 'armored' });
  const pub = await openpgp.readKey({ armoredKey: publicKey });
  await db.insert(pgpKeys).values({
    id: newId(), orgId: people.leadPt!.orgId!, fingerprint: pub.getFingerprint().toUpperCase(), userIds: pub.getUserIDs(), algorithm: 'eddsa',
    keyCreatedAt: pub.getCreationTime(), armored: publicKey,
  });
  const group = await makeList('members', { type: 'sharing_group', groupId });
  const id = await send(group.id, 'amber');
  await untilStatus(db, id, 'sent');
  const recipients = await db.select({ email: mailingRecipients.email, variant: mailingRecipients.variant }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, id));
  assert.deepEqual(recipients.map((r) => r.email).sort(), [people.leadPt!.email, people.memberEn!.email].sort(), 'exactly the group organisation people');
  assert.equal(recipients.find((r) => r.email === people.leadPt!.email)!.variant, 'encrypted');
  assert.equal(recipients.find((r) => r.email === people.memberEn!.email)!.variant, 'notice');

  const enc = latest(await mailsTo(sink, people.leadPt!.email), id)!;
  const raw = enc.raw.toString('utf8');
  assert.equal(multipartParts(raw).type, 'multipart/encrypted');
  assert.ok(!raw.includes('Atualize agora'), 'no clear text on the wire');
  const armoredMsg = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(raw)![0];
  const { armored: platformArmored } = await platformPublicKey(db, p.config);
  const dec = await openpgp.decrypt({
    message: await openpgp.readMessage({ armoredMessage: armoredMsg }), decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    verificationKeys: await openpgp.readKey({ armoredKey: platformArmored }), expectSigned: true,
  });
  const inner = await PostalMime.parse(String(dec.data));
  assert.match(inner.text!, /Atualize agora\./, 'in the recipient language (pt)');
  assert.match(inner.text!, /TLP:AMBER/);

  const notice = latest(await mailsTo(sink, people.memberEn!.email), id)!;
  assert.match(notice.email.subject!, /\[TLP:AMBER\] New alert on .*: sign in to read it/);
  assert.ok(!notice.raw.toString('utf8').includes('Patch now'), 'the notice does not carry the alert');
  assert.match(notice.raw.toString('utf8'), /multipart\/signed/);
  assert.ok(header(notice, 'list-unsubscribe'));
});

test('archive leak matrix: anonymous and outsiders see public TLP:CLEAR only; network members GREEN; only the group sees its AMBER', async () => {
  const pub = await makeList('public');
  await addConfirmed(p.database.db, pub.id, [{ email: uniq('sub'), locale: 'en' }]);
  const network = await makeList('members', { type: 'network_members' });
  const group = await makeList('members', { type: 'sharing_group', groupId });
  const ids = { clear: await send(pub.id, 'clear'), green: await send(network.id, 'green'), amber: await send(group.id, 'amber') };
  for (const id of Object.values(ids)) await untilStatus(p.database.db, id, 'sent');
  const as = async (u?: TestUser) => (u ? apiClient(p.url, await login(p.url, u)) : apiClient(p.url));
  const expect: [string, TestUser | undefined, (keyof typeof ids)[]][] = [
    ['anonymous', undefined, ['clear']],
    ['outsider', people.outsider, ['clear']],
    ['network member outside the group', people.otherFr, ['clear', 'green']],
    ['group member', people.memberEn, ['clear', 'green', 'amber']],
  ];
  for (const [who, user, sees] of expect) {
    const client = await as(user);
    const items = (await json(await client('/api/mailing/archive'))).items as { id: string }[];
    for (const [label, id] of Object.entries(ids)) {
      assert.equal(items.some((i) => i.id === id), sees.includes(label as keyof typeof ids), `${who} / ${label} in the list`);
      const one = await client(`/api/mailing/archive/${id}`);
      assert.equal(one.status, sees.includes(label as keyof typeof ids) ? 200 : 404, `${who} / ${label} by id`);
    }
  }
  assert.equal((await (await as(people.memberEn))('/api/mailing/campaigns')).status, 403, 'campaign management is for coordinators');
});

test('pause stops delivery promptly, resume finishes it, cancel marks the rest cancelled', async () => {
  const db = p.database.db;
  const list = await makeList('public');
  const subs = Array.from({ length: 12 }, (_, i) => ({ email: uniq(`slow${i}`), locale: 'en' }));
  await addConfirmed(db, list.id, subs);
  const id = await send(list.id, 'clear', { ratePerSecond: 2 });
  const ofCampaign = () => sink.messages.filter((m) => m.messageId?.startsWith(`<${id}.`)).length;
  while (ofCampaign() < 1) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await coord(`/api/mailing/campaigns/${id}/pause`, { body: {} })).status, 200);
  await new Promise((r) => setTimeout(r, 1500)); // the tick in flight (at most one batch of 2) finishes
  const atPause = ofCampaign();
  assert.ok(atPause < 12);
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(ofCampaign(), atPause, 'nothing is sent while paused');
  assert.equal((await coord(`/api/mailing/campaigns/${id}/pause`, { body: {} })).status, 409, 'cannot pause twice');
  assert.equal((await coord(`/api/mailing/campaigns/${id}/resume`, { body: {} })).status, 200);
  await untilStatus(db, id, 'sent', 30_000);
  assert.equal(ofCampaign(), 12, 'every recipient exactly once');
  const c = await json(await coord(`/api/mailing/campaigns/${id}`));
  assert.deepEqual(c.counts, { sent: 12 });

  const id2 = await send(list.id, 'clear', { ratePerSecond: 1 });
  while (!sink.messages.some((m) => m.messageId?.startsWith(`<${id2}.`))) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await coord(`/api/mailing/campaigns/${id2}/cancel`, { body: {} })).status, 200);
  await new Promise((r) => setTimeout(r, 1500));
  const c2 = await json(await coord(`/api/mailing/campaigns/${id2}`));
  assert.equal(c2.status, 'cancelled');
  assert.ok(c2.counts.cancelled >= 8, JSON.stringify(c2.counts));
  assert.equal((c2.counts.sent ?? 0) + c2.counts.cancelled, 12);
  assert.equal((await coord(`/api/mailing/campaigns/${id2}/resume`, { body: {} })).status, 409);
});

test('a [TEST] copy of a GREEN or AMBER campaign goes only to someone on the platform who may read it, and an AMBER one is the notice, never the text', async () => {
  const network = await makeList('members', { type: 'network_members' });
  const group = await makeList('members', { type: 'sharing_group', groupId });
  const draft = async (listId: string, tlp: string) => (await json(await coord('/api/mailing/campaigns', {
    body: { listId, tlp, subject: { en: `Draft ${tlp}` }, body: { en: `Secret ${tlp} body.` } },
  }))).id as string;
  const green = await draft(network.id, 'green');
  const amber = await draft(group.id, 'amber');
  const stranger = uniq('stranger');
  const refused: [string, string][] = [[green, stranger], [green, people.outsider!.email], [amber, people.otherFr!.email], [amber, stranger]];
  for (const [id, email] of refused) {
    const r = await coord(`/api/mailing/campaigns/${id}/test`, { body: { email } });
    assert.equal(r.status, 400, `${email}: ${await r.clone().text()}`);
    const body = await json(r);
    assert.equal(body.code, 'validation_failed');
    assert.equal(body.issues[0].code, 'test_address_not_allowed');
  }
  assert.equal((await coord(`/api/mailing/campaigns/${green}/test`, { body: { email: people.otherFr!.email } })).status, 202, 'a network member may read GREEN');
  assert.equal((await coord(`/api/mailing/campaigns/${amber}/test`, { body: { email: people.memberEn!.email } })).status, 202, 'a member of the group may read its AMBER');
  const testCopy = async (email: string) => {
    for (let i = 0; i < 600; i++) {
      const m = sink.messages.find((x) => x.envelope.to.includes(email) && x.email.subject?.startsWith('[TEST]'));
      if (m) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no [TEST] copy to ${email}`);
  };
  assert.match((await testCopy(people.otherFr!.email)).email.subject!, /Draft green/);
  const a = await testCopy(people.memberEn!.email);
  assert.match(a.email.subject!, /TLP:AMBER/);
  assert.ok(!a.raw.toString('utf8').includes('Secret amber body'), 'an AMBER test copy is the notice, not the alert');
  assert.equal(sink.messages.filter((m) => m.envelope.to.includes(stranger) || m.envelope.to.includes(people.outsider!.email)).length, 0, 'nothing went to a refused address');
});
