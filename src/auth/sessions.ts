/**
 * Server-side sessions: the cookie holds a random value, the database its sha256. Revocation
 * (logout, "sign out everywhere") takes effect on the next request.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { randomSecret, sha256 } from '../core/ids.ts';
import { sessions } from '../core/tables.ts';
import type { DbOrTx } from '../db/client.ts';

export const SESSION_COOKIE = 'hs_session';
export const SESSION_TTL_MS = 12 * 3600_000;

export async function createSession(db: DbOrTx, userId: string, meta: { ip?: string | null; userAgent?: string | null }) {
  const value = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(sessions).values({
    id: sha256(value), userId, expiresAt, csrfToken, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { value, csrfToken, expiresAt, id: sha256(value) };
}

/** The live session for a cookie value, sliding its expiry; null when unknown, expired or revoked. */
export async function findSession(db: DbOrTx, value: string) {
  const id = sha256(value);
  const [s] = await db.select().from(sessions)
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())));
  if (!s) return null;
  if (Date.now() - s.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions)
      .set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() + SESSION_TTL_MS) })
      .where(eq(sessions.id, id));
  }
  return s;
}

export async function revokeSession(db: DbOrTx, id: string): Promise<void> {
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, id));
}

export async function revokeAllSessions(db: DbOrTx, userId: string): Promise<number> {
  const res = await db.update(sessions).set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).returning({ id: sessions.id });
  return res.length;
}

export async function purgeExpiredSessions(db: DbOrTx): Promise<void> {
  await db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '30 days'`);
}
