/**
 * What `create-admin` and `user create` share: read the password from standard input (or not),
 * create the account with its platform role, audit it, and print a one-time link to choose a
 * password when none was given.
 */
import { sql } from 'drizzle-orm';
import { appendAudit } from '../core/audit.ts';
import { system, type PlatformRole } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { users } from '../core/tables.ts';
import { migrate } from '../db/migrate.ts';
import { PasswordSchema, SETUP_TTL_MS } from '../auth/setup.command.ts';
import { hashPassword } from '../auth/passwords.ts';
import { CliError, configOrExit, openConfigured, readStdin, UsageError } from './args.ts';
import { issuePasswordToken, resetLink } from './reset-password.ts';

export type NewAccount = { email: string; name: string; locale: string; role: PlatformRole | null };

export async function createAccount(
  input: NewAccount,
  opts: { passwordStdin: boolean; auditAction: string; usage: string; created: string; noPassword: string },
): Promise<number> {
  let passwordHash: string | null = null;
  if (opts.passwordStdin) {
    const password = PasswordSchema.safeParse(await readStdin());
    if (!password.success) throw new UsageError(`Password rejected: ${password.error.issues.map((i) => i.message).join('; ')}`, opts.usage);
    passwordHash = await hashPassword(password.data);
  }
  const config = configOrExit();
  const database = await openConfigured(config);
  try {
    await migrate(database);
    const result = await inTx(database.db, async (tx) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
      if (taken) throw new CliError(`The email ${input.email} is already registered; nothing was changed.`);
      const id = newId();
      await tx.insert(users).values({
        id, email: input.email, displayName: input.name, passwordHash, platformRole: input.role,
        locale: input.locale, emailVerifiedAt: new Date(),
      });
      await appendAudit(tx, { actor: system('cli') }, {
        action: opts.auditAction, targetType: 'user', targetId: id,
        after: { email: input.email, displayName: input.name, platformRole: input.role, passwordSet: passwordHash !== null },
      });
      const link = passwordHash ? null : await issuePasswordToken(tx, id, SETUP_TTL_MS);
      return { id, link };
    });
    console.log(`${opts.created} ${input.email} (id ${result.id}).`);
    if (result.link) {
      console.log(`${opts.noPassword} (valid until ${result.link.expiresAt.toISOString()}):\n\n  ${resetLink(config.publicUrl, result.link.token)}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
