/** Secrets at rest: sealed with a key from the platform passphrase, bound to their place; plain values of before are sealed at start. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../../test/harness.ts';
import { createTestUser } from '../auth/test-helpers.ts';
import { rows } from '../db/client.ts';
import { sealStoredSecrets, secretBoxMatches } from './seal-stored.ts';
import { isSealed, secretBoxWith } from './secret-box.ts';

const dbs: TestDb[] = [];
after(async () => { for (const d of dbs) await d.drop(); });

test('a sealed secret opens with the same passphrase and place only; plain values pass through', () => {
  const box = secretBoxWith('correct horse battery staple');
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
  assert.ok(isSealed(sealed) && !sealed.includes('JBSWY3DPEHPK3PXP'));
  assert.notEqual(box.seal('JBSWY3DPEHPK3PXP', 'totp:u1'), sealed, 'a fresh nonce each time');
  assert.equal(box.open(sealed, 'totp:u1'), 'JBSWY3DPEHPK3PXP');
  assert.throws(() => box.open(sealed, 'totp:u2'), /does not open/, 'copied onto another row, it does not open');
  assert.throws(() => secretBoxWith('another passphrase').open(sealed, 'totp:u1'), /PLATFORM_KEY_PASSPHRASE/);
  const bytes = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
  bytes[bytes.length - 1]! ^= 0x01; // one bit of the ciphertext flipped
  const tampered = `sealed:v1:${bytes.toString('base64url')}`;
  assert.throws(() => box.open(tampered, 'totp:u1'), /does not open/);
  assert.equal(box.open('Bearer plain-from-before', 'feed:f1'), 'Bearer plain-from-before');
});

test('secrets stored in plain text before sealing existed are sealed at start, once', async () => {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  const box = secretBoxWith('start passphrase');
  const u = await createTestUser(db, { twoFactor: true, org: {} }); // stores its seed in plain text, as before sealing
  const org = u.orgId!;
  await db.execute(sql`INSERT INTO intel_feeds (id, org_id, name, kind, url, "authorization", tlp_default, scope, interval_minutes)
    VALUES (gen_random_uuid(), ${org}::uuid, 'old feed', 'taxii', 'https://feeds.example.org/c/', 'Bearer old-token', 'amber', 'org', 60)`);
  const [before] = await rows<{ secret: string }>(db, sql`SELECT secret FROM totp_factors WHERE user_id = ${u.id}`);
  assert.ok(!isSealed(before!.secret));

  assert.equal(await sealStoredSecrets(db, box), 2);
  assert.equal(await sealStoredSecrets(db, box), 0, 'idempotent');
  const [totp] = await rows<{ secret: string }>(db, sql`SELECT secret FROM totp_factors WHERE user_id = ${u.id}`);
  const [feed] = await rows<{ id: string; authorization: string }>(db, sql`SELECT id, "authorization" FROM intel_feeds WHERE name = 'old feed'`);
  assert.equal(box.open(totp!.secret, `totp:${u.id}`), before!.secret);
  assert.equal(box.open(feed!.authorization, `feed:${feed!.id}`), 'Bearer old-token');
});

test("a node whose passphrase is not the one the database's secrets are sealed with is told so", async () => {
  const t = await createTestDb();
  dbs.push(t);
  const db = t.database.db;
  assert.equal(await secretBoxMatches(db, secretBoxWith('first node')), true, 'the first node sets the marker');
  assert.equal(await secretBoxMatches(db, secretBoxWith('first node')), true, 'the same passphrase opens it');
  assert.equal(await secretBoxMatches(db, secretBoxWith('another node')), false);
});
