/**
 * Email verification by one-time link (`${publicUrl}/verify-email?token=…`, purpose 'verify_email').
 * Used after registration (call `sendEmailVerification` in the registering transaction) and for an
 * email change: the new address takes effect only once its owner opens the link.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, invalid } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { oneTimeTokens, users } from '../core/tables.ts';
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { verifyEmailEmail } from './emails.ts';
import { verifyPassword } from './passwords.ts';
import { authChanged } from './auth-changes.ts';

export const VERIFY_EMAIL_PURPOSE = 'verify_email';
export const VERIFY_EMAIL_TTL_MS = 48 * 3600_000;

export const VerifyEmailInput = z.object({ token: z.string().min(20).max(200) });
export const ChangeEmailInput = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(256) });

/** Emails a verification link for `email` (the user's current one by default); older links are voided. */
export async function sendEmailVerification(
  tx: Tx, config: Config, user: { id: string; email: string; displayName: string; locale: string }, email = user.email,
): Promise<void> {
  await tx.update(oneTimeTokens).set({ usedAt: new Date() })
    .where(and(eq(oneTimeTokens.purpose, VERIFY_EMAIL_PURPOSE), eq(oneTimeTokens.userId, user.id), isNull(oneTimeTokens.usedAt)));
  const token = randomSecret();
  await tx.insert(oneTimeTokens).values({
    id: newId(), purpose: VERIFY_EMAIL_PURPOSE, tokenHash: sha256(token), userId: user.id, data: { email },
    expiresAt: new Date(Date.now() + VERIFY_EMAIL_TTL_MS),
  });
  await queueMail(tx, renderMail(verifyEmailEmail, user.locale, {
    name: user.displayName, email, hours: VERIFY_EMAIL_TTL_MS / 3600_000, link: `${config.publicUrl}/verify-email?token=${token}`,
  }, email, { tag: 'auth.verify_email' }));
}

const emailTaken = async (tx: Tx, email: string, exceptUserId: string) => {
  const [r] = await tx.select({ id: users.id }).from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, sql`${users.id} <> ${exceptUserId}`));
  return !!r;
};

/** Re-sends the link for the current address (when not verified yet). */
export async function resendVerification(db: Db, config: Config, userId: string, meta: AuditMeta): Promise<void> {
  await inTx(db, async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, userId));
    if (!u) throw new DomainError('not_found', 'User not found');
    if (u.emailVerifiedAt) throw new DomainError('invalid_transition', 'Your email address is already verified');
    await sendEmailVerification(tx, config, u);
    await appendAudit(tx, meta, { action: 'user.email_verification_sent', targetType: 'user', targetId: u.id });
  });
}

/** Asks to change the address: needs the password; the link goes to the new address. */
export async function requestEmailChange(db: Db, config: Config, userId: string, input: z.infer<typeof ChangeEmailInput>, meta: AuditMeta) {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u?.passwordHash || !(await verifyPassword(u.passwordHash, input.password))) {
    throw invalid('Wrong password', [{ path: 'body.password', message: 'wrong password' }]);
  }
  if (u.email.toLowerCase() === input.email.toLowerCase()) throw invalid('This is already your address', [{ path: 'body.email', message: 'unchanged' }]);
  await inTx(db, async (tx) => {
    if (await emailTaken(tx, input.email, u.id)) throw conflict('This email is already registered');
    await sendEmailVerification(tx, config, u, input.email);
    await appendAudit(tx, meta, { action: 'user.email_change_requested', targetType: 'user', targetId: u.id, after: { email: input.email } });
  });
}

export async function verifyEmail(db: Db, input: z.infer<typeof VerifyEmailInput>, meta: AuditMeta) {
  return inTx(db, async (tx) => {
    const [t] = await tx.select().from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, sha256(input.token)), eq(oneTimeTokens.purpose, VERIFY_EMAIL_PURPOSE))).for('update');
    if (!t || !t.userId || t.usedAt || t.expiresAt < new Date()) throw new DomainError('gone', 'This verification link is invalid, used or expired');
    const [u] = await tx.select().from(users).where(eq(users.id, t.userId)).for('update');
    if (!u) throw new DomainError('gone', 'This verification link is invalid, used or expired');
    const email = (t.data as { email?: string } | null)?.email ?? u.email;
    if (email.toLowerCase() !== u.email.toLowerCase() && (await emailTaken(tx, email, u.id))) throw conflict('This email is already registered');
    await tx.update(users).set({ email, emailVerifiedAt: new Date() }).where(eq(users.id, u.id));
    await authChanged(tx, 'user', u.id); // the Actor carries the email
    await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(eq(oneTimeTokens.id, t.id));
    await appendAudit(tx, meta, {
      action: email === u.email ? 'user.email_verified' : 'user.email_changed', targetType: 'user', targetId: u.id,
      before: { email: u.email }, after: { email },
    });
    return { email };
  });
}
