/**
 * Which key an AMBER alert is encrypted to: only a key the recipient's own team published for their
 * address. A key another team publishes with someone else's address in its user ID is never used —
 * the recipient then gets their own team's key, or the notice with a link (readable after sign-in).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import * as openpgp from 'openpgp';
import { startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { createTestUser, type TestUser } from '../auth/test-helpers.ts';
import { system } from '../core/actor.ts';
import { newId } from '../core/ids.ts';
import { pgpKeys } from '../directory/tables.ts';
import type { Composed } from './compose.ts';
import { createCampaign, sendCampaign } from './campaigns.command.ts';
import { START_TOPIC, startHandler, TICK_TOPIC, tickHandler } from './delivery.ts';
import { createList } from './lists.command.ts';
import { deliverySettings } from './runtime.ts';
import { runPending } from './test-support.ts';

let p: TestPlatform;
let withOwnKey: TestUser, withoutKey: TestUser, hostile: TestUser;
const meta = { actor: system('test') };

async function publish(orgId: string, emails: string[], created: Date) {
  const k = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: emails.map((email) => ({ name: 'K', email })), date: created, format: 'armored' });
  const pub = await openpgp.readKey({ armoredKey: k.publicKey });
  await p.database.db.insert(pgpKeys).values({
    id: newId(), orgId, fingerprint: pub.getFingerprint().toUpperCase(), userIds: pub.getUserIDs(), algorithm: 'eddsa', keyCreatedAt: created, armored: k.publicKey,
  });
  return pub.getFingerprint();
}

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', WORKERS: 'false' });
  const db = p.database.db;
  withOwnKey = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  withoutKey = await createTestUser(db, { org: { networkMember: true, role: 'member' } });
  hostile = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
});
after(() => p.close());

test("an AMBER alert is never encrypted to a key another team published with the recipient's address", async () => {
  const own = await publish(withOwnKey.orgId!, [withOwnKey.email], new Date('2024-01-01T00:00:00Z'));
  // A newer key on the hostile team's entry naming both other people's addresses.
  const planted = await publish(hostile.orgId!, [withOwnKey.email, withoutKey.email], new Date(Date.now() - 60_000));
  const db = p.database.db;
  const list = await createList(db, meta, { slug: `k-${Date.now().toString(36)}`, name: 'Network alerts', description: '', kind: 'members', audience: { type: 'network_members' }, topics: [] });
  const c = await createCampaign(db, meta, { listId: list.id, subject: { en: 'AMBER alert' }, body: { en: 'AMBER body' }, topic: null, tlp: 'amber', ratePerSecond: null });
  await sendCampaign(db, meta, c.id);
  await runPending(p.database.db, START_TOPIC, startHandler(p.database));
  const sent: Composed[] = [];
  const tick = tickHandler(p.database, deliverySettings(p.database, p.config), { send: async (m) => { sent.push(m); }, close() {} });
  for (let i = 0; i < 5 && (await runPending(p.database.db, TICK_TOPIC, tick)); i++);

  const to = (u: TestUser) => sent.find((m) => m.envelope.to === u.email)!;
  assert.equal(to(withOwnKey).variant, 'encrypted');
  const armored = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(to(withOwnKey).raw)![0];
  const keyIds = (await openpgp.readMessage({ armoredMessage: armored })).getEncryptionKeyIDs().map((k) => k.toHex());
  const subkeysOf = async (fp: string) => {
    const [row] = await db.select({ armored: pgpKeys.armored }).from(pgpKeys).where(eq(pgpKeys.fingerprint, fp.toUpperCase()));
    return (await openpgp.readKey({ armoredKey: row!.armored })).getKeys().map((k) => k.getKeyID().toHex());
  };
  const [ownIds, plantedIds] = [await subkeysOf(own), await subkeysOf(planted)];
  assert.ok(keyIds.some((k) => ownIds.includes(k)), "encrypted to the key of the recipient's own team");
  assert.ok(!keyIds.some((k) => plantedIds.includes(k)), 'never to the planted key');
  assert.equal(to(withoutKey).variant, 'notice', 'no key of their own team: the notice, not the planted key');
  assert.ok(!to(withoutKey).raw.includes('AMBER body'));
});
