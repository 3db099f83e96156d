/** The platform OpenPGP key: generated once (v4 Ed25519 + Cv25519), kept encrypted, reopened, used to sign and encrypt. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { createTestDb, tempDir } from '../../test/harness.ts';
import { encryptFor, platformKey, platformPublicKey, signDetached, verifyDetached } from './platform-key.ts';

const t = await createTestDb();
const dataDir = tempDir('pgpkey');
after(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
const cfg = { dataDir, publisher: { name: 'Test network', contact: 'csirt@test.example' } };

test('generated on first use, stored once, reopened with the passphrase file; concurrent first uses agree', async () => {
  const [a, b] = await Promise.all([platformKey(t.database.db, cfg), platformKey(t.database.db, { ...cfg })]);
  assert.equal(a.fingerprint, b.fingerprint);
  const key = await openpgp.readKey({ armoredKey: a.armoredPublicKey });
  assert.equal(key.keyPacket.version, 4);
  assert.equal(key.getAlgorithmInfo().algorithm, 'eddsaLegacy');
  assert.equal(key.subkeys[0]!.getAlgorithmInfo().algorithm, 'ecdh');
  assert.ok(fs.existsSync(path.join(dataDir, 'platform-key.passphrase')));
  const row = await t.database.pglite?.query<{ value: { armoredPrivateKey: string } }>("SELECT value FROM platform_settings WHERE key = 'platform_openpgp_key'");
  if (row) {
    const priv = await openpgp.readPrivateKey({ armoredKey: row.rows[0]!.value.armoredPrivateKey });
    assert.equal(priv.isDecrypted(), false, 'the stored private key is encrypted');
  }
  // a different passphrase cannot open it
  await assert.rejects(platformKey(t.database.db, { ...cfg, platformKeyPassphrase: 'a wrong passphrase' }), /passphrase/);
});

test('signDetached verifies with platformPublicKey; encryptFor decrypts with the recipient key and carries the platform signature', async () => {
  const pub = await platformPublicKey(t.database.db, cfg);
  const sig = await signDetached(t.database.db, cfg, 'advisory text');
  assert.equal(await verifyDetached(pub.armored, 'advisory text', sig), true);
  assert.equal(await verifyDetached(pub.armored, 'advisory text!', sig), false);

  const recipient = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'r@test.example' }], format: 'armored' });
  const armored = await encryptFor(t.database.db, cfg, [recipient.publicKey], 'TLP:AMBER content');
  assert.match(armored, /BEGIN PGP MESSAGE/);
  const { data, signatures } = await openpgp.decrypt({
    message: await openpgp.readMessage({ armoredMessage: armored }),
    decryptionKeys: await openpgp.readPrivateKey({ armoredKey: recipient.privateKey }),
    verificationKeys: await openpgp.readKey({ armoredKey: pub.armored }),
  });
  assert.equal(data, 'TLP:AMBER content');
  assert.equal(await signatures[0]!.verified, true);
});
