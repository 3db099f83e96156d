/**
 * A national-CSIRT-leads list reaches the leads' teams, not the whole network: its AMBER alert is
 * readable in the archive by the leads and their teams (TLP:AMBER: the recipient's organisation),
 * never by a network team that was not sent it, nor by anyone outside.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../auth/test-helpers.ts';
import { newId } from '../core/ids.ts';
import { untilStatus } from './test-support.ts';

let p: TestPlatform;
let coord: ReturnType<typeof apiClient>;
let lead: TestUser, leadsColleague: TestUser, otherTeam: TestUser, stakeholder: TestUser;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', MAILING_RATE_PER_SECOND: '500' });
  const db = p.database.db;
  coord = apiClient(p.url, await sessionFor(db, (await createTestUser(db, { platformRole: 'coordinator' })).id));
  lead = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  leadsColleague = await createTestUser(db, { org: { orgId: lead.orgId, role: 'observer' } });
  // A network team with no lead on the list (no org_admin): never a recipient.
  otherTeam = await createTestUser(db, { org: { networkMember: true, role: 'member', countryCode: 'AR' } });
  stakeholder = await createTestUser(db, { org: { networkMember: false, role: 'org_admin' } });
});
after(() => p.close());

test('an AMBER alert to the national CSIRT leads: their teams read it in the archive, other network teams get 404', async () => {
  let r = await coord('/api/mailing/lists', { body: { slug: `leads-${newId().slice(0, 8)}`, name: 'National CSIRT leads', kind: 'members', audience: { type: 'national_csirt_leads' } } });
  assert.equal(r.status, 201, await r.clone().text());
  const list = await json(r);
  r = await coord('/api/mailing/campaigns', { body: { listId: list.id, tlp: 'amber', subject: { en: 'Leads only' }, body: { en: 'AMBER for the leads.' } } });
  assert.equal(r.status, 201, await r.clone().text());
  const id = (await json(r)).id as string;
  assert.equal((await coord(`/api/mailing/campaigns/${id}/send`, { body: {} })).status, 200);
  await untilStatus(p.database.db, id, 'sent');

  const as = async (u?: TestUser) => (u ? apiClient(p.url, await sessionFor(p.database.db, u.id)) : apiClient(p.url));
  const cases: [string, TestUser | undefined, boolean][] = [
    ['the lead', lead, true], ["the lead's colleague", leadsColleague, true],
    ['another network team', otherTeam, false], ['a stakeholder', stakeholder, false], ['anonymous', undefined, false],
  ];
  for (const [who, user, sees] of cases) {
    const c = await as(user);
    const one = await c(`/api/mailing/archive/${id}`);
    assert.equal(one.status, sees ? 200 : 404, `${who} by id`);
    const items = (await json(await c('/api/mailing/archive'))).items as { id: string }[];
    assert.equal(items.some((i) => i.id === id), sees, `${who} in the list`);
  }
});
