/** The signed-in user's own profile: name, language, time zone, password; sessions. */
import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { invalid, notFound } from '../core/errors.ts';
import { sessions, users } from '../core/tables.ts';
import { LOCALES } from '../i18n/locales.ts';
import type { Db } from '../db/client.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { PasswordSchema } from './setup.command.ts';
import { hasTotp } from './two-factor.command.ts';
import { authChanged } from './auth-changes.ts';

export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.length <= 64;
  } catch {
    return false;
  }
};

export const ProfilePatch = z.object({
  displayName: z.string().trim().min(1).max(120).optional(),
  locale: z.enum(LOCALES).optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'not an IANA time zone').optional(),
}).strict().refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const ChangePasswordInput = z.object({ currentPassword: z.string().min(1).max(256), newPassword: PasswordSchema });

export async function getProfile(db: Db, userId: string) {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u) throw notFound('User');
  return {
    id: u.id, email: u.email, emailVerified: !!u.emailVerifiedAt, displayName: u.displayName, locale: u.locale,
    timeZone: u.timeZone, platformRole: u.platformRole, twoFactorEnabled: await hasTotp(db, u.id), createdAt: u.createdAt,
  };
}

export async function updateProfile(db: Db, userId: string, patch: z.infer<typeof ProfilePatch>, meta: AuditMeta) {
  await inTx(db, async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!u) throw notFound('User');
    const before = { displayName: u.displayName, locale: u.locale, timeZone: u.timeZone };
    await tx.update(users).set(patch).where(eq(users.id, userId));
    await authChanged(tx, 'user', userId); // the Actor carries the locale
    await appendAudit(tx, meta, { action: 'user.profile_updated', targetType: 'user', targetId: userId, before, after: patch });
  });
  return getProfile(db, userId);
}

/** Needs the current password; signs out every other session. */
export async function changePassword(db: Db, userId: string, currentSessionId: string | undefined, input: z.infer<typeof ChangePasswordInput>, meta: AuditMeta) {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u?.passwordHash || !(await verifyPassword(u.passwordHash, input.currentPassword))) {
    throw invalid('The current password is wrong', [{ path: 'body.currentPassword', message: 'wrong password' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return inTx(db, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    const others = await tx.update(sessions).set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), currentSessionId ? ne(sessions.id, currentSessionId) : undefined))
      .returning({ id: sessions.id });
    await authChanged(tx, 'user', userId);
    await appendAudit(tx, meta, { action: 'user.password_changed', targetType: 'user', targetId: userId, after: { revokedSessions: others.length } });
    return { revokedSessions: others.length };
  });
}

export async function listSessions(db: Db, userId: string, currentSessionId: string | undefined) {
  const list = await db.select().from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.lastSeenAt));
  return list.map((s) => ({
    id: s.id, current: s.id === currentSessionId, ip: s.ip, userAgent: s.userAgent,
    createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt,
  }));
}

export async function revokeOwnSession(db: Db, userId: string, sessionId: string, meta: AuditMeta): Promise<void> {
  await inTx(db, async (tx) => {
    const res = await tx.update(sessions).set({ revokedAt: new Date() })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    if (!res.length) throw notFound('Session');
    await authChanged(tx, 'session', sessionId);
    await appendAudit(tx, meta, { action: 'user.session_revoked', targetType: 'user', targetId: userId });
  });
}
