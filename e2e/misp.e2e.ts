/**
 * The MISP and remote-feed screens in a real browser. An analyst imports a small fictional MISP
 * event file: the preview shows the counts (attributes, objects, tags), the mapped TLP and the
 * distribution → scope split, and nothing is stored until "Import"; then the result, the event and
 * its attributes paged (25 a page, first/next/last). The feed export screen shows the MISP feed URL
 * of each readable collection. An analyst of another organisation creates a token on the TAXII
 * access screen, subscribes to this platform's own network MISP feed with it, pulls now and sees
 * success (the organisation-only attribute never arrives); an observer of that organisation sees
 * the status but no actions; the subscriber disables and deletes the feed. axe and screenshots on
 * each screen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { createTestUser, type TestUser } from '../src/auth/test-helpers.ts';
import { rows } from '../src/db/client.ts';
import { checkScreen, startPortal, type Portal, signIn as signInAs } from './support.ts';

let portal: Portal;
let analyst: TestUser;
let subscriber: TestUser;
let observer: TestUser;
const run = Date.now().toString(36);
const eventUuid = crypto.randomUUID();
const info = `E2E ${run} fictional phishing wave`;
const TS = '1735725600';
const orgOnlyValue = `own-${run}.hemisphere-e2e.net`;

/** A fictional event: TLP:GREEN, community distribution; 28 attributes (the first organisation-only) and a file object of 2. */
function eventFile(): string {
  const attrs = Array.from({ length: 28 }, (_, i) => ({
    uuid: crypto.randomUUID(), type: i === 0 ? 'domain' : 'ip-dst', category: 'Network activity', to_ids: i % 2 === 0,
    value: i === 0 ? orgOnlyValue : `198.51.100.${i + 1}`, distribution: i === 0 ? '0' : '5', timestamp: TS, comment: i === 1 ? 'first C2 seen' : '',
    ...(i === 1 ? { Tag: [{ name: 'kill-chain:Delivery' }] } : {}),
  }));
  return JSON.stringify({
    Event: {
      uuid: eventUuid, info, date: '2025-01-01', timestamp: TS, distribution: '1', analysis: '2', threat_level_id: '2',
      Orgc: { name: 'Fictional CSIRT', uuid: crypto.randomUUID() },
      Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }],
      Attribute: attrs,
      Object: [{
        uuid: crypto.randomUUID(), name: 'file', meta_category: 'file', distribution: '5', timestamp: TS,
        Attribute: [
          { uuid: crypto.randomUUID(), type: 'filename', category: 'Payload delivery', object_relation: 'filename', value: `invoice-${run}.pdf.exe`, to_ids: false, distribution: '5', timestamp: TS },
          { uuid: crypto.randomUUID(), type: 'sha256', category: 'Payload delivery', object_relation: 'sha256', value: 'a'.repeat(64), to_ids: true, distribution: '5', timestamp: TS },
        ],
      }],
    },
  });
}

before(async () => {
  // The platform pulls its own feed over 127.0.0.1; no background scheduler racing the "Pull now".
  portal = await startPortal({ REQUIRE_2FA_ROLES: '', WORKERS: 'false', FEEDS_ALLOW_PRIVATE: '127.0.0.1' });
  const db = portal.platform.database.db;
  analyst = await createTestUser(db, { org: { networkMember: true, role: 'member' }, displayName: 'Mia Misp' });
  subscriber = await createTestUser(db, { org: { networkMember: true, role: 'member' }, displayName: 'Sol Subscriber' });
  observer = await createTestUser(db, { org: { orgId: subscriber.orgId!, role: 'observer' }, displayName: 'Olga Observer' });
});
after(async () => {
  await portal?.close();
});

const signIn = (page: Page, u: TestUser) => signInAs(portal, page, u);
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name, exact: true }).click();
const storedEvents = async () =>
  Number((await rows<{ n: string }>(portal.platform.database.db, sql`SELECT count(*) AS n FROM misp_events WHERE event_uuid = ${eventUuid}::uuid`))[0]!.n);

test('import a MISP event file: preview (counts, TLP, distribution → scope), nothing stored, confirm, then the event and its attributes paged', async () => {
  const { page, context } = await portal.newPage();
  await signIn(page, analyst);
  await nav(page, 'MISP events');
  await page.getByRole('heading', { name: 'MISP events' }).waitFor();
  await page.getByText('No MISP event you may see yet.').waitFor();
  await checkScreen(page, 'misp-01-events-empty');
  await page.getByRole('link', { name: 'Import MISP events' }).click();
  await page.getByRole('heading', { name: 'Import MISP events' }).waitFor();

  await page.getByLabel('MISP event file (JSON)').setInputFiles({ name: 'phishing-wave.json', mimeType: 'application/json', buffer: Buffer.from(eventFile()) });
  await page.getByLabel('Widest sharing scope').selectOption('network');
  await checkScreen(page, 'misp-02-import-form');
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByRole('heading', { name: 'What will be created' }).waitFor();

  const totals = page.getByRole('list', { name: 'Totals of the preview' });
  assert.match(await totals.locator('[data-count="events"]').innerText(), /: 1$/);
  assert.match(await totals.locator('[data-count="attributes"]').innerText(), /: 30$/);
  assert.match(await totals.locator('[data-count="objects"]').innerText(), /: 1$/);
  assert.match(await totals.locator('[data-count="tags"]').innerText(), /: 3$/);
  const row = page.locator(`tr[data-preview-event="${eventUuid}"]`);
  assert.match(await row.innerText(), new RegExp(info));
  assert.equal(await row.locator('[data-tlp="green"]').count(), 1);
  assert.match(await row.locator('[data-distribution="1"]').innerText(), /This community only/);
  // The organisation-only attribute stays with the organisation; the rest (report, 29 attributes, the object) goes to the network.
  assert.match(await row.locator('[data-scope-count="org"]').innerText(), /\b1$/);
  assert.match(await row.locator('[data-scope-count="network"]').innerText(), /\b31$/);
  assert.equal(await storedEvents(), 0, 'the preview stores nothing');
  await checkScreen(page, 'misp-03-preview');

  await page.getByRole('button', { name: 'Import 1 event(s)' }).click();
  await page.getByRole('heading', { name: 'Result per event' }).waitFor();
  await page.locator(`[data-result-event="${eventUuid}"][data-status="imported"]`).waitFor();
  await page.getByText('1 of 1 event(s) imported.').waitFor();
  assert.equal(await storedEvents(), 1);
  await checkScreen(page, 'misp-04-result');

  await page.getByRole('link', { name: info }).click();
  await page.getByRole('heading', { name: info }).waitFor();
  await page.getByRole('heading', { name: 'Attributes (30)' }).waitFor();
  await page.getByLabel('Rows per page').selectOption('25');
  await page.getByText('Page 1 of 2').waitFor();
  assert.equal(await page.locator('tr[data-attribute]').count(), 25);
  // The analyst's own organisation sees its organisation-only attribute; the tag of the second is shown.
  await page.getByRole('link', { name: orgOnlyValue }).waitFor();
  assert.match(await page.locator('tr[data-attribute]').nth(1).innerText(), /kill-chain:Delivery/);
  await checkScreen(page, 'misp-05-event-page-1');
  await page.getByRole('button', { name: 'Last page' }).click();
  await page.getByText('Page 2 of 2').waitFor();
  assert.equal(await page.locator('tr[data-attribute]').count(), 5);
  await page.getByRole('link', { name: 'a'.repeat(64) }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled());
  await page.getByRole('button', { name: 'First page' }).click();
  await page.getByText('Page 1 of 2').waitFor();

  await page.getByRole('link', { name: 'All MISP events' }).click();
  await page.locator(`tr[data-event="${eventUuid}"]`).waitFor();
  assert.match(await page.locator(`tr[data-event="${eventUuid}"]`).innerText(), /30\s+1/);
  await checkScreen(page, 'misp-06-events');

  await page.getByRole('link', { name: 'MISP feed export' }).click();
  await page.getByRole('heading', { name: 'MISP feed export' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'MISP feed URL of Trusted network' }).inputValue(), `${portal.base}/api/intel/misp/feeds/network`);
  assert.equal(await page.getByRole('textbox', { name: `MISP feed URL of Test org ${analyst.orgId!.slice(0, 8)}`, exact: false }).inputValue(),
    `${portal.base}/api/intel/misp/feeds/org-${analyst.orgId}`);
  await page.getByText('In the feed\'s headers put: Authorization: Bearer <YOUR-API-TOKEN>').waitFor();
  await checkScreen(page, 'misp-07-feed-export');
  await page.getByRole('link', { name: 'TAXII access screen' }).click();
  await page.getByRole('heading', { name: 'Collections and TAXII access' }).waitFor();
  await context.close();
});

test('subscribe to this platform\'s network MISP feed with a token, pull now: success, nothing organisation-only arrives; observer sees no actions; disable and delete', async () => {
  const feedName = `Network feed ${run}`;
  const { page, context } = await portal.newPage();
  await signIn(page, subscriber);
  await nav(page, 'TAXII access');
  await page.getByRole('heading', { name: 'Collections and TAXII access' }).waitFor();
  await page.getByRole('checkbox', { name: 'Also allow the MISP feed and the REST API (intel:read)' }).click({ force: true });
  await page.getByRole('button', { name: 'Create a TAXII token' }).click();
  await page.locator('[data-token-created]').waitFor();
  const token = await page.locator('input[name="taxii-token"]').inputValue();
  assert.match(token, /^hs_/);

  await nav(page, 'Feeds');
  await page.getByRole('heading', { name: 'Feed subscriptions' }).waitFor();
  await page.getByText('No feed subscription yet.').waitFor();
  await checkScreen(page, 'misp-08-feeds-empty');
  await page.getByLabel('Kind of feed').selectOption('misp');
  await page.getByLabel('Name', { exact: true }).fill(feedName);
  await page.getByLabel('Feed URL').fill(`${portal.base}/api/intel/misp/feeds/network/`);
  await page.getByLabel('Authorization header (optional)').fill(`Bearer ${token}`);
  await page.getByLabel('Pull interval').selectOption('360');
  await page.getByLabel('TLP for objects without a TLP marking').selectOption('green');
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await page.getByText(`Subscribed to "${feedName}".`, { exact: false }).waitFor();
  const item = page.locator('li[data-feed]');
  await item.locator('[data-feed-state="pending"]').waitFor();
  assert.match(await item.locator('[data-field="lastSuccess"]').innerText(), /Never/);
  assert.match(await item.innerText(), /Stored \(not shown\)/);
  assert.equal(await page.getByText(token).count(), 0, 'the credentials are never shown back');

  await page.getByRole('button', { name: `Pull now: ${feedName}` }).click();
  await item.locator('[data-feed-state="ok"]').waitFor({ timeout: 30_000 });
  const pulled = await item.getByText(/^Pulled: \d+ new object\(s\)\.$/).innerText();
  assert.ok(Number(/(\d+)/.exec(pulled)![1]) > 0, pulled);
  assert.doesNotMatch(await item.locator('[data-field="lastSuccess"]').innerText(), /Never/);
  assert.match(await item.locator('[data-field="lastError"]').innerText(), /^None$/);
  assert.match(await item.locator('[data-field="added"]').innerText(), /^[1-9]\d* in the last pull, [1-9]\d* in all$/);
  await checkScreen(page, 'misp-09-feed-pulled');

  // What arrived belongs to the subscriber's organisation, without the organisation-only attribute.
  const got = await rows<{ owner_org_id: string; attribute_count: number; source: string }>(portal.platform.database.db, sql`
    SELECT owner_org_id, attribute_count, source FROM misp_events WHERE event_uuid = ${eventUuid}::uuid AND owner_org_id = ${subscriber.orgId}::uuid`);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.attribute_count, 29);
  assert.match(got[0]!.source, /^feed:/);
  await nav(page, 'MISP events');
  await page.locator(`tr[data-event="${eventUuid}"]`).first().waitFor();
  assert.match(await page.locator(`tr[data-event="${eventUuid}"]`).first().innerText(), /Feed subscription|Imported/);
  await page.goto(`${portal.base}/intel/misp/${eventUuid}?page=0&size=500`);
  await page.getByRole('heading', { name: info }).waitFor();
  await page.locator('tr[data-attribute]').first().waitFor();
  assert.equal(await page.getByText(orgOnlyValue).count(), 0, 'the organisation-only attribute is not shown to another organisation');
  await context.close();

  // An observer of the subscribing organisation sees the status, but no action and no form.
  const obs = await portal.newPage();
  await signIn(obs.page, observer);
  await obs.page.goto(`${portal.base}/intel/feeds`);
  await obs.page.locator('li[data-feed] [data-feed-state="ok"]').waitFor();
  await obs.page.getByText('Only members of an organisation (not observers) can subscribe to feeds.').waitFor();
  assert.equal(await obs.page.getByRole('button', { name: `Pull now: ${feedName}` }).count(), 0);
  assert.equal(await obs.page.getByRole('button', { name: `Delete: ${feedName}` }).count(), 0);
  await checkScreen(obs.page, 'misp-10-feeds-observer');
  await obs.context.close();

  const again = await portal.newPage();
  await signIn(again.page, subscriber);
  await again.page.goto(`${portal.base}/intel/feeds`);
  const feed = again.page.locator('li[data-feed]');
  await again.page.getByRole('button', { name: `Disable: ${feedName}` }).click();
  await feed.locator('[data-feed-state="disabled"]').waitFor();
  await again.page.getByText('Paused').waitFor();
  await again.page.getByRole('button', { name: `Delete: ${feedName}` }).click();
  await again.page.getByText('Delete this subscription? Objects already pulled stay.').waitFor();
  await again.page.getByRole('button', { name: 'Yes, delete' }).click();
  await again.page.getByText('No feed subscription yet.').waitFor();
  const left = await rows<{ n: string }>(portal.platform.database.db, sql`SELECT count(*) AS n FROM intel_feeds WHERE org_id = ${subscriber.orgId}::uuid`);
  assert.equal(Number(left[0]!.n), 0);
  await again.context.close();
  assert.deepEqual(portal.offsite, []);
});
