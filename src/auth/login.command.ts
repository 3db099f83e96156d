/**
 * Sign-in. With a confirmed TOTP factor it takes two steps: the password answers with a short-lived
 * challenge (no session yet) and POST /api/auth/login/second-factor turns challenge + code into a
 * session. Every failure is counted for throttling (src/auth/throttle.ts).
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../core/audit.ts';
import type { Actor } from '../core/actor.ts';
import { DomainError } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { oneTimeTokens, users } from '../core/tables.ts';
import { inTx } from '../core/context.ts';
import type { Config } from '../config.ts';
import { secretBoxFor } from '../crypto/secret-box.ts';
import type { Db, Tx } from '../db/client.ts';
import { loadUserActor } from './actor-loader.ts';
import { burnPasswordTime, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';
import { assertIpAllowed, assertNotLocked, clearFailures, recordFailure } from './throttle.ts';
import { CodeSchema, hasTotp, verifySecondFactor, wrongCode } from './two-factor.command.ts';

export const CHALLENGE_PURPOSE = 'login_challenge';
export const CHALLENGE_TTL_MS = 5 * 60_000;

export const LoginInput = z.object({
  email: z.string().email().max(254),
  password: z.string().min(1).max(256),
});
export const SecondFactorInput = z.object({ challenge: z.string().min(20).max(200), code: CodeSchema });

export type LoginMeta = { ip?: string | null; userAgent?: string | null; requestId?: string };
type UserRow = typeof users.$inferSelect;

const badCredentials = () => new DomainError('unauthenticated', 'Wrong email or password');
const presentUser = (u: UserRow) => ({ id: u.id, email: u.email, displayName: u.displayName, platformRole: u.platformRole, locale: u.locale });

async function openSession(tx: Tx, u: UserRow, meta: LoginMeta, method: string) {
  const session = await createSession(tx, u.id, meta);
  const actor: Actor = (await loadUserActor(tx, u.id, { via: 'session', sessionId: session.id })) ?? { kind: 'anonymous' };
  await appendAudit(tx, { actor, ip: meta.ip, requestId: meta.requestId }, {
    action: 'auth.login', targetType: 'user', targetId: u.id, after: { method },
  });
  await clearFailures(tx, u.id);
  return { session, user: presentUser(u) };
}

export type LoginResult =
  | { kind: 'session'; session: Awaited<ReturnType<typeof createSession>>; user: ReturnType<typeof presentUser> }
  | { kind: 'challenge'; challenge: string; expiresAt: Date };

export async function login(db: Db, config: Config, input: z.infer<typeof LoginInput>, meta: LoginMeta): Promise<LoginResult> {
  await assertIpAllowed(db, meta.ip, config.auth);
  const [u] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
  const live = u && u.passwordHash && !u.disabledAt ? u : null;
  await assertNotLocked(db, input.email, live?.id ?? null, config.auth);
  const ok = live ? await verifyPassword(live.passwordHash!, input.password) : (await burnPasswordTime(input.password), false);
  if (!live || !ok) {
    await recordFailure(db, { email: input.email, ip: meta.ip, user: live }, config, { actor: { kind: 'anonymous' }, ip: meta.ip, requestId: meta.requestId });
    throw badCredentials();
  }
  if (await hasTotp(db, live.id)) {
    const challenge = randomSecret();
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    await db.insert(oneTimeTokens).values({
      id: newId(), purpose: CHALLENGE_PURPOSE, tokenHash: sha256(challenge), userId: live.id, expiresAt, data: { ip: meta.ip ?? null },
    });
    return { kind: 'challenge', challenge, expiresAt };
  }
  return { kind: 'session', ...(await inTx(db, (tx) => openSession(tx, live, meta, 'password'))) };
}

export async function loginSecondFactor(db: Db, config: Config, input: z.infer<typeof SecondFactorInput>, meta: LoginMeta) {
  await assertIpAllowed(db, meta.ip, config.auth);
  const [t] = await db.select().from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, sha256(input.challenge)), eq(oneTimeTokens.purpose, CHALLENGE_PURPOSE)));
  if (!t || !t.userId || t.usedAt || t.expiresAt < new Date()) {
    throw new DomainError('gone', 'This sign-in attempt is over or expired; sign in again');
  }
  const [u] = await db.select().from(users).where(eq(users.id, t.userId));
  if (!u || u.disabledAt) throw new DomainError('gone', 'This sign-in attempt is over or expired; sign in again');
  await assertNotLocked(db, u.email, u.id, config.auth);
  const result = await inTx(db, async (tx) => {
    const [locked] = await tx.select({ usedAt: oneTimeTokens.usedAt }).from(oneTimeTokens).where(eq(oneTimeTokens.id, t.id)).for('update');
    if (!locked || locked.usedAt) throw new DomainError('gone', 'This sign-in attempt is over or expired; sign in again');
    const method = await verifySecondFactor(tx, secretBoxFor(config), u.id, input.code);
    if (!method) return null; // the challenge stays usable until it expires; failures count towards the lock
    await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(eq(oneTimeTokens.id, t.id));
    return openSession(tx, u, meta, method);
  });
  if (!result) {
    await recordFailure(db, { email: u.email, ip: meta.ip, user: u }, config, { actor: { kind: 'anonymous' }, ip: meta.ip, requestId: meta.requestId });
    throw wrongCode();
  }
  return result;
}
