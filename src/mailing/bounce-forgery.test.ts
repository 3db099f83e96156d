/**
 * Bounces cannot be forged: a DSN sent to the inbound endpoint counts only when its VERP token is
 * one we signed, and only for the address that message went to — never for the address a forger
 * writes in Final-Recipient (else anyone could silence any member's alerts). The endpoint answers
 * the same whether or not the address is a subscriber, so a bounce reveals no list membership.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, sessionFor } from '../auth/test-helpers.ts';
import { mailingBounces, mailingSuppressions } from './tables.ts';
import { addConfirmed, mailsTo, uniq, untilStatus } from './test-support.ts';

let p: TestPlatform;
let sink: SmtpSink;
let coord: ReturnType<typeof apiClient>;
let list: { id: string };
const DOMAIN = 'lists.hemisphere.test';

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({
    SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test', MAILING_DOMAIN: DOMAIN, INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1',
    REQUIRE_2FA_ROLES: '', MAILING_RATE_PER_SECOND: '500',
  });
  coord = apiClient(p.url, await sessionFor(p.database.db, (await createTestUser(p.database.db, { platformRole: 'coordinator' })).id));
  const r = await coord('/api/mailing/lists', { body: { slug: `bf-${Date.now().toString(36)}`, name: 'Bounce forgery', kind: 'public' } });
  assert.equal(r.status, 201, await r.clone().text());
  list = await json(r);
});
after(async () => {
  await p.close();
  await sink.close();
});

const dsn = (to: string, failed: string) => [
  `From: MAILER-DAEMON@mx.example.org`, `To: ${to}`, `Subject: Undelivered Mail Returned to Sender`,
  `MIME-Version: 1.0`, `Content-Type: multipart/report; report-type=delivery-status; boundary="B"`, ``,
  `--B`, `Content-Type: text/plain`, ``, `Could not be delivered.`, ``,
  `--B`, `Content-Type: message/delivery-status`, ``, `Reporting-MTA: dns; mx.example.org`, ``,
  `Final-Recipient: rfc822; ${failed}`, `Action: failed`, `Status: 5.1.1`, ``, `--B--`, ``,
].join('\r\n');

const suppressed = async (email: string) => (await p.database.db.select().from(mailingSuppressions).where(eq(mailingSuppressions.email, email))).length > 0;

test('a forged DSN suppresses nobody; a real one suppresses only the address its message went to', async () => {
  const victim = uniq('victim');
  const bounced = uniq('bounced');
  await addConfirmed(p.database.db, list.id, [{ email: victim, locale: 'en' }, { email: bounced, locale: 'en' }]);
  const r = await coord('/api/mailing/campaigns', { body: { listId: list.id, subject: { en: 'Hello' }, body: { en: 'x' } } });
  const id = (await json(r)).id;
  assert.equal((await coord(`/api/mailing/campaigns/${id}/send`, { body: {} })).status, 200);
  await untilStatus(p.database.db, id, 'sent');
  const [toBounced] = await mailsTo(sink, bounced);

  const mta = nodemailer.createTransport({ host: '127.0.0.1', port: p.app.mailing.inboundPort()!, secure: false, ignoreTLS: true });
  // Well-formed token, bad signature, naming a subscriber and a stranger: accepted alike (no membership oracle), nothing recorded.
  for (const target of [victim, uniq('stranger')]) {
    const forged = `bounces+1-0123456789ab@${DOMAIN}`;
    const info = await mta.sendMail({ envelope: { from: '', to: forged }, raw: dsn(forged, target) });
    assert.match(info.response, /^250 /);
    assert.equal(await suppressed(target), false, 'a forged bounce suppresses nobody');
  }
  // A real return path, but Final-Recipient names the victim: only the message's own address counts.
  const real = toBounced!.envelope.from!;
  await mta.sendMail({ envelope: { from: '', to: real }, raw: dsn(real, victim) });
  mta.close();
  assert.equal(await suppressed(victim), false, 'Final-Recipient cannot redirect a bounce to another address');
  assert.equal(await suppressed(bounced), true);
  const recorded = await p.database.db.select({ email: mailingBounces.email }).from(mailingBounces);
  assert.deepEqual(recorded.map((b) => b.email), [bounced]);
});
