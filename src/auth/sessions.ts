/**
 * Server-side sessions: the cookie holds a random value, the database its sha256. Revocation
 * (logout, "sign out everywhere") takes effect on the next request: each node caches resolved
 * sessions for a few seconds (session-cache.ts) and every revocation calls authChanged.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { UserActor } from '../core/actor.ts';
import { randomSecret, sha256 } from '../core/ids.ts';
import { inTx } from '../core/context.ts';
import { sessions } from '../core/tables.ts';
import { rows, type DbOrTx } from '../db/client.ts';
import { ACTOR_COLUMNS, actorFromRow, type ActorRow } from './actor-loader.ts';
import { authChanged } from './auth-changes.ts';

export const SESSION_COOKIE = 'hs_session';
export const SESSION_TTL_MS = 12 * 3600_000;
/** A session's last-seen time and expiry are moved forward at most once per this interval. */
export const SESSION_SLIDE_MS = 60_000;

export async function createSession(db: DbOrTx, userId: string, meta: { ip?: string | null; userAgent?: string | null }) {
  const value = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(sessions).values({
    id: sha256(value), userId, expiresAt, csrfToken, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { value, csrfToken, expiresAt, id: sha256(value) };
}

export type LiveSession = { id: string; userId: string; csrfToken: string; expiresAt: number; lastSeenAt: number; actor: UserActor };

/**
 * The live session for a cookie value with its user's Actor, in one statement (one round trip),
 * sliding its last-seen time and expiry when last seen over SESSION_SLIDE_MS ago; null when the
 * session is unknown, expired or revoked, or its user disabled. `now` is the caller's clock.
 */
export async function loadSession(db: DbOrTx, value: string, now = Date.now()): Promise<LiveSession | null> {
  const id = sha256(value);
  const [r] = await rows<ActorRow & { session_id: string; csrf_token: string; expires_at: Date | string; last_seen_at: Date | string }>(db, sql`
    WITH s AS (
      SELECT id, user_id, csrf_token, expires_at, last_seen_at FROM sessions
       WHERE id = ${id} AND revoked_at IS NULL AND expires_at > ${new Date(now).toISOString()}::timestamptz
    ), slid AS (
      UPDATE sessions SET last_seen_at = ${new Date(now).toISOString()}::timestamptz,
                          expires_at = ${new Date(now + SESSION_TTL_MS).toISOString()}::timestamptz
       WHERE id IN (SELECT id FROM s WHERE last_seen_at < ${new Date(now - SESSION_SLIDE_MS).toISOString()}::timestamptz)
       RETURNING last_seen_at, expires_at
    )
    SELECT s.id AS session_id, s.csrf_token,
           coalesce((SELECT expires_at FROM slid), s.expires_at) AS expires_at,
           coalesce((SELECT last_seen_at FROM slid), s.last_seen_at) AS last_seen_at,
           ${ACTOR_COLUMNS}
      FROM s JOIN users u ON u.id = s.user_id`);
  if (!r) return null;
  const actor = actorFromRow(r, { via: 'session', sessionId: r.session_id });
  if (!actor) return null;
  return {
    id: r.session_id, userId: r.id, csrfToken: r.csrf_token, actor,
    expiresAt: new Date(r.expires_at).getTime(), lastSeenAt: new Date(r.last_seen_at).getTime(),
  };
}

export async function revokeSession(db: DbOrTx, id: string): Promise<void> {
  await inTx(db, async (tx) => {
    await tx.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, id));
    await authChanged(tx, 'session', id);
  });
}

export async function revokeAllSessions(db: DbOrTx, userId: string): Promise<number> {
  return inTx(db, async (tx) => {
    const res = await tx.update(sessions).set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).returning({ id: sessions.id });
    await authChanged(tx, 'user', userId);
    return res.length;
  });
}

export async function purgeExpiredSessions(db: DbOrTx): Promise<void> {
  await db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '30 days'`);
}
