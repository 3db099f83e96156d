/**
 * Threat intelligence in a real browser: an analyst shares a STIX bundle (file chosen, TLP and scope,
 * upload progress), reads the per-object report (added and rejected with the path of the problem),
 * follows it to the object page and its relationships both ways, and finds it by TLP in the list; an
 * analyst of another organisation finds nothing of that TLP:AMBER own-organisation object, by search
 * or by its address. axe on each screen, a screenshot of each.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createTestUser, type TestUser } from '../src/auth/test-helpers.ts';
import { checkScreen, inPage, startPortal, visibleTexts, type Portal, signIn as signInAs } from './support.ts';

let portal: Portal;
let analyst: TestUser;
let outsider: TestUser;
const run = Date.now().toString(36);
const stamp = '2025-03-01T10:00:00.000Z';
const indicatorId = `indicator--${crypto.randomUUID()}`;
const malwareId = `malware--${crypto.randomUUID()}`;
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const bundle = {
  type: 'bundle', id: `bundle--${crypto.randomUUID()}`,
  objects: [
    {
      type: 'indicator', spec_version: '2.1', id: indicatorId, created: stamp, modified: stamp, name: `E2E ${run} beacon to 203.0.113.9`,
      pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: stamp, object_marking_refs: [AMBER],
      external_references: [{ source_name: 'demo', url: 'https://reports.example.org/e2e' }],
    },
    { type: 'malware', spec_version: '2.1', id: malwareId, created: stamp, modified: stamp, name: `E2E ${run} DemoLoader`, is_family: true },
    {
      type: 'relationship', spec_version: '2.1', id: `relationship--${crypto.randomUUID()}`, created: stamp, modified: stamp,
      relationship_type: 'indicates', source_ref: indicatorId, target_ref: malwareId,
    },
    { type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, created: stamp, modified: stamp, pattern: "[ipv4-addr:value = '203.0.113.10'", pattern_type: 'stix', valid_from: stamp },
  ],
};

before(async () => {
  portal = await startPortal({ REQUIRE_2FA_ROLES: '' });
  const db = portal.platform.database.db;
  analyst = await createTestUser(db, { org: { networkMember: true, role: 'member' }, displayName: 'Ana Analyst' });
  outsider = await createTestUser(db, { org: { networkMember: true, role: 'member' }, displayName: 'Otto Other' });
});
after(async () => {
  await portal?.close();
});

const signIn = (page: Page, u: TestUser) => signInAs(portal, page, u);

test('an analyst uploads a bundle, reads the report, and browses to the object and its relationships', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, analyst);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Intel' }).click();
  await page.getByRole('heading', { name: 'Threat intelligence objects' }).waitFor();
  await page.getByRole('link', { name: 'Share a bundle' }).click();
  await page.getByRole('heading', { name: 'Share a STIX bundle' }).waitFor();

  await page.getByLabel('Bundle file (STIX 2.1 JSON)').setInputFiles({ name: 'e2e-bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) });
  await page.getByLabel('TLP for objects without a TLP marking').selectOption('amber');
  // Public is offered only with TLP:CLEAR.
  assert.equal(await page.locator('select option[value="public"]').isDisabled(), true);
  await page.getByLabel('Sharing scope').selectOption('org');
  await checkScreen(page, 'intel-01-upload-form');
  await page.getByRole('button', { name: 'Upload and share' }).click();

  await page.getByRole('heading', { name: 'Report per object' }).waitFor();
  await page.getByText('3 new of 4 objects.').waitFor();
  assert.equal(await page.locator('[data-phase="done"]').count(), 1);
  assert.equal(await inPage(page, `document.querySelector('progress').value`), 100);
  assert.match(await page.locator('[data-count="added"]').innerText(), /Added: 3/);
  assert.match(await page.locator('[data-count="rejected"]').innerText(), /Rejected: 1/);
  const rejected = page.locator('tr[data-result="rejected"]');
  assert.match(await rejected.innerText(), /pattern/);
  await checkScreen(page, 'intel-02-upload-report');

  await page.getByRole('link', { name: indicatorId }).click();
  await page.getByRole('heading', { name: `E2E ${run} beacon to 203.0.113.9` }).waitFor();
  assert.equal(await page.locator('[data-tlp="amber"]').first().isVisible(), true);
  await page.getByText("[ipv4-addr:value = '203.0.113.9']").first().waitFor();
  await page.getByText('Shared by your organisation').waitFor();
  await page.getByRole('button', { name: 'Show JSON' }).click();
  assert.match(await page.locator('#raw-json').innerText(), new RegExp(indicatorId));
  await checkScreen(page, 'intel-03-object-page');

  // Outgoing relationship to the malware, and back: incoming on the malware's page.
  await page.getByRole('link', { name: `E2E ${run} DemoLoader` }).click();
  await page.getByRole('heading', { name: `E2E ${run} DemoLoader` }).waitFor();
  const incoming = page.locator('[data-relationship]');
  assert.match(await incoming.innerText(), /In/);
  await incoming.getByRole('link', { name: `E2E ${run} beacon to 203.0.113.9` }).waitFor();
  await checkScreen(page, 'intel-04-related-object');

  // Browsing: TLP filter finds it, with its badges.
  await page.goto(`${portal.base}/intel`);
  await page.getByRole('searchbox', { name: 'Search objects' }).fill(`E2E ${run}`);
  await page.getByRole('combobox', { name: /^TLP/ }).selectOption('amber');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/tlp=amber/);
  const row = page.locator(`tr[data-stix-id="${indicatorId}"]`);
  await row.waitFor();
  // The malware carried no marking: it took the chosen default, TLP:AMBER, so it is listed too.
  assert.equal(await page.locator(`tr[data-stix-id="${malwareId}"]`).count(), 1);
  await checkScreen(page, 'intel-05-list');
  await context.close();
});

test('an analyst of another organisation does not see the AMBER own-organisation object anywhere', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, outsider);
  await page.goto(`${portal.base}/intel?q=${encodeURIComponent(`E2E ${run}`)}`);
  // A full page load (session, then the list) on a loaded machine can take a while: wait longer here.
  await page.getByText('No objects match.').waitFor({ timeout: 30_000 }).catch(async (e) => {
    throw new Error(`${(e as Error).message}\nscreen: ${(await visibleTexts(page)).join(' | ')}`);
  });
  await checkScreen(page, 'intel-06-list-other-org');
  await page.goto(`${portal.base}/intel/objects/${indicatorId}`);
  await page.getByRole('alert').filter({ hasText: 'Not found.' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText(`E2E ${run}`).count(), 0);
  await checkScreen(page, 'intel-07-object-hidden');
  await context.close();
});
