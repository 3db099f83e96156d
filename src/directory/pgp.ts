/**
 * Parsing armoured OpenPGP public keys with `openpgp`: fingerprint, user IDs, algorithm, creation,
 * expiry, revoked. Malformed input, private keys and key rings are refused with a clear error.
 */
import * as openpgp from 'openpgp';
import { invalid } from '../core/errors.ts';

export type ParsedKey = {
  fingerprint: string; userIds: string[]; algorithm: string; bits: number | null;
  createdAt: Date; expiresAt: Date | null; revoked: boolean; armored: string;
};

export async function parsePublicKey(armored: string): Promise<ParsedKey> {
  const text = armored.trim();
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) {
    throw invalid('This is a private key: upload the public key only (and consider it compromised)', [{ path: 'armored', message: 'private key', code: 'private_key' }]);
  }
  if (!/-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(text)) {
    throw invalid('Not an armoured OpenPGP public key (expected -----BEGIN PGP PUBLIC KEY BLOCK-----)', [{ path: 'armored', message: 'not armoured', code: 'not_armored' }]);
  }
  if ((text.match(/-----BEGIN PGP PUBLIC KEY BLOCK-----/g) ?? []).length > 1) {
    throw invalid('Upload exactly one key', [{ path: 'armored', message: 'several key blocks', code: 'key_count' }]);
  }
  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: text });
  } catch (err) {
    throw invalid(`The key cannot be read: ${(err as Error).message.slice(0, 200)}`, [{ path: 'armored', message: 'malformed key', code: 'malformed' }]);
  }
  if (keys.length !== 1) throw invalid('Upload exactly one key', [{ path: 'armored', message: `${keys.length} keys in the block`, code: 'key_count' }]);
  const key = keys[0]!;
  const revoked = await key.isRevoked();
  let expiresAt: Date | null = null;
  try {
    const exp = await key.getExpirationTime();
    expiresAt = exp instanceof Date ? exp : null;
  } catch {
    expiresAt = null;
  }
  // An expired key has no valid primary user now: read its expiry as of its creation.
  if (!expiresAt && !revoked) {
    const sig = key.users.flatMap((u) => u.selfCertifications).sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0))[0];
    if (sig?.keyExpirationTime) expiresAt = new Date(key.getCreationTime().getTime() + sig.keyExpirationTime * 1000);
  }
  const info = key.getAlgorithmInfo() as { algorithm: string; bits?: number; curve?: string };
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    algorithm: info.curve ? `${info.algorithm} (${info.curve})` : info.algorithm,
    bits: info.bits ?? null,
    createdAt: key.getCreationTime(),
    expiresAt,
    revoked,
    armored: key.armor(),
  };
}
