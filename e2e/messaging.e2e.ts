/**
 * Messaging in a real browser: two people of two organisations, each in their own browser context,
 * chat live in a bilateral channel (each sees the other's messages appear without reload: posts,
 * thread replies, edits, tombstones, TLP:RED to a named person, an attachment); an unread badge
 * moves live; the socket of one is dropped (a real proxy in front of the real server) while the
 * other posts, and after the reconnect the message shows exactly once. Then one goes offline
 * (closes the context), the other posts, the digest job runs and the offline person's digest is in
 * the platform's outbox. A person of a third organisation sees nothing of the channel (list, page,
 * search, attachment URL, digest). axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { createTestUser, type TestUser } from '../src/auth/test-helpers.ts';
import { runDigests } from '../src/messaging/digest.job.ts';
import { checkScreen, inPage, startPortal, type Portal, signIn as signInAs } from './support.ts';

let portal: Portal;
let ana: TestUser;
let bruno: TestUser;
let carol: TestUser;
let anaPage: Page;
let brunoPage: Page;
let brunoContext: BrowserContext;
let channelId = '';
let attachmentUrl = '';
// Bruno's socket goes through this proxy so that the test can drop it and hold the reconnect.
let brunoSocket: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
let holdReconnect = false;

before(async () => {
  // 2FA is not the point here (portal.e2e.ts covers it): network members sign in with a password.
  portal = await startPortal({ REQUIRE_2FA_ROLES: '' });
  const db = portal.platform.database.db;
  ana = await createTestUser(db, { displayName: 'Ana Analyst', org: { networkMember: true, role: 'org_admin' } });
  bruno = await createTestUser(db, { displayName: 'Bruno Responder', org: { networkMember: true } });
  carol = await createTestUser(db, { displayName: 'Carol Outsider', org: { networkMember: true } });
});
after(async () => {
  await portal?.close();
});

const signIn = (page: Page, u: TestUser) => signInAs(portal, page, u);

const message = (page: Page, text: string) => page.locator('article', { hasText: text });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message to #jm-bilateral', exact: true });

/** Posts from the composer and waits until the message (as rendered: `shown`) is in the sender's list. */
async function send(page: Page, text: string, shown = text) {
  await composer(page).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await message(page, shown).waitFor();
}

/** Mail the platform wrote to its outbox (no SMTP in this run) for this address. */
async function mailsTo(email: string): Promise<{ subject: string; text: string }[]> {
  const dir = path.join(portal.platform.config.dataDir, 'outbox');
  const out: { subject: string; text: string }[] = [];
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter((x) => x.endsWith('.eml')) : []) {
    const mail = await PostalMime.parse(fs.readFileSync(path.join(dir, f)));
    if (mail.to?.some((a) => a.address?.toLowerCase() === email.toLowerCase())) out.push({ subject: mail.subject ?? '', text: mail.text ?? '' });
  }
  return out;
}

test('Ana opens a bilateral channel with Bruno’s organisation from the web app', async () => {
  ({ page: anaPage } = await portal.newPage());
  await signIn(anaPage, ana);
  await anaPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Messages' }).click();
  await anaPage.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
  await anaPage.getByText('No channel yet.').waitFor();
  await checkScreen(anaPage, '40-messages-empty');
  await anaPage.getByRole('button', { name: 'New channel' }).click();
  await anaPage.getByLabel('Kind of channel').selectOption('bilateral');
  await anaPage.getByLabel('Other organisation').selectOption(bruno.orgId!);
  await anaPage.getByLabel('Channel name', { exact: true }).fill('jm-bilateral');
  await anaPage.getByLabel('Topic', { exact: true }).fill('Phishing wave against shared banks');
  await anaPage.getByLabel(/^Default TLP/).selectOption('green');
  await checkScreen(anaPage, '41-messages-new-channel');
  await anaPage.getByRole('button', { name: 'Open the channel' }).click();
  await anaPage.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  channelId = anaPage.url().split('/').pop()!;
  await anaPage.getByRole('heading', { name: /# jm-bilateral/ }).waitFor();
  // The TLP selector never offers less than the channel's default.
  const options = await anaPage.getByLabel('Marking', { exact: true }).locator('option').allTextContents();
  assert.deepEqual(options, ['TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED']);
  await checkScreen(anaPage, '42-messages-channel');
});

test('Bruno joins, sets an hourly digest; an unread badge appears live and clears when he reads', async () => {
  ({ page: brunoPage, context: brunoContext } = await portal.newPage());
  await brunoPage.routeWebSocket(/\/api\/ws$/, (ws) => {
    if (holdReconnect) {
      ws.close({ code: 4000, reason: 'held by the test' });
      return;
    }
    brunoSocket = { page: ws, server: ws.connectToServer() };
  });
  await signIn(brunoPage, bruno);
  await brunoPage.goto(`${portal.base}/messages`);
  await brunoPage.getByRole('link', { name: /jm-bilateral/ }).click();
  await brunoPage.getByRole('button', { name: 'Join the channel' }).click();
  await brunoPage.getByLabel('Follow (email digest when I am away)').waitFor();
  await brunoPage.getByLabel('Email digest of followed channels').selectOption('hourly');
  await brunoPage.getByText('Saved.').waitFor();
  await brunoPage.locator('[data-connection="open"]').waitFor();

  await brunoPage.goto(`${portal.base}/messages`);
  await brunoPage.locator('[data-connection="open"]').waitFor();
  await brunoPage.getByText('Choose a channel on the left.').waitFor();
  await send(anaPage, 'We see a **phishing wave** against banks, kit hosted at login-bank.example.net', 'We see a phishing wave against banks');
  const badge = brunoPage.getByRole('link', { name: /jm-bilateral/ }).getByTestId('unread');
  await badge.filter({ hasText: '1' }).waitFor();
  await checkScreen(brunoPage, '43-messages-unread-badge');
  await brunoPage.getByRole('link', { name: /jm-bilateral/ }).click();
  await message(brunoPage, 'phishing wave').waitFor();
  // Rendered by the server from Markdown: bold is <strong>.
  assert.equal(await message(brunoPage, 'phishing wave').locator('strong').textContent(), 'phishing wave');
  await badge.waitFor({ state: 'detached' });
});

test('they chat live: posts, a thread reply, an edit, a tombstone, TLP:RED to Bruno and an attachment', async () => {
  await send(brunoPage, 'Seen here too, two banks affected');
  await message(anaPage, 'Seen here too').waitFor();
  assert.match(await anaPage.locator('p[aria-live="polite"]').textContent() ?? '', /New message from Bruno Responder/);

  await message(brunoPage, 'phishing wave').getByRole('button', { name: 'Reply in thread' }).click();
  await brunoPage.getByRole('heading', { name: 'Thread' }).waitFor();
  await brunoPage.getByLabel('Your reply', { exact: true }).fill('Sample attached to our ticket');
  await brunoPage.getByRole('button', { name: 'Send', exact: true }).click();
  await message(brunoPage, 'Sample attached to our ticket').waitFor();
  await checkScreen(brunoPage, '44-messages-thread');
  await message(anaPage, 'phishing wave').getByRole('button', { name: '1 reply' }).waitFor();

  await send(anaPage, 'Typo in this mesage');
  await message(brunoPage, 'Typo in this mesage').waitFor();
  await message(anaPage, 'Typo in this mesage').getByRole('button', { name: 'Edit' }).click();
  await anaPage.getByLabel('Edit the message').fill('Typo fixed in this message');
  await anaPage.getByRole('button', { name: 'Save' }).click();
  await message(brunoPage, 'Typo fixed in this message').getByRole('button', { name: '(edited)' }).waitFor();

  await send(anaPage, 'Posted in the wrong channel, sorry');
  await message(brunoPage, 'Posted in the wrong channel').waitFor();
  await message(anaPage, 'Posted in the wrong channel').getByRole('button', { name: 'Delete' }).click();
  await anaPage.getByRole('button', { name: 'Delete' }).last().click();
  await message(brunoPage, 'This message was deleted.').waitFor();
  assert.equal(await message(brunoPage, 'Posted in the wrong channel').count(), 0);

  await composer(anaPage).fill('Customer name for Bruno only: Demo Bank');
  await anaPage.getByLabel('Marking', { exact: true }).selectOption('red');
  await anaPage.getByRole('checkbox', { name: 'Bruno Responder' }).check();
  await checkScreen(anaPage, '45-messages-red-composer');
  await anaPage.getByRole('button', { name: 'Send', exact: true }).click();
  await message(brunoPage, 'Customer name for Bruno only').getByText('TLP:RED').waitFor();

  await composer(anaPage).fill('IOC list attached');
  await anaPage.getByLabel('Attach files').setInputFiles({ name: 'iocs.txt', mimeType: 'text/plain', buffer: Buffer.from('login-bank.example.net\n203.0.113.7\n') });
  await anaPage.getByRole('list', { name: 'Attachments' }).getByText('iocs.txt').waitFor();
  await anaPage.getByRole('button', { name: 'Send', exact: true }).click();
  const link = message(brunoPage, 'IOC list attached').getByRole('link', { name: 'iocs.txt' });
  await link.waitFor();
  attachmentUrl = (await link.getAttribute('href'))!;
  const got = await inPage<{ status: number; text: string; disposition: string }>(brunoPage,
    `fetch(${JSON.stringify(attachmentUrl)}).then(async (r) => ({ status: r.status, text: await r.text(), disposition: r.headers.get('content-disposition') }))`);
  assert.equal(got.status, 200);
  assert.equal(got.text, 'login-bank.example.net\n203.0.113.7\n');
  assert.match(got.disposition, /^attachment/);
  await checkScreen(brunoPage, '46-messages-live-chat');
});

test('Bruno searches the messages he may read', async () => {
  await brunoPage.getByRole('button', { name: 'Search messages' }).click();
  await brunoPage.getByLabel('Words to find').fill('banks');
  await brunoPage.getByRole('button', { name: 'Search', exact: true }).click();
  await brunoPage.getByRole('status').filter({ hasText: /messages found/ }).waitFor();
  const results = brunoPage.getByRole('list', { name: 'Search results' });
  await results.getByText('phishing wave').waitFor();
  await results.getByText('two banks affected').waitFor();
  await checkScreen(brunoPage, '47-messages-search');
  await brunoPage.getByRole('link', { name: /jm-bilateral/ }).first().click();
  await message(brunoPage, 'IOC list attached').waitFor();
});

test('Bruno’s socket drops; Ana posts meanwhile; after the reconnect it shows exactly once', async () => {
  await brunoPage.locator('[data-connection="open"]').waitFor();
  holdReconnect = true;
  const s = brunoSocket!;
  await s.server.close();
  await s.page.close({ code: 4000, reason: 'dropped by the test' });
  await brunoPage.locator('[data-connection="open"]').waitFor({ state: 'detached' });
  await send(anaPage, 'Posted while Bruno was disconnected');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await message(brunoPage, 'Posted while Bruno was disconnected').count(), 0);
  holdReconnect = false;
  await brunoPage.locator('[data-connection="open"]').waitFor({ timeout: 20_000 });
  await message(brunoPage, 'Posted while Bruno was disconnected').waitFor();
  await send(anaPage, 'And one after the reconnect');
  await message(brunoPage, 'And one after the reconnect').waitFor();
  assert.equal(await message(brunoPage, 'Posted while Bruno was disconnected').count(), 1);
  assert.equal(await message(brunoPage, 'phishing wave').count(), 1);
});

test('Bruno goes offline; Ana posts; the digest job sends Bruno a digest with it', async () => {
  await brunoContext.close();
  await send(anaPage, 'Offline note for Bruno: rotate the VPN credentials');
  const sent = await runDigests(portal.platform.database.db, portal.platform.config);
  assert.ok(sent >= 1, `digests queued: ${sent}`);
  const deadline = Date.now() + 15_000;
  let digest: { subject: string; text: string } | undefined;
  while (!digest) {
    const mails = await mailsTo(bruno.email);
    digest = mails.find((m) => m.text.includes('rotate the VPN credentials'));
    if (!digest) {
      assert.ok(Date.now() < deadline, `no digest for Bruno in the outbox; his mail: ${JSON.stringify(mails)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.match(digest.text, /#jm-bilateral \[TLP:GREEN\]/);
  assert.match(digest.text, new RegExp(`${portal.platform.config.publicUrl}/messages`));
  // What Bruno read live is not repeated, and the RED line is never in an email.
  assert.ok(!digest.text.includes('Seen here too'));
  assert.ok(!digest.text.includes('Demo Bank'));
});

test('a person of a third organisation sees nothing of the channel', async () => {
  const { page } = await portal.newPage();
  await signIn(page, carol);
  await page.goto(`${portal.base}/messages`);
  await page.getByText('No channel yet.').waitFor();
  assert.equal(await page.getByRole('link', { name: /jm-bilateral/ }).count(), 0);
  await page.goto(`${portal.base}/messages/${channelId}`);
  await page.getByRole('alert').filter({ hasText: 'This channel does not exist or is not open to you.' }).waitFor();
  await checkScreen(page, '48-messages-outsider');
  await page.getByRole('button', { name: 'Search messages' }).click();
  await page.getByLabel('Words to find').fill('banks');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '0 messages found' }).waitFor();
  assert.match(attachmentUrl, /^\/api\/messaging\/attachments\//);
  const status = await inPage<number>(page, `fetch(${JSON.stringify(attachmentUrl)}).then((r) => r.status)`);
  assert.equal(status, 404);
  const history = await inPage<number>(page, `fetch('/api/messaging/channels/${channelId}/messages').then((r) => r.status)`);
  assert.equal(history, 404);
  await runDigests(portal.platform.database.db, portal.platform.config);
  for (const m of await mailsTo(carol.email)) assert.ok(!/jm-bilateral|phishing|VPN/.test(m.text + m.subject), 'Carol got channel content by email');
});

test('no request left the origin', () => {
  assert.deepEqual(portal.offsite, []);
});
