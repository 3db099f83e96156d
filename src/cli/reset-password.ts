/**
 * `reset-password --email E`: issues a one-time password-reset link for an existing account and
 * prints it (for an operator helping a user who cannot receive mail). The link is consumed by the
 * web app's /reset-password page: one_time_tokens purpose 'password_reset', only its sha256 stored.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { newId, randomSecret, sha256 } from '../core/ids.ts';
import { oneTimeTokens, users } from '../core/tables.ts';
import { migrate } from '../db/migrate.ts';
import type { Tx } from '../db/client.ts';
import { CliError, configOrExit, openConfigured, parseOptions, required, runCommand, UsageError } from './args.ts';

export const RESET_PURPOSE = 'password_reset';
export const RESET_TTL_MS = 3600_000;
const USAGE = '  reset-password --email E        print a one-time password-reset link (valid 1 hour)';
export const help = USAGE;

/** Voids the user's unused reset links and issues a new one; returns the raw token (never stored). */
export async function issuePasswordToken(tx: Tx, userId: string, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
  await tx.update(oneTimeTokens).set({ usedAt: new Date() })
    .where(and(eq(oneTimeTokens.purpose, RESET_PURPOSE), eq(oneTimeTokens.userId, userId), isNull(oneTimeTokens.usedAt)));
  const token = randomSecret();
  const expiresAt = new Date(Date.now() + ttlMs);
  await tx.insert(oneTimeTokens).values({ id: newId(), purpose: RESET_PURPOSE, tokenHash: sha256(token), userId, expiresAt });
  return { token, expiresAt };
}

export const resetLink = (publicUrl: string, token: string): string => `${publicUrl}/reset-password?token=${token}`;

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const opts = parseOptions(args, { email: 'string' }, USAGE);
    const email = required(opts.email, 'email', USAGE);
    if (!z.string().email().max(254).safeParse(email).success) throw new UsageError(`Not an email address: ${email}`, USAGE);
    const config = configOrExit();
    const database = await openConfigured(config);
    try {
      await migrate(database);
      const issued = await inTx(database.db, async (tx) => {
        const [user] = await tx.select({ id: users.id, disabledAt: users.disabledAt }).from(users)
          .where(sql`lower(${users.email}) = lower(${email})`);
        if (!user) throw new CliError(`No account has the email ${email}.`);
        if (user.disabledAt) throw new CliError(`The account ${email} is disabled; enable it before resetting its password.`);
        const t = await issuePasswordToken(tx, user.id, RESET_TTL_MS);
        await appendAudit(tx, { actor: system('cli') }, {
          action: 'user.password_reset_issued', targetType: 'user', targetId: user.id,
          after: { via: 'cli', expiresAt: t.expiresAt.toISOString() },
        });
        return t;
      });
      console.log(`One-time password-reset link for ${email} (valid until ${issued.expiresAt.toISOString()}):\n\n  ${resetLink(config.publicUrl, issued.token)}\n`);
      return 0;
    } finally {
      await database.close();
    }
  });
}
