/**
 * Cross-border assistance in a real browser: the ministry of a country without a CSIRT asks the
 * network for help; two CSIRT teams (each in its own browser context) offer; the requester accepts
 * one; the accepted helper opens the shared case and posts in its channel (the declined team cannot
 * open the case); the requester reads the post and closes the request with lessons learned and a
 * rating, and the helper reads them on the resolved case. axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestUser, type TestUser } from '../src/auth/test-helpers.ts';
import { newId } from '../src/core/ids.ts';
import { organisations } from '../src/core/tables.ts';
import { checkScreen, startPortal, type Portal } from './support.ts';

let portal: Portal;
let gov: TestUser, uy: TestUser, cl: TestUser;
let govPage: Page, uyPage: Page, clPage: Page;
let requestUrl = '';
let caseUrl = '';
const TITLE = 'Ransomware on the national tax portal';
const UY_ORG = 'CSIRT Uruguay (e2e)';
const CL_ORG = 'CSIRT Chile (e2e)';

before(async () => {
  // 2FA is not the point here (portal.e2e.ts covers it).
  portal = await startPortal({ REQUIRE_2FA_ROLES: '' });
  const db = portal.platform.database.db;
  const govOrg = newId(), uyOrg = newId(), clOrg = newId();
  await db.insert(organisations).values([
    { id: govOrg, name: 'Ministry of ICT of Xanadu (e2e)', type: 'government_agency', countryCode: 'XB', networkMember: false },
    { id: uyOrg, name: UY_ORG, type: 'national_csirt', countryCode: 'UY', networkMember: true },
    { id: clOrg, name: CL_ORG, type: 'national_csirt', countryCode: 'CL', networkMember: true },
  ]);
  gov = await createTestUser(db, { displayName: 'Gabriela Ministry', org: { orgId: govOrg, role: 'org_admin' } });
  uy = await createTestUser(db, { displayName: 'Ulises Responder', org: { orgId: uyOrg, role: 'org_admin' } });
  cl = await createTestUser(db, { displayName: 'Camila Responder', org: { orgId: clOrg, role: 'org_admin' } });
});
after(async () => {
  await portal?.close();
});

async function signIn(u: TestUser): Promise<Page> {
  const { page } = await portal.newPage();
  await page.goto(`${portal.base}/login`);
  await page.getByLabel('Email', { exact: true }).fill(u.email);
  await page.getByLabel('Password', { exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  return page;
}

test('the ministry of a country without a CSIRT asks the network for help', async () => {
  govPage = await signIn(gov);
  await govPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assistance', exact: true }).click();
  await govPage.getByRole('heading', { name: 'Cross-border assistance', level: 1 }).waitFor();
  await govPage.getByText('No request.').waitFor();
  await checkScreen(govPage, '70-assistance-empty');
  await govPage.getByRole('link', { name: 'Ask the network for help' }).click();
  await govPage.getByLabel('Title', { exact: true }).fill(TITLE);
  await govPage.getByLabel('What happened', { exact: true }).fill('Servers encrypted overnight; a ransom note was left on every share.');
  await govPage.getByLabel('Forensics', { exact: true }).check();
  await govPage.getByLabel('Malware analysis', { exact: true }).check();
  await govPage.getByLabel('Urgency', { exact: true }).selectOption('critical');
  await govPage.getByLabel('Classification', { exact: true }).selectOption('malware');
  await govPage.getByLabel('Who may see the request').selectOption('network');
  await checkScreen(govPage, '71-assistance-new-request');
  await govPage.getByRole('button', { name: 'Publish the request' }).click();
  await govPage.waitForURL(/\/incidents\/assistance\/[0-9a-f-]{36}$/);
  requestUrl = govPage.url();
  await govPage.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  await govPage.getByText('No offer yet.').waitFor();
  await checkScreen(govPage, '72-assistance-request-requester');
});

test('two CSIRT teams see the request and offer help', async () => {
  for (const [u, msg, shot] of [[uy, 'We can do disk forensics today.', '73'], [cl, 'Our lab can reverse the encryptor.', '74']] as const) {
    const page = await signIn(u);
    // The dashboard already lists the open request.
    await page.getByRole('heading', { name: 'Assistance requests awaiting offers' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: TITLE }).waitFor();
    if (u === uy) await checkScreen(page, '72-dashboard-open-request');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assistance', exact: true }).click();
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await page.getByLabel('What your team can do').fill(msg);
    await checkScreen(page, `${shot}-assistance-offer-form`);
    await page.getByRole('button', { name: 'Send the offer' }).click();
    await page.getByText('Your offer was sent to the requester.').waitFor();
    await page.locator('[data-offer]', { hasText: msg }).waitFor();
    // A team sees its own offer only, and cannot open the case before being accepted.
    assert.equal(await page.locator('[data-offer]').count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Open the shared case' }).count(), 0);
    if (u === uy) uyPage = page; else clPage = page;
  }
});

test('the requester sees both offers and accepts one', async () => {
  // Told live, without a reload: the header counts the two offers' notifications.
  await govPage.getByRole('link', { name: 'Notifications 2 unread' }).waitFor();
  await govPage.reload();
  await govPage.locator('[data-offer]').nth(1).waitFor();
  assert.equal(await govPage.locator('[data-offer]').count(), 2);
  await checkScreen(govPage, '75-assistance-offers');
  await govPage.getByRole('button', { name: `Accept the offer of ${UY_ORG}` }).click();
  await govPage.getByText('Offer accepted: the team joins the case and its channel.').waitFor();
  await govPage.getByRole('button', { name: `Decline the offer of ${CL_ORG}` }).click();
  await govPage.getByText('Offer declined.').waitFor();
  assert.match(await govPage.locator(`[data-offer="${UY_ORG}"]`).textContent() ?? '', /Accepted/);
  assert.match(await govPage.locator(`[data-offer="${CL_ORG}"]`).textContent() ?? '', /Declined/);
});

test('the accepted helper works in the shared case and its channel; the declined team cannot open it', async () => {
  await uyPage.goto(requestUrl);
  await uyPage.getByRole('link', { name: 'Open the shared case' }).click();
  await uyPage.waitForURL(/\/incidents\/cases\/[0-9a-f-]{36}$/);
  caseUrl = uyPage.url();
  await uyPage.getByRole('heading', { name: new RegExp(TITLE), level: 1 }).waitFor();
  await uyPage.locator('[data-participant]', { hasText: UY_ORG }).waitFor();
  await uyPage.getByText(`${UY_ORG} joined the case`).waitFor();
  await uyPage.getByLabel('Note', { exact: true }).fill('Disk images received; encryptor identified.');
  await uyPage.getByRole('button', { name: 'Add the note' }).click();
  await uyPage.getByText('Disk images received; encryptor identified.').waitFor();
  await checkScreen(uyPage, '76-case-helper');

  await uyPage.getByRole('link', { name: 'Open the case channel' }).click();
  await uyPage.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
  await uyPage.getByRole('textbox', { name: /^Message to/ }).fill('Starting the triage of the disk images now.');
  await uyPage.getByRole('button', { name: 'Send', exact: true }).click();
  await uyPage.locator('article', { hasText: 'Starting the triage of the disk images now.' }).waitFor();
  await checkScreen(uyPage, '77-case-channel-helper');

  await clPage.goto(caseUrl);
  await clPage.getByRole('alert').filter({ hasText: 'Not found.' }).waitFor();

  // The helper's dashboard lists the shared case among its open cases; the declined team's does not.
  await uyPage.goto(portal.base);
  await uyPage.getByRole('heading', { name: 'Open cases' }).waitFor();
  await uyPage.getByRole('main').getByRole('link', { name: TITLE }).waitFor();
  await clPage.goto(portal.base);
  await clPage.getByRole('heading', { name: 'Open cases' }).waitFor();
  await clPage.waitForLoadState('networkidle');
  assert.equal(await clPage.getByRole('main').getByRole('link', { name: TITLE }).count(), 0);
});

test('the requester reads the channel and closes with lessons learned and a rating; the helper reads them', async () => {
  await govPage.goto(caseUrl);
  await govPage.getByRole('link', { name: 'Open the case channel' }).click();
  await govPage.locator('article', { hasText: 'Starting the triage of the disk images now.' }).waitFor();

  await govPage.goto(requestUrl);
  await govPage.getByLabel('Lessons learned', { exact: true }).fill('Offline backups would have cut recovery to a day.');
  await govPage.getByLabel('Rating of the help received').selectOption('5');
  await checkScreen(govPage, '78-assistance-close');
  await govPage.getByRole('button', { name: 'Close with lessons learned' }).click();
  await govPage.getByText('The request is closed and the case resolved.').waitFor();
  await govPage.getByText('5 out of 5').waitFor();
  await checkScreen(govPage, '79-assistance-closed');

  await uyPage.goto(caseUrl);
  await uyPage.locator('[data-status="resolved"]').first().waitFor();
  await uyPage.getByText(/Offline backups would have cut recovery to a day/).first().waitFor();
  await checkScreen(uyPage, '80-case-resolved-helper');
  assert.deepEqual(portal.offsite, []);
});
