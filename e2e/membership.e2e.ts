/**
 * The membership journey in a real browser: a team applies (no account), the national point of
 * contact validates, a coordinator approves, the head of the team accepts the emailed invitation,
 * signs in and (as a network member) enrols a second factor — axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import type { Page } from 'playwright-core';
import { apiClient, createTestUser, login, type TestUser } from '../src/auth/test-helpers.ts';
import { checkScreen, startPortal, totp, type Portal, signIn as signInAs } from './support.ts';

let portal: Portal;
let coordinator: TestUser;
let poc: TestUser;
const stamp = Date.now().toString(36);
const team = {
  name: `CSIRT Jamaica ${stamp}`, head: 'Hortense Head', headEmail: `head-${stamp}@csirt-jm.example`, applicant: `applicant-${stamp}@csirt-jm.example`,
};
let statusUrl = '';

before(async () => {
  portal = await startPortal();
  const db = portal.platform.database.db;
  coordinator = await createTestUser(db, { platformRole: 'coordinator', twoFactor: true, displayName: 'Cora Coordinator' });
  poc = await createTestUser(db, { twoFactor: true, displayName: 'Pablo Point-of-contact' });
  const coord = apiClient(portal.base, await login(portal.base, coordinator));
  const r = await coord('/api/countries/JM/points-of-contact', { body: { email: poc.email } });
  assert.equal(r.status, 201, await r.text());
});
after(async () => {
  await portal?.close();
});

const signInWithTotp = (page: Page, u: TestUser) => signInAs(portal, page, u);

/** The invitation link from the mail the platform wrote to its outbox (no SMTP configured in this run). */
async function invitationToken(email: string): Promise<string> {
  const dir = path.join(portal.platform.config.dataDir, 'outbox');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    for (const f of files) {
      const mail = await PostalMime.parse(fs.readFileSync(path.join(dir, f)));
      if (!mail.to?.some((a) => a.address?.toLowerCase() === email.toLowerCase())) continue;
      const m = /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
      if (m) return m[1]!;
    }
    if (Date.now() > deadline) throw new Error(`no invitation mail to ${email} in ${dir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a team applies without an account and gets its private status page', async () => {
  const { page } = await portal.newPage();
  await page.goto(`${portal.base}/login`);
  await page.getByRole('link', { name: 'Apply for membership' }).click();
  await page.getByRole('heading', { name: 'Apply for membership' }).waitFor();
  await page.getByLabel('Team name', { exact: true }).fill(team.name);
  await page.getByLabel('Type of team').selectOption('national_csirt');
  await page.getByLabel('Country', { exact: true }).selectOption('JM');
  await page.getByLabel('Website', { exact: true }).fill('https://csirt-jm.example');
  await page.getByLabel('Constituency').fill('Government networks and critical infrastructure of Jamaica');
  await page.getByLabel('Head of the team', { exact: true }).fill(team.head);
  await page.getByLabel('Email of the head of the team').fill(team.headEmail);
  await page.getByLabel('Your email').fill(team.applicant);
  await page.getByLabel('Mandate document').setInputFiles({
    name: 'mandate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% Mandate (test)\n%%EOF\n'),
  });
  await checkScreen(page, '20-apply');
  await page.getByRole('button', { name: 'Send the application' }).click();
  await page.getByRole('heading', { name: 'Application status' }).waitFor();
  assert.equal(await page.getByTestId('application-status').textContent(), 'Submitted');
  await page.getByText('Review by the national point of contact').waitFor();
  statusUrl = page.url().replace('&new=1', '');
  await checkScreen(page, '21-apply-status');
  await page.context().close();
});

test('the national point of contact sees it on the dashboard and validates it', async () => {
  const { page, context } = await portal.newPage();
  await signInWithTotp(page, poc);
  await page.getByRole('heading', { name: 'Applications awaiting your decision' }).waitFor();
  await page.getByRole('link', { name: team.name }).click();
  await page.getByRole('heading', { name: team.name }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'a point of contact cannot approve');
  await checkScreen(page, '22-review-poc');
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.getByText('Validated: the coordinators decide next.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Validate' }).count(), 0);
  await context.close();
});

test('a coordinator approves it from the applications list', async () => {
  const { page, context } = await portal.newPage();
  await signInWithTotp(page, coordinator);
  await page.getByRole('navigation').getByRole('link', { name: 'Applications' }).click();
  await page.getByRole('heading', { name: 'Membership applications' }).waitFor();
  await checkScreen(page, '23-applications');
  await page.getByRole('link', { name: team.name }).click();
  await page.getByRole('button', { name: 'Reject' }).waitFor();
  await checkScreen(page, '24-review-coordinator');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('Approved: the organisation exists and its head is invited.').waitFor();
  await context.close();
});

test('the applicant sees the approval on the status page', async () => {
  const { page, context } = await portal.newPage();
  await page.goto(statusUrl);
  await page.getByTestId('application-status').filter({ hasText: 'Approved' }).waitFor();
  await context.close();
});

test('the head of the team accepts the invitation, signs in and enrols a second factor', async () => {
  const token = await invitationToken(team.headEmail);
  const { page, context } = await portal.newPage();
  await page.goto(`${portal.base}/invitations/accept?token=${token}`);
  await page.getByText(`You are invited to join ${team.name} as Organisation administrator`).waitFor();
  await checkScreen(page, '25-invitation');
  await page.getByLabel('Your name', { exact: true }).fill(team.head);
  await page.getByLabel('Password', { exact: true }).fill('the head of the team passphrase');
  await page.getByRole('button', { name: 'Accept the invitation' }).click();
  await page.getByText('Welcome! Your account is ready.').waitFor();
  await page.getByRole('link', { name: 'Sign in now' }).click();
  await page.getByLabel('Email', { exact: true }).fill(team.headEmail);
  await page.getByLabel('Password', { exact: true }).fill('the head of the team passphrase');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // A member of a CSIRT must use two-step sign-in: only enrolment is open until it is on.
  await page.waitForURL(/\/security$/);
  await page.getByRole('button', { name: 'Start' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code', { exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Organisations' }).click();
  await page.getByText(team.name).waitFor();
  await page.getByRole('button', { name: 'People' }).first().click();
  await page.getByText(`${team.head} · Organisation administrator`).waitFor();
  await checkScreen(page, '26-organisations');
  await context.close();
});

test('no request left the origin', () => {
  assert.deepEqual(portal.offsite, []);
});
