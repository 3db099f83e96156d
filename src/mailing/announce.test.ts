/**
 * Automatic announcement: a public TLP:CLEAR advisory's 'advisory.published' bus notice becomes one
 * campaign to the configured public list, per language, delivered over SMTP; a GREEN advisory is
 * never announced; a repeated notice does not announce twice. Also the mailto List-Unsubscribe
 * form (a message to unsubscribe+<verp>@ on the inbound endpoint), preview and test send.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp.ts';
import { apiClient, createTestUser, login } from '../auth/test-helpers.ts';
import { publish } from '../core/bus.ts';
import { newId } from '../core/ids.ts';
import { advisories, advisoryTexts } from '../advisories/tables.ts';
import { mailingCampaigns } from './tables.ts';
import { addConfirmed, header, mailsTo, subscriberStatus, uniq, untilStatus } from './test-support.ts';

let p: TestPlatform;
let sink: SmtpSink;
let coord: ReturnType<typeof apiClient>;
let list: { id: string; slug: string };
const SLUG = 'announcements';

before(async () => {
  sink = await startSmtpSink();
  p = await startTestPlatform({
    SMTP_URL: sink.url, PUBLIC_URL: 'http://hemisphere.test', MAILING_DOMAIN: 'lists.hemisphere.test', REQUIRE_2FA_ROLES: '',
    MAILING_AUTO_ANNOUNCE_LIST: SLUG, INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1',
  });
  coord = apiClient(p.url, await login(p.url, await createTestUser(p.database.db, { platformRole: 'coordinator' })));
  const r = await coord('/api/mailing/lists', { body: { slug: SLUG, name: 'Announcements', kind: 'public' } });
  list = await json(r);
});
after(async () => {
  await p.close();
  await sink.close();
});

async function advisory(tlp: 'clear' | 'green') {
  const id = newId();
  const db = p.database.db;
  await db.insert(advisories).values({
    id, trackingId: `HEMI-T-${id.slice(0, 6)}`, status: 'published', severity: 'high', sourceLang: 'en', vulnerabilities: [], affected: [], references: [],
    publishedRevision: 1, tlp, scope: tlp === 'clear' ? 'public' : 'network',
  });
  await db.insert(advisoryTexts).values([
    { advisoryId: id, lang: 'en', title: 'Router flaw', summary: 'Update the firmware.', body: '', basedOnRevision: 1 },
    { advisoryId: id, lang: 'es', title: 'Falla en enrutador', summary: 'Actualice el firmware.', body: '', basedOnRevision: 1 },
  ]);
  await publish(db, { topic: 'advisory.published', id });
  return id;
}

const campaignsOf = async (origin: string) => p.database.db.select().from(mailingCampaigns).where(eq(mailingCampaigns.origin, origin));

test('a public advisory is announced once, in each subscriber language; a GREEN one never', async () => {
  const en = uniq('ann-en');
  const es = uniq('ann-es');
  await addConfirmed(p.database.db, list.id, [{ email: en, locale: 'en' }, { email: es, locale: 'es' }]);
  const green = await advisory('green');
  const id = await advisory('clear');
  const [mEs] = await mailsTo(sink, es);
  assert.match(mEs!.email.subject!, /Falla en enrutador/);
  assert.match(mEs!.email.text!, /Actualice el firmware/);
  assert.match(mEs!.email.text!, /http:\/\/hemisphere\.test\/advisories\/HEMI-T-[0-9a-f]{6}\?lang=es/, 'links to the public advisory page in the language');
  const [mEn] = await mailsTo(sink, en);
  assert.match(mEn!.email.subject!, /Router flaw/);
  await publish(p.database.db, { topic: 'advisory.published', id }); // a repeated notice
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await campaignsOf(`advisory:${id}`)).length, 1);
  assert.equal((await campaignsOf(`advisory:${green}`)).length, 0, 'GREEN is never announced to the public');
  assert.equal(sink.messages.filter((m) => m.envelope.to.includes(en)).length, 1);
});

test('mailto unsubscribe through the inbound endpoint; preview and [TEST] send', async () => {
  const who = uniq('mailto');
  await addConfirmed(p.database.db, list.id, [{ email: who, locale: 'fr' }]);
  const c = await json(await coord('/api/mailing/campaigns', { body: { listId: list.id, subject: { en: 'Hello', fr: 'Bonjour' }, body: { en: 'Text', fr: 'Texte' } } }));
  const prev = await json(await coord(`/api/mailing/campaigns/${c.id}/preview?locale=fr`));
  assert.equal(prev.subject, 'Bonjour');
  assert.match(prev.raw, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
  const tester = uniq('tester');
  assert.equal((await coord(`/api/mailing/campaigns/${c.id}/test`, { body: { email: tester, locale: 'fr' } })).status, 202);
  const [t] = await mailsTo(sink, tester);
  assert.equal(t!.email.subject, '[TEST] Bonjour');
  const [cRow] = await p.database.db.select({ status: mailingCampaigns.status }).from(mailingCampaigns).where(eq(mailingCampaigns.id, c.id));
  assert.equal(cRow!.status, 'draft', 'a test send does not start the campaign');

  assert.equal((await coord(`/api/mailing/campaigns/${c.id}/send`, { body: {} })).status, 200);
  await untilStatus(p.database.db, c.id, 'sent');
  const [m] = await mailsTo(sink, who);
  const mailto = /<mailto:([^?>]+)\?subject=unsubscribe>/.exec(header(m!, 'list-unsubscribe')!)![1]!;
  const mua = nodemailer.createTransport({ host: '127.0.0.1', port: p.app.mailing.inboundPort()!, secure: false, ignoreTLS: true });
  await mua.sendMail({ from: who, to: mailto, subject: 'unsubscribe', text: 'unsubscribe' });
  mua.close();
  assert.equal(await subscriberStatus(p.database.db, list.id, who), 'unsubscribed');
});
