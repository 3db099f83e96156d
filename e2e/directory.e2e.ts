/**
 * The directory in a real browser: a team admin edits the team's entry, uploads an OpenPGP key and
 * adds a role address; a coordinator runs a contact check for all teams; the role address answers
 * through the emailed link; the coordinator's report shows it answered. axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import * as openpgp from 'openpgp';
import type { Page } from 'playwright-core';
import { createTestUser, type TestUser } from '../src/auth/test-helpers.ts';
import { checkScreen, startPortal, type Portal, signIn as signInAs } from './support.ts';

let portal: Portal;
let coordinator: TestUser;
let teamAdmin: TestUser;
const stamp = Date.now().toString(36);
const desk = `duty-${stamp}@csirt-dir.example`;
let fingerprint = '';

before(async () => {
  portal = await startPortal();
  const db = portal.platform.database.db;
  coordinator = await createTestUser(db, { platformRole: 'coordinator', twoFactor: true, displayName: 'Cora Coordinator' });
  teamAdmin = await createTestUser(db, { twoFactor: true, displayName: 'Tomás Team', org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
});
after(async () => {
  await portal?.close();
});

const signIn = (page: Page, u: TestUser) => signInAs(portal, page, u);

async function verifyLink(email: string): Promise<string> {
  const dir = path.join(portal.platform.config.dataDir, 'outbox');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    for (const f of files) {
      const mail = await PostalMime.parse(fs.readFileSync(path.join(dir, f)));
      if (!mail.to?.some((a) => a.address?.toLowerCase() === email)) continue;
      const m = /(\/directory\/verify\?token=[A-Za-z0-9_%-]+)/.exec(mail.text ?? '');
      if (m) return m[1]!;
    }
    if (Date.now() > deadline) throw new Error(`no contact-check mail to ${email}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a team admin edits the entry, uploads a key and adds a role address', async () => {
  const { page } = await portal.newPage();
  await signIn(page, teamAdmin);
  await page.getByRole('link', { name: 'Directory', exact: true }).click();
  await page.getByRole('heading', { name: "Members' directory" }).waitFor();
  await checkScreen(page, '60-directory');
  await page.goto(`${portal.base}/directory/teams/${teamAdmin.orgId}`);
  await page.getByRole('heading', { name: 'Edit the entry' }).waitFor();
  await page.getByLabel('Business hours', { exact: true }).fill('Mon–Fri 09:00–17:00 UYT');
  await page.getByLabel('Role email address', { exact: true }).fill(`cert-${stamp}@csirt-dir.example`);
  await page.getByLabel('Who sees “Business hours”').selectOption('public');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByText('Mon–Fri 09:00–17:00 UYT', { exact: true }).waitFor();
  await checkScreen(page, '61-team-edit');

  const key = await openpgp.generateKey({ userIDs: [{ name: 'CSIRT Dir', email: `cert-${stamp}@csirt-dir.example` }], format: 'object' });
  fingerprint = key.publicKey.getFingerprint().toUpperCase();
  await page.getByLabel('Armoured public key').fill(key.publicKey.armor());
  await page.getByRole('button', { name: 'Upload an OpenPGP key' }).click();
  await page.getByText(`Key published: ${fingerprint}`).waitFor();
  await page.getByRole('link', { name: fingerprint }).waitFor();

  await page.getByLabel('Armoured public key').fill('not a key');
  await page.getByRole('button', { name: 'Upload an OpenPGP key' }).click();
  await page.getByRole('alert').waitFor();

  await page.getByLabel('Name', { exact: true }).fill('Duty desk');
  await page.getByLabel('Function', { exact: true }).fill('incident handling');
  await page.getByLabel('Email', { exact: true }).fill(desk);
  await page.getByRole('button', { name: 'Add a contact' }).click();
  await page.getByText(new RegExp(`Duty desk · incident handling · ${desk.replace(/[.]/g, '\\.')}`)).waitFor();
  await checkScreen(page, '62-team-key-contact');
});

test('a coordinator runs a contact check; the contact answers by the emailed link; the report shows it', async () => {
  const { page } = await portal.newPage();
  await signIn(page, coordinator);
  await page.getByRole('link', { name: 'Contact checks' }).click();
  await page.getByRole('heading', { name: 'Contact checks' }).waitFor();
  await page.getByLabel('Teams to check').selectOption('all');
  await page.getByRole('button', { name: 'Start the check' }).click();
  await page.getByText(/Check started: \d+ contacts asked\./).waitFor();
  await checkScreen(page, '63-contact-checks');

  const link = await verifyLink(desk);
  const other = await portal.newPage(); // the contact, not signed in
  await other.page.goto(`${portal.base}${link}`);
  await other.page.getByText(/You are listed as Duty desk for /).waitFor();
  await checkScreen(other.page, '64-verify');
  await other.page.getByRole('button', { name: 'Yes, this address is reachable' }).click();
  await other.page.getByText('Thank you: your contact details are confirmed.').waitFor();

  await page.reload();
  await page.getByRole('button', { name: 'Show the report' }).first().click();
  await page.getByRole('heading', { name: 'Unreachable teams' }).waitFor();
  const line = page.getByText(/^Duty desk · answered /);
  await line.waitFor();
  await checkScreen(page, '65-check-report');

  // The team page now shows when the desk was last verified.
  await page.goto(`${portal.base}/directory/teams/${teamAdmin.orgId}`);
  const text = await page.getByText(/Duty desk · incident handling/).textContent();
  assert.match(text ?? '', /Last verified: (?!never)/);
});
