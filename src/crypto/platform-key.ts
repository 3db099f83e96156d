/**
 * The platform's own OpenPGP key: signs CSAF documents and member alerts, and is what recipients
 * verify against. Generated on first use with openpgp 6 as a v4 key (Ed25519 "legacy" primary for
 * signing, Cv25519 subkey for encryption) so that GnuPG users can read it. Stored in
 * platform_settings under `platform_openpgp_key`, the private part encrypted with a passphrase that
 * is either configured (PLATFORM_KEY_PASSPHRASE, needed when several nodes share one database) or
 * generated once into DATA_DIR/platform-key.passphrase (mode 0600).
 *
 * Concurrent first uses (two requests, two nodes) are safe: the insert is ON CONFLICT DO NOTHING and
 * everyone then reads the one row that won.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { eq } from 'drizzle-orm';
import { platformSettings } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';

export const PLATFORM_KEY_SETTING = 'platform_openpgp_key';

export type KeyConfig = { dataDir: string; platformKeyPassphrase?: string | undefined; publisher: { name: string; contact: string } };

type StoredKey = { armoredPrivateKey: string; armoredPublicKey: string; fingerprint: string; createdAt: string };

export type PlatformKey = {
  fingerprint: string;
  /** The armored public key (primary + encryption subkey, user id). */
  armoredPublicKey: string;
  /** An armored detached signature over the exact bytes given. */
  signDetached(data: string | Uint8Array): Promise<string>;
  /** Encrypts (and signs with the platform key) a text to every recipient key given. */
  encryptFor(armoredRecipientKeys: string[], text: string): Promise<string>;
};

const cache = new WeakMap<object, Map<string, Promise<PlatformKey>>>();

/**
 * The platform's own passphrase: PLATFORM_KEY_PASSPHRASE, else DATA_DIR/platform-key.passphrase
 * (generated once, mode 0600). It opens the platform's signing key and the secrets kept at rest
 * (src/crypto/secret-box.ts): keep it safe as well, apart from the database's backups.
 */
export function passphraseOf(cfg: Pick<KeyConfig, 'dataDir' | 'platformKeyPassphrase'>): string {
  if (cfg.platformKeyPassphrase) return cfg.platformKeyPassphrase;
  const file = path.join(cfg.dataDir, 'platform-key.passphrase');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  const value = crypto.randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
}

async function loadOrCreate(db: DbOrTx, cfg: KeyConfig): Promise<PlatformKey> {
  const passphrase = passphraseOf(cfg);
  const read = async () =>
    (await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, PLATFORM_KEY_SETTING)))[0]
      ?.value as StoredKey | undefined;
  let stored = await read();
  if (!stored) {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: 'ecc', curve: 'curve25519Legacy', format: 'armored', passphrase,
      userIDs: [{ name: `${cfg.publisher.name} (platform signing key)`, email: cfg.publisher.contact }],
    });
    const fingerprint = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
    const value: StoredKey = { armoredPrivateKey: privateKey, armoredPublicKey: publicKey, fingerprint, createdAt: new Date().toISOString() };
    await db.insert(platformSettings).values({ key: PLATFORM_KEY_SETTING, value }).onConflictDoNothing();
    stored = await read();
    if (!stored) throw new Error('platform key: could not store the generated key');
  }
  let privateKey: openpgp.PrivateKey;
  try {
    privateKey = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: stored.armoredPrivateKey }), passphrase });
  } catch {
    throw new Error('platform key: the passphrase does not open the stored private key (check PLATFORM_KEY_PASSPHRASE or DATA_DIR/platform-key.passphrase)');
  }
  return {
    fingerprint: stored.fingerprint,
    armoredPublicKey: stored.armoredPublicKey,
    async signDetached(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const message = await openpgp.createMessage({ binary: bytes });
      return (await openpgp.sign({ message, signingKeys: privateKey, detached: true, format: 'armored' })) as string;
    },
    async encryptFor(armoredRecipientKeys, text) {
      if (armoredRecipientKeys.length === 0) throw new Error('encryptFor: no recipient key');
      const encryptionKeys = await Promise.all(armoredRecipientKeys.map((armoredKey) => openpgp.readKey({ armoredKey })));
      const message = await openpgp.createMessage({ text });
      return (await openpgp.encrypt({ message, encryptionKeys, signingKeys: privateKey, format: 'armored' })) as string;
    },
  };
}

/**
 * The platform key for this database (generated on first use, then cached per database handle).
 * `db` should be the platform's Db (not a transaction): the key outlives any one transaction.
 */
export function platformKey(db: DbOrTx, cfg: KeyConfig): Promise<PlatformKey> {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const k = `${cfg.dataDir}\0${cfg.platformKeyPassphrase ?? ''}`;
  let p = perDb.get(k);
  if (!p) {
    p = loadOrCreate(db, cfg);
    perDb.set(k, p);
    p.catch(() => perDb.delete(k));
  }
  return p;
}

/** An armored detached signature by the platform key over `data` (exact bytes). */
export async function signDetached(db: DbOrTx, cfg: KeyConfig, data: string | Uint8Array): Promise<string> {
  return (await platformKey(db, cfg)).signDetached(data);
}

/** The platform's armored public key and its fingerprint (uppercase hex). */
export async function platformPublicKey(db: DbOrTx, cfg: KeyConfig): Promise<{ armored: string; fingerprint: string }> {
  const k = await platformKey(db, cfg);
  return { armored: k.armoredPublicKey, fingerprint: k.fingerprint };
}

/** Encrypts `text` to the given recipients' public keys, signed by the platform key. */
export async function encryptFor(db: DbOrTx, cfg: KeyConfig, armoredRecipientKeys: string[], text: string): Promise<string> {
  return (await platformKey(db, cfg)).encryptFor(armoredRecipientKeys, text);
}

/** Verifies an armored detached signature over `data` with an armored public key (used by tests and consumers). */
export async function verifyDetached(armoredPublicKey: string, data: string | Uint8Array, armoredSignature: string): Promise<boolean> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const result = await openpgp.verify({
    message: await openpgp.createMessage({ binary: bytes }),
    signature: await openpgp.readSignature({ armoredSignature }),
    verificationKeys: await openpgp.readKey({ armoredKey: armoredPublicKey }),
  });
  try {
    return (await result.signatures[0]!.verified) === true;
  } catch {
    return false;
  }
}
