/**
 * The public list journey in a real browser: subscribe in Spanish on the list page, confirm from
 * the emailed link, receive a campaign, open the preferences link from the message and unsubscribe;
 * the archive lists the announcement. axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, createTestUser, login } from '../src/auth/test-helpers.ts';
import { startSmtpSink, type SmtpSink } from '../test/smtp.ts';
import { checkScreen, startPortal, type Portal } from './support.ts';

let portal: Portal;
let sink: SmtpSink;
const email = `reader-${Date.now().toString(36)}@example.org`;

before(async () => {
  sink = await startSmtpSink();
  portal = await startPortal({ SMTP_URL: sink.url, REQUIRE_2FA_ROLES: '' });
});
after(async () => {
  await portal?.close();
  await sink?.close();
});

const linkIn = (text: string, path: string) => `${portal.base}${new RegExp(`${path}\\?token=\\S+`).exec(text)![0]}`;
async function mailTo(n: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const got = sink.messages.filter((m) => m.envelope.to.includes(email));
    if (got.length >= n) return got[n - 1]!;
    if (Date.now() > deadline) throw new Error(`no mail #${n} to ${email}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('subscribe, confirm, receive, unsubscribe from the preferences page; the archive shows the announcement', async () => {
  const db = portal.platform.database.db;
  const coord = apiClient(portal.base, await login(portal.base, await createTestUser(db, { platformRole: 'coordinator' })));
  const list = await (await coord('/api/mailing/lists', { body: { slug: 'news', name: 'Network news', kind: 'public', topics: ['events'] } })).json() as { id: string };
  const { page } = await portal.newPage();

  await page.goto(`${portal.base}/lists/news`);
  await checkScreen(page, 'mailing-subscribe');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Language of the messages').selectOption('es');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.getByText('Check your inbox').waitFor();

  const confirm = await mailTo(1);
  assert.match(confirm.email.subject!, /Confirme su suscripción/);
  await page.goto(linkIn(confirm.email.text!, '/lists/confirm'));
  await checkScreen(page, 'mailing-confirm');
  await page.getByRole('button', { name: 'Confirm subscription' }).click();
  await page.getByText('You are subscribed to Network news.').waitFor();

  const c = await (await coord('/api/mailing/campaigns', { body: { listId: list.id, subject: { en: 'Workshop', es: 'Taller' }, body: { en: 'Join us.', es: 'Acompáñenos.' } } })).json() as { id: string };
  assert.equal((await coord(`/api/mailing/campaigns/${c.id}/send`, { body: {} })).status, 200);
  const news = await mailTo(2);
  assert.equal(news.email.subject, 'Taller');

  await page.goto(linkIn(news.email.text!, '/lists/preferences'));
  await page.getByText(`${email} is subscribed.`).waitFor();
  await checkScreen(page, 'mailing-preferences');
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await page.getByText(`${email} is not subscribed`).waitFor();

  await page.goto(`${portal.base}/lists/archive`);
  await page.getByRole('link', { name: 'Workshop' }).waitFor();
  await checkScreen(page, 'mailing-archive');
});

test('a coordinator composes a campaign in two languages, previews it and sends it from the campaigns screen', async () => {
  const db = portal.platform.database.db;
  const u = await createTestUser(db, { platformRole: 'coordinator' });
  const subscriber = `fr-${Date.now().toString(36)}@example.org`;
  const coord = apiClient(portal.base, await login(portal.base, u));
  const list = await (await coord('/api/mailing/lists', { body: { slug: 'updates', name: 'Program updates', kind: 'public' } })).json() as { id: string };
  const { addConfirmed } = await import('../src/mailing/test-support.ts');
  await addConfirmed(db, list.id, [{ email: subscriber, locale: 'fr' }]);
  const { page } = await portal.newPage();
  await page.goto(`${portal.base}/login`);
  await page.getByLabel('Email', { exact: true }).fill(u.email);
  await page.getByLabel('Password', { exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('link', { name: 'Mailing' }).click();
  await page.getByRole('heading', { name: 'Mailing lists and campaigns' }).waitFor();
  await checkScreen(page, 'mailing-campaigns');

  const compose = page.getByRole('group', { name: 'Français' });
  await page.getByRole('combobox', { name: /^List/ }).selectOption({ label: 'Program updates' });
  await page.getByRole('group', { name: 'English' }).getByLabel('Subject').fill('Call for trainers');
  await page.getByRole('group', { name: 'English' }).getByLabel('Message').fill('Apply by Friday.');
  await compose.getByLabel('Subject').fill('Appel aux formateurs');
  await compose.getByLabel('Message').fill('Candidatez avant vendredi.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  const row = page.getByRole('listitem').filter({ hasText: 'Call for trainers' });
  await row.getByText('draft').waitFor();
  await row.getByRole('button', { name: 'Preview' }).click();
  await row.getByText('List-Unsubscribe-Post: List-Unsubscribe=One-Click').waitFor();
  await row.getByRole('button', { name: 'Send now' }).click();
  const deadline = Date.now() + 20_000;
  while (!sink.messages.some((m) => m.envelope.to.includes(subscriber))) {
    if (Date.now() > deadline) throw new Error('campaign not delivered');
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(sink.messages.find((m) => m.envelope.to.includes(subscriber))!.email.subject, 'Appel aux formateurs');
});
