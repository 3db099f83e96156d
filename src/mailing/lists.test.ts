/**
 * Public list over real SMTP (smtp-server as the receiving MTA, and as the bouncing peer's client):
 * double opt-in with expiry and reuse, RFC 2369/8058 headers, language per recipient, one-click
 * unsubscribe by a bare POST, a hard-bounce DSN to the inbound endpoint suppressing the address.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, login } from '../auth/test-helpers.ts';
import { rows } from '../db/client.ts';
import { mailingRecipients, mailingSubscribers, mailingSuppressions } from './tables.ts';
import { addConfirmed, header, mailsTo, subscriberStatus, uniq, untilStatus } from './test-support.ts';

let p: TestPlatform;
let sink: SmtpSink;
let coord: ReturnType<typeof apiClient>;
let list: { id: string; slug: string };
const anon = () => apiClient(p.url);
const DOMAIN = 'lists.hemisphere.test';

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({
    SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test', MAILING_DOMAIN: DOMAIN, INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1',
    REQUIRE_2FA_ROLES: '', MAILING_RATE_PER_SECOND: '500',
  });
  const c = await createTestUser(p.database.db, { platformRole: 'coordinator' });
  coord = apiClient(p.url, await login(p.url, c));
  const r = await coord('/api/mailing/lists', { body: { slug: `news-${Date.now().toString(36)}`, name: 'Hemisphere News', kind: 'public', topics: ['events', 'reports'] } });
  assert.equal(r.status, 201, await r.clone().text());
  list = await json(r);
});
after(async () => {
  await p.close();
  await sink.close();
});

const tokenIn = (text: string, path: string) => new URL(new RegExp(`http://hemisphere\\.test${path}\\?token=\\S+`).exec(text)![0]).searchParams.get('token')!;

async function sendCampaign(body: Record<string, unknown>) {
  const r = await coord('/api/mailing/campaigns', { body: { listId: list.id, ...body } });
  assert.equal(r.status, 201, await r.clone().text());
  const c = await json(r);
  const s = await coord(`/api/mailing/campaigns/${c.id}/send`, { body: {} });
  assert.equal(s.status, 200, await s.clone().text());
  await untilStatus(p.database.db, c.id, 'sent');
  return c.id as string;
}

test('double opt-in: confirmation in the subscriber language, single use, expiring; nothing sent before confirming', async () => {
  const email = uniq('optin');
  const r = await anon()(`/api/mailing/lists/${list.slug}/subscribe`, { body: { email, locale: 'es', topics: ['events'] } });
  assert.equal(r.status, 202, await r.clone().text());
  const [mail] = await mailsTo(sink, email);
  assert.match(mail!.email.subject!, /Confirme su suscripción a Hemisphere News/);
  assert.equal(header(mail!, 'content-language'), 'es');
  const token = tokenIn(mail!.email.text!, '/lists/confirm');
  const [row] = await p.database.db.select().from(mailingSubscribers).where(eq(mailingSubscribers.email, email));
  assert.equal(row!.status, 'pending');
  assert.notEqual(row!.confirmTokenHash, token, 'only the hash is stored');
  assert.equal(row!.confirmTokenHash!.length, 64);

  // Asking again at once sends nothing more (no mail-bombing through the form); the first link still works.
  assert.equal((await anon()(`/api/mailing/lists/${list.slug}/subscribe`, { body: { email, locale: 'es' } })).status, 202);
  const [again] = await p.database.db.select().from(mailingSubscribers).where(eq(mailingSubscribers.email, email));
  assert.equal(again!.confirmTokenHash, row!.confirmTokenHash, 'no new link was issued');
  const queued = await rows<{ n: number }>(p.database.db, sql`SELECT count(*)::int AS n FROM outbox_events WHERE topic = 'mail.send' AND payload->>'to' = ${email}`);
  assert.equal(queued[0]!.n, 1);

  const ok = await anon()('/api/mailing/confirm', { body: { token } });
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.equal((await json(ok)).status, 'confirmed');
  assert.equal((await anon()('/api/mailing/confirm', { body: { token } })).status, 410, 'a used link is gone');

  // Expiry: a second address whose link has run out.
  const late = uniq('late');
  await anon()(`/api/mailing/lists/${list.slug}/subscribe`, { body: { email: late, locale: 'fr' } });
  const [lateMail] = await mailsTo(sink, late);
  assert.match(lateMail!.email.subject!, /Confirmez votre abonnement/);
  await p.database.db.update(mailingSubscribers).set({ confirmExpiresAt: new Date(Date.now() - 1000) }).where(eq(mailingSubscribers.email, late));
  assert.equal((await anon()('/api/mailing/confirm', { body: { token: tokenIn(lateMail!.email.text!, '/lists/confirm') } })).status, 410);
  assert.equal(await subscriberStatus(p.database.db, list.id, late), 'pending');

  // A campaign reaches the confirmed address, never the pending one.
  const id = await sendCampaign({ subject: { en: 'Hello', es: 'Hola' }, body: { en: 'Body', es: 'Cuerpo' } });
  const got = await mailsTo(sink, email, 2);
  assert.equal(got[1]!.email.subject, 'Hola');
  const sentTo = await p.database.db.select({ email: mailingRecipients.email }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, id));
  assert.ok(!sentTo.some((x) => x.email === late));
});

test('bad input changes nothing: invalid address, unknown topic, unknown list, forged token', async () => {
  const before = await rows<{ n: number }>(p.database.db, sql`SELECT count(*)::int AS n FROM mailing_subscribers`);
  assert.equal((await anon()(`/api/mailing/lists/${list.slug}/subscribe`, { body: { email: 'not-an-address', locale: 'en' } })).status, 400);
  assert.equal((await anon()(`/api/mailing/lists/${list.slug}/subscribe`, { body: { email: uniq('t'), locale: 'en', topics: ['nope'] } })).status, 400);
  assert.equal((await anon()('/api/mailing/lists/no-such-list/subscribe', { body: { email: uniq('t'), locale: 'en' } })).status, 404);
  const after = await rows<{ n: number }>(p.database.db, sql`SELECT count(*)::int AS n FROM mailing_subscribers`);
  assert.equal(after[0]!.n, before[0]!.n);
  const forged = await fetch(`${p.url}/api/mailing/one-click?token=AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(forged.status, 410);
  assert.equal((await coord('/api/mailing/campaigns', { body: { listId: list.id, subject: { en: 'x' }, body: { en: 'y' }, tlp: 'green' } })).status, 400, 'GREEN never goes to the public list');
  assert.equal((await anon()('/api/mailing/campaigns')).status, 401);
});

test('list headers (List-Id, List-Unsubscribe mailto+https, One-Click), VERP return path, language per recipient; one-click by a bare POST', async () => {
  const people = [{ email: uniq('en'), locale: 'en' }, { email: uniq('es'), locale: 'es' }, { email: uniq('pt'), locale: 'pt' }, { email: uniq('fr'), locale: 'fr' }];
  await addConfirmed(p.database.db, list.id, people);
  const subject = { en: 'New report', es: 'Nuevo informe', pt: 'Novo relatório', fr: 'Nouveau rapport' };
  const body = { en: 'Read it.', es: 'Léalo.', pt: 'Leia-o.', fr: 'Lisez-le.' };
  await sendCampaign({ subject, body, topic: 'reports' });
  for (const person of people) {
    const [m] = await mailsTo(sink, person.email);
    const l = person.locale as keyof typeof subject;
    assert.equal(m!.email.subject, subject[l]);
    assert.equal(header(m!, 'content-language'), l);
    assert.match(m!.email.text!, new RegExp(body[l].replace('.', '\\.')));
    assert.match(header(m!, 'list-id')!, new RegExp(`<${list.slug}\\.${DOMAIN.replace(/\./g, '\\.')}>$`));
    assert.equal(header(m!, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    const lu = header(m!, 'list-unsubscribe')!;
    assert.match(lu, new RegExp(`<mailto:unsubscribe\\+[0-9a-z]+-[0-9a-f]{12}@${DOMAIN.replace(/\./g, '\\.')}\\?subject=unsubscribe>`));
    assert.match(lu, /<http:\/\/hemisphere\.test\/api\/mailing\/one-click\?token=[A-Za-z0-9_.-]+>/);
    assert.match(m!.envelope.from!, new RegExp(`^bounces\\+[0-9a-z]+-[0-9a-f]{12}@${DOMAIN.replace(/\./g, '\\.')}$`));
  }
  // Each recipient's link is their own.
  const links = await Promise.all(people.map(async (x) => /<(http:[^>]+)>/.exec(header((await mailsTo(sink, x.email))[0]!, 'list-unsubscribe')!)![1]!));
  assert.equal(new Set(links).size, people.length);

  // RFC 8058: a bare POST, no cookie, no CSRF header, form-encoded body.
  const target = links[1]!.replace('http://hemisphere.test', p.url);
  const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(await subscriberStatus(p.database.db, list.id, people[1]!.email), 'unsubscribed');
  const again = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  assert.equal(again.status, 200, 'idempotent');
  const wrongBody = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'foo=bar' });
  assert.equal(wrongBody.status, 400);

  const id2 = await sendCampaign({ subject, body });
  await mailsTo(sink, people[0]!.email, 2);
  const reached = await p.database.db.select({ email: mailingRecipients.email }).from(mailingRecipients).where(eq(mailingRecipients.campaignId, id2));
  assert.ok(!reached.some((x) => x.email === people[1]!.email), 'the unsubscribed address is not sent to');
  assert.equal(sink.messages.filter((m) => m.envelope.to.includes(people[1]!.email)).length, 1);
});

function dsn(verpAddress: string, failed: string, status: string, action = 'failed') {
  return [
    `From: MAILER-DAEMON@mx.example.org`, `To: ${verpAddress}`, `Subject: Undelivered Mail Returned to Sender`,
    `MIME-Version: 1.0`, `Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"`, ``,
    `--BOUND`, `Content-Type: text/plain`, ``, `Your message could not be delivered.`, ``,
    `--BOUND`, `Content-Type: message/delivery-status`, ``,
    `Reporting-MTA: dns; mx.example.org`, `Arrival-Date: ${new Date().toUTCString()}`, ``,
    `Final-Recipient: rfc822; ${failed}`, `Action: ${action}`, `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 5.1.1 <${failed}>: Recipient address rejected: User unknown`, ``,
    `--BOUND`, `Content-Type: text/rfc822-headers`, ``, `To: ${failed}`, `Subject: New report`, ``, `--BOUND--`, ``,
  ].join('\r\n');
}

test('a DSN for a hard bounce, sent over SMTP to the inbound endpoint, suppresses the address; soft bounces only after the limit', async () => {
  const hard = uniq('hard');
  const soft = uniq('soft');
  await addConfirmed(p.database.db, list.id, [{ email: hard, locale: 'en' }, { email: soft, locale: 'en' }]);
  await sendCampaign({ subject: { en: 'Bounce me' }, body: { en: 'x' } });
  const [toHard] = await mailsTo(sink, hard);
  const [toSoft] = await mailsTo(sink, soft);
  const port = p.app.mailing.inboundPort()!;
  assert.ok(port > 0);
  const mta = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  await mta.sendMail({ envelope: { from: '', to: toHard!.envelope.from! }, raw: dsn(toHard!.envelope.from!, hard, '5.1.1') });
  const [sup] = await p.database.db.select().from(mailingSuppressions).where(eq(mailingSuppressions.email, hard));
  assert.equal(sup?.reason, 'hard_bounce');
  // Three soft bounces (default limit 3) before the soft address is suppressed.
  for (let i = 0; i < 3; i++) {
    const before = await p.database.db.select().from(mailingSuppressions).where(eq(mailingSuppressions.email, soft));
    assert.equal(before.length, 0, `not suppressed after ${i} soft bounce(s)`);
    await mta.sendMail({ envelope: { from: '', to: toSoft!.envelope.from! }, raw: dsn(toSoft!.envelope.from!, soft, '4.2.2', 'delayed') });
  }
  const [softSup] = await p.database.db.select().from(mailingSuppressions).where(eq(mailingSuppressions.email, soft));
  assert.equal(softSup?.reason, 'soft_bounce');
  // Mail to any other address at the endpoint is refused at RCPT.
  await assert.rejects(mta.sendMail({ envelope: { from: '', to: `postmaster@${DOMAIN}` }, raw: 'Subject: x\r\n\r\nx' }));
  mta.close();

  const id = await sendCampaign({ subject: { en: 'After bounce' }, body: { en: 'y' } });
  const [r] = await p.database.db.select({ status: mailingRecipients.status }).from(mailingRecipients).where(and(eq(mailingRecipients.campaignId, id), eq(mailingRecipients.email, hard)));
  assert.equal(r!.status, 'suppressed');
  assert.equal(sink.messages.filter((m) => m.envelope.to.includes(hard)).length, 1, 'no second message to the bounced address');
  const listed = await json(await coord('/api/mailing/suppressions'));
  assert.ok(listed.items.some((s: { email: string }) => s.email === hard));
});
