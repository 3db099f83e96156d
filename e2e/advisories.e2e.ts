/**
 * Advisories and reports in a real browser: a coordinator writes an advisory (CVSS scored as typed,
 * Markdown preview), adds a Spanish translation, sends it to review and publishes it; the member page
 * shows the revision history and serves the signed CSAF document; an anonymous visitor reads it on the
 * public site in Spanish and finds it in the Spanish Atom feed; a public report is uploaded, found by
 * full-text search and listed on the public reports page — axe and a screenshot on each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { createTestUser, type TestUser } from '../src/auth/test-helpers.ts';
import { checkScreen, chooseLanguage, startPortal, totp, type Portal } from './support.ts';

let portal: Portal;
let coordinator: TestUser;
let page: Page;
let advisoryId = '';
let trackingId = '';
const en = { title: 'Remote takeover of Example Sensor Hub', summary: 'An unauthenticated attacker can run commands on Example Sensor Hub.' };
const es = { title: 'Toma de control remota de Example Sensor Hub', summary: 'Un atacante no autenticado puede ejecutar órdenes en Example Sensor Hub.' };

before(async () => {
  portal = await startPortal();
  coordinator = await createTestUser(portal.platform.database.db, { platformRole: 'coordinator', twoFactor: true, displayName: 'Cora Coordinator' });
  ({ page } = await portal.newPage());
});
after(async () => {
  await portal?.close();
});

test('a coordinator signs in and opens the advisories from the navigation', async () => {
  await page.goto(`${portal.base}/login`);
  await page.getByLabel('Email', { exact: true }).fill(coordinator.email);
  await page.getByLabel('Password', { exact: true }).fill(coordinator.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Code', { exact: true }).fill(totp(coordinator.totpSecret!));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Advisories' }).click();
  await page.getByRole('heading', { name: 'Advisories' }).waitFor();
  await page.getByText('No advisories yet.').waitFor();
  await checkScreen(page, '40-advisories-empty');
});

test('writing an advisory: structured fields, CVSS score computed as the vector is typed, Markdown preview', async () => {
  await page.getByRole('link', { name: 'New advisory' }).click();
  await page.getByRole('heading', { name: 'New advisory' }).waitFor();
  await page.getByLabel('Title', { exact: true }).fill(en.title);
  await page.getByLabel('Summary', { exact: true }).fill(en.summary);
  await page.getByLabel('Details (Markdown)').fill('## Details\n\nA crafted **request** overflows a buffer.\n\n<script>alert(1)</script>');
  await page.getByLabel('Remediation', { exact: true }).fill('Update to 3.2.1.');
  await page.getByRole('button', { name: 'Show preview' }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await preview.getByRole('heading', { name: 'Details' }).waitFor();
  assert.equal(await preview.locator('strong').textContent(), 'request');
  assert.equal(await preview.locator('script').count(), 0, 'raw HTML is shown as text, never run');
  await preview.getByText('<script>alert(1)</script>').waitFor();

  await page.getByLabel('CVE ID', { exact: true }).fill('CVE-2025-40001');
  await page.getByLabel('Weakness (CWE)').fill('CWE-787');
  await page.getByLabel('Vulnerability', { exact: true }).fill('Buffer overflow in the HTTP handler');
  await page.getByLabel('CVSS v3.1 vector').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  await page.getByText('Score 9.8 (Critical)').waitFor();
  await page.getByLabel('CVSS v3.1 vector').fill('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H');
  await page.getByText('Score 8.1 (High)').waitFor();
  await page.getByLabel('CVSS v4.0 vector').fill('CVSS:4.0/AV:N/AC:L');
  await page.getByText(/Invalid vector/).waitFor();
  await page.getByLabel('CVSS v4.0 vector').fill('');
  await page.getByLabel('Vendor', { exact: true }).fill('Example Devices');
  await page.getByLabel('Product', { exact: true }).fill('Sensor Hub');
  await page.getByLabel('Affected versions').fill('3.0, 3.1, 3.2.0');
  await page.getByLabel('Fixed in').fill('3.2.1');
  await page.getByRole('button', { name: 'Add a reference' }).click();
  await page.getByLabel('Address (URL)').fill('https://devices.example.com/psirt/ED-2025-07');
  await page.getByLabel('What it is').fill('Vendor bulletin');
  assert.equal(await page.getByRole('combobox', { name: /^TLP/ }).inputValue(), 'clear');
  await checkScreen(page, '41-advisory-new');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/advisories\/edit\/[0-9a-f-]{36}$/);
  advisoryId = page.url().split('/').pop()!;
  const h1 = page.getByRole('heading', { level: 1, name: /^Edit HEMI-\d{4}-\d{4}$/ });
  await h1.waitFor(); // the tracking id shows once the draft is loaded
  const heading = await h1.textContent();
  trackingId = /^Edit (\S+)$/.exec(heading ?? '')![1]!;
  assert.match(trackingId, /^HEMI-\d{4}-\d{4}$/);
  await page.locator('[data-status="draft"]').first().waitFor();
  assert.equal(await page.getByRole('tab', { name: /Español/ }).locator('[data-translation]').getAttribute('data-translation'), 'missing');
  await checkScreen(page, '42-advisory-draft');
});

test('a Spanish translation is added and tracked as up to date', async () => {
  await page.getByRole('tab', { name: /Español/ }).click();
  const panel = page.getByRole('tabpanel');
  await panel.getByText('No translation yet').waitFor();
  await panel.getByLabel('Title', { exact: true }).fill(es.title);
  await panel.getByLabel('Summary', { exact: true }).fill(es.summary);
  await panel.getByLabel('Details (Markdown)').fill('## Detalles\n\nUna **petición** manipulada desborda un búfer.');
  await panel.getByLabel('Remediation', { exact: true }).fill('Actualice a 3.2.1.');
  await panel.getByRole('button', { name: 'Save Español translation' }).click();
  await page.getByText('Text saved (Español).').waitFor();
  await page.getByRole('tab', { name: /Español/ }).locator('[data-translation="current"]').waitFor();
  await checkScreen(page, '43-advisory-translation');
});

test('draft → review → published, with the buttons the server allows', async () => {
  await page.getByRole('button', { name: 'Send to review' }).click();
  await page.getByText('Sent to review.').waitFor();
  await page.getByText('In review: return it to draft to change it.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Send to review' }).count(), 0);
  await checkScreen(page, '44-advisory-review');
  await page.getByLabel('What this revision changes').fill('Initial release');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published: the CSAF document is signed and served.').waitFor();
  await page.locator('[data-status="published"]').first().waitFor();
  await page.getByText('Published revision 1').waitFor();
});

test('the advisory page: published text, revision history and the CSAF download', async () => {
  await page.getByRole('link', { name: 'Advisory page' }).click();
  await page.getByRole('heading', { name: `${trackingId}: ${en.title}` }).waitFor();
  await page.getByRole('list', { name: 'Revision history' }).getByText('Revision 1').waitFor();
  await page.getByRole('cell', { name: 'CVE-2025-40001' }).waitFor();
  await checkScreen(page, '45-advisory-page');
  const href = await page.getByRole('link', { name: 'Download CSAF 2.0 (JSON)' }).getAttribute('href');
  const res = await page.request.get(`${portal.base}${href}`);
  assert.equal(res.status(), 200);
  const csaf = await res.json() as { document: { category: string; tracking: { id: string; version: string }; distribution: { tlp: { label: string } } } };
  assert.equal(csaf.document.category, 'csaf_security_advisory');
  assert.equal(csaf.document.tracking.id, trackingId);
  assert.equal(csaf.document.tracking.version, '1');
  assert.equal(csaf.document.distribution.tlp.label, 'WHITE'); // CSAF 2.0 carries TLP 1.0 labels: CLEAR is WHITE
  await page.getByRole('navigation').getByRole('link', { name: 'Advisories' }).click();
  const row = page.locator(`[data-advisory="${trackingId}"]`);
  await row.locator('[data-status="published"]').waitFor();
  assert.equal(await row.locator('[data-tlp]').getAttribute('data-tlp'), 'clear');
  assert.equal(await row.locator('[data-severity]').getAttribute('data-severity'), 'high');
  await checkScreen(page, '46-advisories-list');
});

test('an anonymous visitor reads it on the public site in Spanish; the Spanish Atom feed lists it', async () => {
  const { page: visitor } = await portal.newPage();
  await visitor.goto(`${portal.base}/public/advisories`);
  await visitor.getByRole('heading', { name: 'Security advisories' }).waitFor();
  await visitor.getByRole('link', { name: en.title }).waitFor();
  await checkScreen(visitor, '47-public-advisories');
  await chooseLanguage(visitor, /Language/, 'Español');
  await visitor.getByRole('heading', { name: 'Avisos de seguridad públicos' }).waitFor();
  await visitor.getByRole('link', { name: es.title }).click();
  await visitor.getByRole('heading', { name: `${trackingId}: ${es.title}` }).waitFor();
  await visitor.getByText(es.summary).waitFor();
  await visitor.getByRole('heading', { name: 'Detalles' }).waitFor();
  assert.equal(await visitor.locator('[lang="es"] strong').first().textContent(), 'petición');
  await checkScreen(visitor, '48-public-advisory-es');

  const feedHref = await visitor.getByRole('link', { name: 'Feed Atom' }).first().getAttribute('href');
  assert.equal(feedHref, '/feeds/advisories.atom?lang=es');
  assert.equal(await visitor.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), feedHref);
  const feed = await visitor.request.get(`${portal.base}${feedHref}`);
  assert.equal(feed.status(), 200);
  assert.match(feed.headers()['content-type'] ?? '', /application\/atom\+xml/);
  const xml = new XMLParser({ ignoreAttributes: false }).parse(await feed.text()) as { feed: { entry: { title: string } | { title: string }[] } };
  const entries = [xml.feed.entry].flat();
  assert.ok(entries.some((e) => e.title === `${trackingId}: ${es.title}`), JSON.stringify(entries));
  const provider = await visitor.getByRole('link', { name: 'Metadatos del proveedor CSAF' }).first().getAttribute('href');
  assert.equal((await visitor.request.get(`${portal.base}${provider}`)).status(), 200);
  const csaf = await visitor.request.get(`${portal.base}/api/public/advisories/${trackingId}/csaf`);
  assert.equal(csaf.status(), 200);
});

test('reports: a public report is uploaded with its metadata, found by full-text search, and listed publicly', async () => {
  await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'Reports and documents' }).waitFor();
  await page.getByText('The library is empty.').waitFor();
  await page.getByRole('combobox', { name: /^Who can read it/ }).selectOption('public');
  await page.getByLabel('Title', { exact: true }).fill('Ransomware in regional hospitals');
  await page.getByLabel('Summary', { exact: true }).fill('Hospitals across the region faced ransomware campaigns this quarter.');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'hospitals.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% report\n%%EOF\n') });
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published.', { exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Ransomware in regional hospitals' }).waitFor();
  await checkScreen(page, '49-reports-library');
  await page.getByRole('searchbox', { name: 'Search the library' }).fill('hospital');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('li b').filter({ hasText: /Hospitals/ }).waitFor();
  await page.getByRole('searchbox', { name: 'Search the library' }).fill('firmware');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('Nothing matches this search.').waitFor();

  const { page: visitor } = await portal.newPage();
  await visitor.goto(`${portal.base}/public/reports`);
  await visitor.getByRole('heading', { name: 'Ransomware in regional hospitals' }).waitFor();
  const link = visitor.getByRole('link', { name: /Download hospitals\.pdf/ });
  const file = await visitor.request.get(`${portal.base}${await link.getAttribute('href')}`);
  assert.equal(file.status(), 200);
  assert.equal((await file.body()).subarray(0, 5).toString(), '%PDF-');
  await checkScreen(visitor, '50-public-reports');
  assert.deepEqual(portal.offsite, []);
});
