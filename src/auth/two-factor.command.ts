/**
 * TOTP second factor: enrolment (secret shown once as otpauth URI + QR), confirmation with a code
 * (→ 10 one-time recovery codes, shown once, stored hashed), verification at sign-in (a code is
 * accepted once: the last used time step is remembered) and disabling (password + code). The secret
 * is kept sealed (src/crypto/secret-box.ts, context `totp:<user id>`).
 */
import { and, eq, isNull, or, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { users } from '../core/tables.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { verifyPassword } from './passwords.ts';
import { recoveryCodes, totpFactors } from './tables.ts';
import { authChanged } from './auth-changes.ts';
import {
  enrolmentArtifacts, hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCode, newTotpSecret, RECOVERY_CODE_COUNT, totpStep,
} from './totp.ts';

export const CodeSchema = z.string().trim().min(6).max(20);
export const ConfirmInput = z.object({ code: CodeSchema });
export const DisableInput = z.object({ password: z.string().min(1).max(256), code: CodeSchema });

export const wrongCode = () => new DomainError('unauthenticated', 'Wrong or already used code');

export async function hasTotp(db: DbOrTx, userId: string): Promise<boolean> {
  const [f] = await db.select({ c: totpFactors.confirmedAt }).from(totpFactors).where(eq(totpFactors.userId, userId));
  return !!f?.c;
}

export const totpContext = (userId: string) => `totp:${userId}`;

/** Starts (or restarts) enrolment; refused when a confirmed factor exists. */
export async function startEnrolment(db: DbOrTx, box: SecretBox, userId: string, meta: AuditMeta) {
  return inTx(db, async (tx) => {
    const [u] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const [f] = await tx.select().from(totpFactors).where(eq(totpFactors.userId, userId)).for('update');
    if (f?.confirmedAt) throw conflict('Two-step sign-in is already on; disable it first to enrol a new device');
    const secret = newTotpSecret();
    const sealed = box.seal(secret, totpContext(userId));
    await tx.insert(totpFactors).values({ userId, secret: sealed })
      .onConflictDoUpdate({ target: totpFactors.userId, set: { secret: sealed, lastUsedStep: null, createdAt: new Date() } });
    await appendAudit(tx, meta, { action: 'user.2fa_enrolment_started', targetType: 'user', targetId: userId });
    return { secret, ...(await enrolmentArtifacts(secret, u?.email ?? 'account')) };
  });
}

/** Consumes a TOTP code for a later time step than the last one used; atomic against replays. */
async function consumeTotp(tx: Tx, userId: string, secret: string, code: string): Promise<boolean> {
  const step = totpStep(secret, code);
  if (step === null) return false;
  const res = await tx.update(totpFactors).set({ lastUsedStep: step })
    .where(and(eq(totpFactors.userId, userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))))
    .returning({ userId: totpFactors.userId });
  return res.length === 1;
}

async function consumeRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const res = await tx.update(recoveryCodes).set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return res.length === 1;
}

/** A TOTP code or an unused recovery code of a user with a confirmed factor; 'totp' | 'recovery' | null. */
export async function verifySecondFactor(tx: Tx, box: SecretBox, userId: string, code: string): Promise<'totp' | 'recovery' | null> {
  const [f] = await tx.select().from(totpFactors).where(eq(totpFactors.userId, userId));
  if (!f?.confirmedAt) return null;
  if (await consumeTotp(tx, userId, box.open(f.secret, totpContext(userId)), code.trim())) return 'totp';
  if (await consumeRecoveryCode(tx, userId, code)) return 'recovery';
  return null;
}

async function issueRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.insert(recoveryCodes).values(codes.map((c) => ({ id: newId(), userId, codeHash: hashRecoveryCode(c) })));
  return codes;
}

export async function confirmEnrolment(db: DbOrTx, box: SecretBox, userId: string, input: z.infer<typeof ConfirmInput>, meta: AuditMeta) {
  return inTx(db, async (tx) => {
    const [f] = await tx.select().from(totpFactors).where(eq(totpFactors.userId, userId)).for('update');
    if (!f) throw new DomainError('invalid_transition', 'Start the enrolment first');
    if (f.confirmedAt) throw conflict('Two-step sign-in is already on');
    if (!(await consumeTotp(tx, userId, box.open(f.secret, totpContext(userId)), input.code))) {
      throw invalid('Wrong code: check the time of your device', [{ path: 'body.code', message: 'wrong code' }]);
    }
    await tx.update(totpFactors).set({ confirmedAt: new Date() }).where(eq(totpFactors.userId, userId));
    await authChanged(tx, 'user', userId); // cached Actors carry hasTotp
    const codes = await issueRecoveryCodes(tx, userId);
    await appendAudit(tx, meta, { action: 'user.2fa_enabled', targetType: 'user', targetId: userId });
    return { recoveryCodes: codes };
  });
}

/** Password + (TOTP or recovery) code. */
export async function disableTotp(db: DbOrTx, box: SecretBox, userId: string, input: z.infer<typeof DisableInput>, meta: AuditMeta) {
  const [u] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!u?.passwordHash || !(await verifyPassword(u.passwordHash, input.password))) {
    throw new DomainError('unauthenticated', 'Wrong password');
  }
  return inTx(db, async (tx) => {
    await tx.execute(sql`SELECT 1 FROM totp_factors WHERE user_id = ${userId} FOR UPDATE`);
    if (!(await hasTotp(tx, userId))) throw new DomainError('invalid_transition', 'Two-step sign-in is not on');
    if (!(await verifySecondFactor(tx, box, userId, input.code))) throw wrongCode();
    await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
    await authChanged(tx, 'user', userId); // cached Actors carry hasTotp
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await appendAudit(tx, meta, { action: 'user.2fa_disabled', targetType: 'user', targetId: userId });
  });
}

/** New recovery codes (the old ones stop working); needs a current code. */
export async function regenerateRecoveryCodes(db: DbOrTx, box: SecretBox, userId: string, input: z.infer<typeof ConfirmInput>, meta: AuditMeta) {
  return inTx(db, async (tx) => {
    if (!(await verifySecondFactor(tx, box, userId, input.code))) throw wrongCode();
    const codes = await issueRecoveryCodes(tx, userId);
    await appendAudit(tx, meta, { action: 'user.2fa_recovery_codes_regenerated', targetType: 'user', targetId: userId });
    return { recoveryCodes: codes };
  });
}
