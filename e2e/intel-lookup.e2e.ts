/**
 * The remaining intel screens in a real browser. An analyst runs a bulk lookup and sees a match
 * (with its TLP and a link), a warning-list flag on a private address and an unrecognised value,
 * downloads the CSV; on the matched object's page sees the other organisation in "also seen by",
 * reports a sighting ("we saw this too") and sees the count go up. On the collections screen the
 * analyst finds their organisation's collection, creates a TAXII token, and a plain fetch to the
 * shown objects URL with that token over HTTP Basic returns the TAXII envelope. An analyst of the
 * other organisation finds nothing of the first one's TLP:AMBER own-organisation indicator by
 * lookup. axe and a screenshot on each screen.
 */
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../src/auth/test-helpers.ts';
import { TLP2_MARKING_IDS } from '../src/core/tlp.ts';
import { checkScreen, startPortal, type Portal, signIn as signInAs } from './support.ts';

let portal: Portal;
let analyst: TestUser;
let peer: TestUser;
const run = Date.now().toString(36);
const stamp = '2025-04-01T10:00:00.000Z';
const sharedDomain = `c2-${run}.hemisphere-e2e.net`;
const privateDomain = `own-${run}.hemisphere-e2e.net`;
const analystIndicator = `indicator--${crypto.randomUUID()}`;
const peerIndicator = `indicator--${crypto.randomUUID()}`;
const privateIndicator = `indicator--${crypto.randomUUID()}`;

const indicator = (id: string, name: string, domain: string, tlp: 'green' | 'amber') => ({
  type: 'indicator', spec_version: '2.1', id, created: stamp, modified: stamp, name, pattern: `[domain-name:value = '${domain}']`,
  pattern_type: 'stix', valid_from: stamp, object_marking_refs: [TLP2_MARKING_IDS[tlp]],
});

async function share(u: TestUser, scope: string, objects: object[]) {
  const c = apiClient(portal.base, await sessionFor(portal.platform.database.db, u.id));
  const r = await c(`/api/intel/bundles?scope=${scope}&tlp=amber`, { body: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects } });
  assert.equal(r.status, 201, await r.text());
}

before(async () => {
  portal = await startPortal({ REQUIRE_2FA_ROLES: '' });
  const db = portal.platform.database.db;
  analyst = await createTestUser(db, { org: { networkMember: true, role: 'member' }, displayName: 'Lia Lookup' });
  peer = await createTestUser(db, { org: { networkMember: true, role: 'member' }, displayName: 'Pedro Peer' });
  await share(peer, 'network', [indicator(peerIndicator, `E2E ${run} peer C2`, sharedDomain, 'green')]);
  await share(analyst, 'network', [indicator(analystIndicator, `E2E ${run} our C2`, sharedDomain, 'green')]);
  await share(analyst, 'org', [indicator(privateIndicator, `E2E ${run} own only`, privateDomain, 'amber')]);
});
after(async () => {
  await portal?.close();
});

const signIn = (page: Page, u: TestUser) => signInAs(portal, page, u);

const row = (page: Page, input: string) => page.locator(`tr[data-lookup-input="${input}"]`);

test('bulk lookup: a match with its TLP, a warning-list flag, an unrecognised value, counts and the CSV', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, analyst);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Indicator lookup' }).click();
  await page.getByRole('heading', { name: 'Bulk lookup' }).waitFor();
  await page.getByLabel('Values to look up').fill(`${sharedDomain.toUpperCase()}\n10.1.2.3, nonsense\n${sharedDomain}\n10.1.2.3`);
  // Exact duplicates are dropped here; case variants go to the server, which normalises them.
  await page.getByText('4 distinct values; duplicates left out: 1.').waitFor();
  await checkScreen(page, 'intel-lookup-01-form');
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
  await page.getByRole('heading', { name: 'Results' }).waitFor();

  const hit = row(page, sharedDomain.toUpperCase());
  assert.equal(await hit.getAttribute('data-matches'), '2');
  await hit.getByRole('link', { name: `E2E ${run} our C2` }).waitFor();
  await hit.getByRole('link', { name: `E2E ${run} peer C2` }).waitFor();
  assert.equal(await hit.locator('[data-tlp="green"]').count(), 2);
  assert.equal(await hit.getAttribute('data-flagged'), 'no');
  const flagged = row(page, '10.1.2.3');
  assert.equal(await flagged.getAttribute('data-flagged'), 'yes');
  assert.match(await flagged.innerText(), /Likely false positive/);
  assert.match(await flagged.locator('[data-warning-list]').innerText(), /Private IPv4 range/);
  assert.match(await row(page, 'nonsense').innerText(), /Not recognised/);
  assert.equal(await row(page, sharedDomain).getAttribute('data-matches'), '2');
  assert.match(await page.locator('[data-count="values"]').innerText(), /4/);
  assert.match(await page.locator('[data-count="matched"]').innerText(), /2/);
  assert.match(await page.locator('[data-count="matches"]').innerText(), /4/);
  assert.match(await page.locator('[data-count="flagged"]').innerText(), /1/);
  assert.match(await page.locator('[data-count="unrecognised"]').innerText(), /1/);

  await page.getByLabel('Show').selectOption('flagged');
  assert.equal(await page.locator('tr[data-lookup-input]').count(), 1);
  await checkScreen(page, 'intel-lookup-02-results');
  await page.getByLabel('Show').selectOption('all');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines[0], 'input,kind,normalised,warning_lists,warnings,match_count,matches');
  assert.equal(lines.length, 5);
  assert.match(lines.find((l) => l.startsWith(sharedDomain.toUpperCase()))!, new RegExp(`,domain,${sharedDomain.replace(/\./g, '\\.')},,,2,.*${analystIndicator}`));
  assert.match(lines.find((l) => l.startsWith('10.1.2.3'))!, /private-ipv4/);
  await context.close();
});

test('object page: also seen by the other organisation; we saw this too, and the count goes up', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, analyst);
  await page.goto(`${portal.base}/intel/objects/${analystIndicator}`);
  await page.getByRole('heading', { name: `E2E ${run} our C2` }).waitFor();
  const seen = page.locator(`[data-also-seen-org="${peer.orgId}"]`);
  await seen.waitFor();
  assert.match(await seen.innerText(), new RegExp(`Test org ${peer.orgId!.slice(0, 8)}`));
  await seen.getByRole('link', { name: `E2E ${run} peer C2` }).waitFor();
  assert.match(await seen.innerText(), new RegExp(`domain: ${sharedDomain.replace(/\./g, '\\.')}`));
  await page.getByText('Sightings you may see: 0').waitFor();
  await checkScreen(page, 'intel-lookup-03-object-correlations');

  await page.getByLabel('TLP of the report').selectOption('green');
  await page.getByLabel('Note (optional)').fill('Seen in our resolver logs');
  await page.getByRole('button', { name: 'We saw this too' }).click();
  await page.getByText("Reported. Your organisation's count for this object is now 1.").waitFor();
  await page.locator(`tr[data-sighting-org="${analyst.orgId}"][data-count="1"]`).waitFor();
  await page.getByText('Sightings you may see: 1').waitFor();
  await page.getByRole('button', { name: 'We saw this too' }).click();
  await page.getByText("Reported. Your organisation's count for this object is now 2.").waitFor();
  await page.locator(`tr[data-sighting-org="${analyst.orgId}"][data-count="2"]`).waitFor();
  await checkScreen(page, 'intel-lookup-04-sighting-reported');
  await context.close();

  // The peer organisation is in the report's audience (TLP:GREEN, trusted network): it sees the count too.
  const other = await portal.newPage();
  await signIn(other.page, peer);
  await other.page.goto(`${portal.base}/intel/objects/${analystIndicator}`);
  await other.page.locator(`tr[data-sighting-org="${analyst.orgId}"][data-count="2"]`).waitFor();
  await other.context.close();
});

test('collections: the team collection is listed, a TAXII token is created once, and the shown URL answers with it', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, analyst);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'TAXII access' }).click();
  await page.getByRole('heading', { name: 'Collections and TAXII access' }).waitFor();
  const own = page.locator(`[data-collection="${analyst.orgId}"]`);
  await own.waitFor();
  assert.match(await own.innerText(), /Read and write/);
  assert.equal(await page.locator(`[data-collection="${peer.orgId}"]`).count(), 0);
  assert.equal(await page.getByRole('textbox', { name: 'TAXII discovery URL' }).inputValue(), `${portal.base}/taxii2/`);
  await checkScreen(page, 'intel-lookup-05-collections');

  await page.getByRole('checkbox', { name: 'Also allow posting objects (intel:write)' }).click({ force: true });
  await page.getByRole('button', { name: 'Create a TAXII token' }).click();
  await page.locator('[data-token-created]').waitFor();
  await page.getByText('Token created with the scopes taxii, intel:write. Copy it now: it is not shown again.').waitFor();
  const token = await page.locator('input[name="taxii-token"]').inputValue();
  assert.match(token, /^hs_/);
  const objectsUrl = await own.getByRole('textbox').inputValue();
  assert.equal(objectsUrl, `${portal.base}/taxii2/hemisphere/collections/${analyst.orgId}/objects/`);

  // The client configurations now carry the token and the chosen collection.
  await page.getByRole('tab', { name: 'OpenCTI connector' }).click();
  const opencti = await page.getByRole('tabpanel').locator('pre').innerText();
  assert.match(opencti, new RegExp(`TAXII2_PASSWORD=${token}`));
  assert.match(opencti, new RegExp(`TAXII2_COLLECTIONS=hemisphere\\.${analyst.orgId}`));
  await checkScreen(page, 'intel-lookup-06-token-created');

  // A plain client: HTTP Basic with the token as password, the TAXII media type.
  const res = await fetch(objectsUrl, {
    headers: { accept: 'application/taxii+json;version=2.1', authorization: `Basic ${Buffer.from(`soc:${token}`).toString('base64')}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/taxii+json;version=2.1');
  const envelope = (await res.json()) as { more: boolean; objects: { id: string }[] };
  assert.equal(envelope.more, false);
  const ids = envelope.objects.map((o) => o.id);
  assert.ok(ids.includes(analystIndicator) && ids.includes(privateIndicator), `own collection: ${ids.join(', ')}`);
  assert.ok(!ids.includes(peerIndicator));

  // Reloading the screen shows the collections again, never the token.
  await page.reload();
  await page.getByRole('heading', { name: 'Collections and TAXII access' }).waitFor();
  await own.waitFor();
  assert.equal(await page.locator('input[name="taxii-token"]').count(), 0);
  await context.close();
});

test('the other organisation looks up the AMBER own-organisation indicator: no match, nothing of it shown', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, peer);
  await page.goto(`${portal.base}/intel/lookup`);
  await page.getByLabel('Values to look up').fill(`${privateDomain}\n${sharedDomain}`);
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
  await page.getByRole('heading', { name: 'Results' }).waitFor();
  assert.equal(await row(page, privateDomain).getAttribute('data-matches'), '0');
  assert.match(await row(page, privateDomain).innerText(), /No match/);
  assert.equal(await page.getByText(`E2E ${run} own only`).count(), 0);
  assert.equal(await row(page, sharedDomain).getAttribute('data-matches'), '2');
  await checkScreen(page, 'intel-lookup-07-other-org');
  await context.close();
});
