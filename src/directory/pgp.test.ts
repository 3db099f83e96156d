/** OpenPGP keys generated in the test: valid, expired, revoked, expiring soon, garbage, private. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as openpgp from 'openpgp';
import { DomainError } from '../core/errors.ts';
import { parsePublicKey } from './pgp.ts';

const DAY = 86_400_000;

test('a valid key: fingerprint, user IDs, algorithm, creation, no expiry', async () => {
  const k = await openpgp.generateKey({ userIDs: [{ name: 'CERT Test', email: 'cert@test.example' }], format: 'object' });
  const p = await parsePublicKey(k.publicKey.armor());
  assert.equal(p.fingerprint, k.publicKey.getFingerprint().toUpperCase());
  assert.match(p.fingerprint, /^[0-9A-F]{40,64}$/);
  assert.deepEqual(p.userIds, ['CERT Test <cert@test.example>']);
  assert.match(p.algorithm, /ecc|eddsa|ed25519/i);
  assert.equal(p.createdAt.getTime(), k.publicKey.getCreationTime().getTime());
  assert.equal(p.expiresAt, null);
  assert.equal(p.revoked, false);
  assert.doesNotMatch(p.armored, /PRIVATE/);
});

test('an RSA key reports its size', async () => {
  const k = await openpgp.generateKey({ type: 'rsa', rsaBits: 2048, userIDs: [{ email: 'rsa@test.example' }], format: 'armored' });
  const p = await parsePublicKey(k.publicKey);
  assert.match(p.algorithm, /rsa/i);
  assert.equal(p.bits, 2048);
});

test('an expired key is read with its past expiry', async () => {
  const created = new Date(Date.now() - 10 * DAY);
  const k = await openpgp.generateKey({ userIDs: [{ email: 'old@test.example' }], date: created, keyExpirationTime: 86_400, format: 'armored' });
  const p = await parsePublicKey(k.publicKey);
  assert.ok(p.expiresAt, 'expiry known');
  assert.ok(Math.abs(p.expiresAt.getTime() - (created.getTime() + DAY)) < 2000);
  assert.ok(p.expiresAt < new Date());
  assert.equal(p.revoked, false);
});

test('a key expiring in ten days reports that expiry', async () => {
  const k = await openpgp.generateKey({ userIDs: [{ email: 'soon@test.example' }], keyExpirationTime: 10 * 86_400, format: 'armored' });
  const p = await parsePublicKey(k.publicKey);
  assert.ok(p.expiresAt && p.expiresAt.getTime() - Date.now() > 9 * DAY && p.expiresAt.getTime() - Date.now() <= 10 * DAY + 2000);
});

test('a revoked key is flagged revoked', async () => {
  const k = await openpgp.generateKey({ userIDs: [{ email: 'rev@test.example' }], format: 'object' });
  const r = await openpgp.revokeKey({ key: k.privateKey, format: 'armored' });
  const p = await parsePublicKey(r.publicKey);
  assert.equal(p.revoked, true);
});

test('garbage, a damaged block, two keys and a private key are refused with clear errors', async () => {
  const a = await openpgp.generateKey({ userIDs: [{ email: 'a@test.example' }], format: 'armored' });
  const b = await openpgp.generateKey({ userIDs: [{ email: 'b@test.example' }], format: 'armored' });
  const body = a.publicKey.split('\n');
  const damaged = [...body.slice(0, 3), body[3]!.replace(/[A-Za-z]/g, 'Q'), ...body.slice(4)].join('\n');
  const cases: [string, string][] = [
    ['hello, this is not a key', 'not_armored'],
    ['-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAAAAAA\n-----END PGP PUBLIC KEY BLOCK-----', 'malformed'],
    [damaged, 'malformed'],
    [a.privateKey, 'private_key'],
  ];
  for (const [text, code] of cases) {
    await assert.rejects(parsePublicKey(text), (e: unknown) => e instanceof DomainError && e.code === 'validation_failed' && e.details?.issues?.[0]?.code === code, code);
  }
  const two = `${a.publicKey}\n${b.publicKey}`;
  await assert.rejects(parsePublicKey(two), (e: unknown) => e instanceof DomainError && e.code === 'validation_failed');
});
