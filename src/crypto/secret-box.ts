/**
 * Secrets the platform must be able to read back (TOTP seeds, feed credentials) are kept sealed in
 * the database: AES-256-GCM under a key derived (HKDF-SHA-256) from the platform's passphrase
 * (`passphraseOf`: PLATFORM_KEY_PASSPHRASE or DATA_DIR/platform-key.passphrase), which is not in the
 * database. A copy of the database alone (a dump, a stolen backup) then reveals none of them.
 *
 * Each sealed value is bound to where it is kept (`context`, e.g. `totp:<user id>`) as associated
 * data, so a sealed value copied onto another row does not open. Values written before sealing
 * existed are plain text: `open` passes them through, and `sealStoredSecrets` (at start) seals them.
 */
import crypto from 'node:crypto';
import { passphraseOf } from './platform-key.ts';

export const SEALED_PREFIX = 'sealed:v1:';

export type SecretBox = {
  seal(plain: string, context: string): string;
  /** The secret; a value that is not sealed (stored before sealing existed) is returned as it is. */
  open(stored: string, context: string): string;
};

export const isSealed = (v: string): boolean => v.startsWith(SEALED_PREFIX);

/** A box for this key material (the passphrase itself, for tests; else from the configuration). */
export function secretBoxWith(passphrase: string): SecretBox {
  const key = Buffer.from(crypto.hkdfSync('sha256', passphrase, 'hemisphere/secret-box', 'v1', 32));
  return {
    seal(plain, context) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
      try {
        const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAAD(Buffer.from(context, 'utf8'));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new Error(`a sealed secret (${context.split(':')[0]}) does not open: check PLATFORM_KEY_PASSPHRASE or DATA_DIR/platform-key.passphrase`);
      }
    },
  };
}

const boxes = new Map<string, SecretBox>();

/** The platform's box (one per passphrase, made once). */
export function secretBoxFor(cfg: { dataDir: string; platformKeyPassphrase?: string | undefined }): SecretBox {
  const k = `${cfg.platformKeyPassphrase ?? ''}\0${cfg.dataDir}`;
  let box = boxes.get(k);
  if (!box) boxes.set(k, (box = secretBoxWith(passphraseOf(cfg))));
  return box;
}
