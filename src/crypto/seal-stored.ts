/**
 * At start: seals the secrets stored in plain text before sealing existed (TOTP seeds, feed
 * authorization headers; idempotent, compare-and-set so that a concurrent change wins), and checks
 * that this node's passphrase is the one the database's secrets are sealed with.
 */
import { sql } from 'drizzle-orm';
import { rows, type DbOrTx } from '../db/client.ts';
import { totpContext } from '../auth/two-factor.command.ts';
import { feedContext } from '../intel/feeds/feeds.command.ts';
import { SEALED_PREFIX, type SecretBox } from './secret-box.ts';

export async function sealStoredSecrets(db: DbOrTx, box: SecretBox): Promise<number> {
  let sealed = 0;
  const sealedPattern = `${SEALED_PREFIX}%`;
  for (const r of await rows<{ user_id: string; secret: string }>(db, sql`SELECT user_id, secret FROM totp_factors WHERE secret NOT LIKE ${sealedPattern}`)) {
    const res = await rows(db, sql`UPDATE totp_factors SET secret = ${box.seal(r.secret, totpContext(r.user_id))}
      WHERE user_id = ${r.user_id}::uuid AND secret = ${r.secret} RETURNING 1`);
    sealed += res.length;
  }
  for (const r of await rows<{ id: string; authorization: string }>(db, sql`SELECT id, "authorization" FROM intel_feeds WHERE "authorization" NOT LIKE ${sealedPattern}`)) {
    const res = await rows(db, sql`UPDATE intel_feeds SET "authorization" = ${box.seal(r.authorization, feedContext(r.id))}
      WHERE id = ${r.id}::uuid AND "authorization" = ${r.authorization} RETURNING 1`);
    sealed += res.length;
  }
  return sealed;
}

const CHECK_SETTING = 'secret_box_check';

/**
 * Whether this node's box opens what the database's secrets are sealed with: a sealed marker kept in
 * platform_settings (written by the first node to start). False means this node was given another
 * passphrase than the others (several nodes, each with its own DATA_DIR/platform-key.passphrase and
 * no shared PLATFORM_KEY_PASSPHRASE): it could not open TOTP seeds or feed credentials.
 */
export async function secretBoxMatches(db: DbOrTx, box: SecretBox): Promise<boolean> {
  await db.execute(sql`INSERT INTO platform_settings (key, value) VALUES (${CHECK_SETTING}, ${JSON.stringify({ sealed: box.seal('hemisphere', CHECK_SETTING) })}::jsonb)
    ON CONFLICT (key) DO NOTHING`);
  const [row] = await rows<{ sealed: string }>(db, sql`SELECT value->>'sealed' AS sealed FROM platform_settings WHERE key = ${CHECK_SETTING}`);
  try {
    return box.open(row!.sealed, CHECK_SETTING) === 'hemisphere';
  } catch {
    return false;
  }
}
