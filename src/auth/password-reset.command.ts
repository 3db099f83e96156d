/**
 * Password reset by emailed one-time link (`${publicUrl}/reset-password?token=…`, 1 hour, single
 * use; one_time_tokens purpose 'password_reset', only sha256 stored — the same tokens the
 * `cli reset-password` command issues). The request never reveals whether the account exists.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { oneTimeTokens, users } from '../core/tables.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { queueMail } from '../mail/mailer.ts';
import { renderMail } from '../mail/render.ts';
import { passwordResetEmail } from './emails.ts';
import { hashPassword } from './passwords.ts';
import { revokeAllSessions } from './sessions.ts';
import { PasswordSchema } from './setup.command.ts';
import { liftLock } from './throttle.ts';

export const PASSWORD_RESET_PURPOSE = 'password_reset';
export const PASSWORD_RESET_TTL_MS = 3600_000;
/** At most one reset mail per account per minute. */
const RESEND_GAP_MS = 60_000;

export const ResetRequestInput = z.object({ email: z.string().email().max(254) });
export const ResetCompleteInput = z.object({ token: z.string().min(20).max(200), password: PasswordSchema });

export async function requestPasswordReset(db: Db, config: Config, input: z.infer<typeof ResetRequestInput>, meta: AuditMeta): Promise<void> {
  await inTx(db, async (tx) => {
    const [u] = await tx.select().from(users).where(sql`lower(${users.email}) = lower(${input.email})`).for('update');
    if (!u || u.disabledAt) return;
    const [recent] = await tx.select({ id: oneTimeTokens.id }).from(oneTimeTokens).where(and(
      eq(oneTimeTokens.purpose, PASSWORD_RESET_PURPOSE), eq(oneTimeTokens.userId, u.id), isNull(oneTimeTokens.usedAt),
      gt(oneTimeTokens.createdAt, new Date(Date.now() - RESEND_GAP_MS)),
    ));
    if (recent) return;
    await tx.update(oneTimeTokens).set({ usedAt: new Date() })
      .where(and(eq(oneTimeTokens.purpose, PASSWORD_RESET_PURPOSE), eq(oneTimeTokens.userId, u.id), isNull(oneTimeTokens.usedAt)));
    const token = randomSecret();
    await tx.insert(oneTimeTokens).values({
      id: newId(), purpose: PASSWORD_RESET_PURPOSE, tokenHash: sha256(token), userId: u.id,
      expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS),
    });
    await queueMail(tx, renderMail(passwordResetEmail, u.locale, {
      name: u.displayName, link: `${config.publicUrl}/reset-password?token=${token}`,
    }, u.email, { tag: 'auth.password_reset' }));
    await appendAudit(tx, meta, { action: 'user.password_reset_requested', targetType: 'user', targetId: u.id });
  });
}

/** Sets the new password, uses the link up, revokes every session and lifts a lock. */
export async function completePasswordReset(db: Db, input: z.infer<typeof ResetCompleteInput>, meta: AuditMeta) {
  const passwordHash = await hashPassword(input.password);
  return inTx(db, async (tx) => {
    const [t] = await tx.select().from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, sha256(input.token)), eq(oneTimeTokens.purpose, PASSWORD_RESET_PURPOSE))).for('update');
    if (!t || !t.userId || t.usedAt || t.expiresAt < new Date()) {
      throw new DomainError('gone', 'This reset link is invalid, used or expired; ask for a new one');
    }
    const [u] = await tx.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.id, t.userId));
    if (!u || u.disabledAt) throw new DomainError('gone', 'This reset link is invalid, used or expired; ask for a new one');
    await tx.update(users).set({ passwordHash }).where(eq(users.id, u.id));
    await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(eq(oneTimeTokens.id, t.id));
    const revokedSessions = await revokeAllSessions(tx, u.id);
    await liftLock(tx, u.id);
    await appendAudit(tx, meta, { action: 'user.password_reset', targetType: 'user', targetId: u.id, after: { revokedSessions } });
    return { revokedSessions };
  });
}
