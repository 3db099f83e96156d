/**
 * Sign-in throttling, counted in the database so that every app node agrees:
 *  - per IP: too many failures in the window → 'rate_limited' (429, Retry-After);
 *  - per account: too many failures in the window → the account locks ('locked', 423) for
 *    LOCKOUT_MINUTES and an unlock link is emailed. Unknown emails "lock" the same way (from the
 *    failure count alone) so that answers do not reveal which accounts exist.
 * account_locks.locked_until in the past marks when the count was last cleared (unlock, success).
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { oneTimeTokens, users } from '../core/tables.ts';
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { renderMail } from '../mail/render.ts';
import { queueMail } from '../mail/mailer.ts';
import { unlockEmail } from './emails.ts';
import { accountLocks, loginFailures } from './tables.ts';

export const UNLOCK_PURPOSE = 'unlock';
export const UNLOCK_TTL_MS = 24 * 3600_000;

type Settings = Config['auth'];
const windowStart = (s: Settings) => new Date(Date.now() - s.windowMinutes * 60_000);

export async function assertIpAllowed(db: DbOrTx, ip: string | null | undefined, s: Settings): Promise<void> {
  if (!ip) return;
  const [r] = await db.select({ n: sql<number>`count(*)::int`, oldest: sql<Date>`min(${loginFailures.at})` })
    .from(loginFailures).where(and(eq(loginFailures.ip, ip), gt(loginFailures.at, windowStart(s))));
  if ((r?.n ?? 0) >= s.ipMaxFailures) {
    const oldest = new Date(r!.oldest).getTime();
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + s.windowMinutes * 60_000 - Date.now()) / 1000));
    throw new DomainError('rate_limited', 'Too many failed sign-ins from this address; try again later', { retryAfterSeconds });
  }
}

async function failuresSinceClear(db: DbOrTx, email: string, userId: string | null, s: Settings): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(loginFailures).where(and(
    eq(loginFailures.email, email.toLowerCase()),
    gt(loginFailures.at, windowStart(s)),
    userId
      ? sql`${loginFailures.at} > coalesce((SELECT least(locked_until, now()) FROM account_locks WHERE user_id = ${userId}), '-infinity')`
      : undefined,
  ));
  return r?.n ?? 0;
}

const lockedError = () => new DomainError('locked', 'This account is locked after too many failed sign-ins; use the link we emailed or try later');

export async function assertNotLocked(db: DbOrTx, email: string, userId: string | null, s: Settings): Promise<void> {
  if (userId) {
    const [l] = await db.select().from(accountLocks).where(and(eq(accountLocks.userId, userId), gt(accountLocks.lockedUntil, new Date())));
    if (l) throw lockedError();
  } else if ((await failuresSinceClear(db, email, null, s)) >= s.maxFailures) {
    throw lockedError();
  }
}

/**
 * Records a failure; when it reaches the limit, locks the account and emails the unlock link.
 * Throws 'locked' when the account is (now) locked, otherwise returns.
 */
export async function recordFailure(
  db: DbOrTx,
  who: { email: string; ip?: string | null; user: { id: string; email: string; displayName: string; locale: string } | null },
  config: Config,
  meta: AuditMeta,
): Promise<void> {
  const s = config.auth;
  await db.insert(loginFailures).values({ email: who.email.toLowerCase(), ip: who.ip ?? null });
  const n = await failuresSinceClear(db, who.email, who.user?.id ?? null, s);
  if (n < s.maxFailures) return;
  const u = who.user;
  if (!u) throw lockedError();
  await inTx(db, async (tx) => {
    const lockedUntil = new Date(Date.now() + s.lockoutMinutes * 60_000);
    const res = await tx.insert(accountLocks).values({ userId: u.id, lockedAt: new Date(), lockedUntil })
      .onConflictDoUpdate({
        target: accountLocks.userId, set: { lockedAt: new Date(), lockedUntil },
        setWhere: sql`${accountLocks.lockedUntil} <= now()`,
      })
      .returning({ userId: accountLocks.userId });
    if (!res.length) return; // already locked (another node won the race)
    const token = randomSecret();
    await tx.insert(oneTimeTokens).values({
      id: newId(), purpose: UNLOCK_PURPOSE, tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + UNLOCK_TTL_MS),
    });
    await queueMail(tx, renderMail(unlockEmail, u.locale, {
      name: u.displayName, failures: n, minutes: s.lockoutMinutes, hours: UNLOCK_TTL_MS / 3600_000,
      link: `${config.publicUrl}/unlock?token=${token}`,
    }, u.email, { tag: 'auth.unlock' }));
    await appendAudit(tx, meta, {
      action: 'user.locked', targetType: 'user', targetId: u.id, after: { failures: n, lockedUntil: lockedUntil.toISOString() },
    });
  });
  throw lockedError();
}

/** After a successful sign-in: earlier failures of this account stop counting. */
export async function clearFailures(db: DbOrTx, userId: string): Promise<void> {
  await db.insert(accountLocks).values({ userId, lockedAt: new Date(), lockedUntil: new Date() })
    .onConflictDoUpdate({ target: accountLocks.userId, set: { lockedUntil: sql`least(${accountLocks.lockedUntil}, now())` } });
}

/** The emailed unlock link: lifts the lock and clears the count. Single use, expiring. */
export async function unlockWithToken(db: DbOrTx, token: string, meta: AuditMeta): Promise<void> {
  await inTx(db, async (tx) => {
    const [t] = await tx.select().from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, sha256(token)), eq(oneTimeTokens.purpose, UNLOCK_PURPOSE))).for('update');
    if (!t || !t.userId || t.usedAt || t.expiresAt < new Date()) throw new DomainError('gone', 'This unlock link is invalid, used or expired');
    await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(eq(oneTimeTokens.id, t.id));
    await tx.update(accountLocks).set({ lockedUntil: new Date() }).where(eq(accountLocks.userId, t.userId));
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, t.userId));
    await appendAudit(tx, meta, { action: 'user.unlocked', targetType: 'user', targetId: u?.id ?? t.userId, after: { via: 'email_link' } });
  });
}

/** Lifts a lock without a link (password reset proves control of the mailbox too). */
export async function liftLock(db: DbOrTx, userId: string): Promise<void> {
  await db.update(accountLocks).set({ lockedUntil: new Date() }).where(eq(accountLocks.userId, userId));
}
