/**
 * First-run setup: while no administrator exists, each start issues a fresh one-time setup link
 * (older ones are voided) that creates the first platform administrator. Never a default password.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { conflict, DomainError } from '../core/errors.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { oneTimeTokens, users } from '../core/tables.ts';
import { inTx } from '../core/context.ts';
import type { Db } from '../db/client.ts';
import { hashPassword } from './passwords.ts';

export const SETUP_TTL_MS = 7 * 24 * 3600_000;
export const PasswordSchema = z.string().min(12, 'at least 12 characters').max(256);
export const SetupInput = z.object({
  token: z.string().min(10).max(200),
  email: z.string().email().max(254),
  displayName: z.string().trim().min(1).max(120),
  password: PasswordSchema,
  locale: z.enum(['en', 'es', 'pt', 'fr']).default('en'),
});

export async function hasAdministrator(db: Db): Promise<boolean> {
  const [r] = await db.select({ id: users.id }).from(users).where(eq(users.platformRole, 'administrator')).limit(1);
  return !!r;
}

/** Returns the setup URL path with a new token, or null when an administrator already exists. */
export async function issueSetupLink(db: Db): Promise<string | null> {
  if (await hasAdministrator(db)) return null;
  const token = randomSecret();
  await inTx(db, async (tx) => {
    await tx.update(oneTimeTokens).set({ usedAt: new Date() })
      .where(and(eq(oneTimeTokens.purpose, 'setup'), isNull(oneTimeTokens.usedAt)));
    await tx.insert(oneTimeTokens).values({
      id: newId(), purpose: 'setup', tokenHash: sha256(token), expiresAt: new Date(Date.now() + SETUP_TTL_MS),
    });
  });
  return `/setup?token=${token}`;
}

export async function completeSetup(db: Db, input: z.infer<typeof SetupInput>, meta: { ip?: string | null; requestId?: string }) {
  const passwordHash = await hashPassword(input.password);
  return inTx(db, async (tx) => {
    const [tok] = await tx.select().from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, sha256(input.token)), eq(oneTimeTokens.purpose, 'setup')))
      .for('update');
    if (!tok || tok.usedAt || tok.expiresAt < new Date()) {
      throw new DomainError('gone', 'This setup link is invalid, used or expired; restart the server for a new one');
    }
    const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.platformRole, 'administrator')).limit(1);
    if (admin) throw conflict('The platform already has an administrator');
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
    if (taken) throw conflict('This email is already registered');
    const id = newId();
    const user = {
      id, email: input.email, displayName: input.displayName, passwordHash, platformRole: 'administrator',
      locale: input.locale, emailVerifiedAt: new Date(),
    };
    await tx.insert(users).values(user);
    await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(eq(oneTimeTokens.id, tok.id));
    await appendAudit(tx, { actor: system('setup'), ip: meta.ip, requestId: meta.requestId }, {
      action: 'platform.setup', targetType: 'user', targetId: id,
      after: { email: input.email, displayName: input.displayName, platformRole: 'administrator' },
    });
    return { id, email: input.email, displayName: input.displayName };
  });
}
