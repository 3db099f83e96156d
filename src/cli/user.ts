/**
 * `user create --email E --name N [--role administrator|coordinator] [--locale L] [--password-stdin]`:
 * creates an account from the server's shell. With --password-stdin the password is read from
 * standard input; without it a one-time link to choose one is printed.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../core/audit.ts';
import { system } from '../core/actor.ts';
import { inTx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { users } from '../core/tables.ts';
import { migrate } from '../db/migrate.ts';
import { PasswordSchema, SETUP_TTL_MS } from '../auth/setup.command.ts';
import { hashPassword } from '../auth/passwords.ts';
import { LOCALES } from '../i18n/locales.ts';
import { CliError, configOrExit, openConfigured, parseOptions, readStdin, required, runCommand, UsageError } from './args.ts';
import { issuePasswordToken, resetLink } from './reset-password.ts';

const USAGE =
  '  user create --email E --name N [--role administrator|coordinator] [--locale en|es|pt|fr] [--password-stdin]\n' +
  '                                  create an account (without --password-stdin: print a one-time link to set the password)';
export const help = USAGE;

const Input = z.object({
  email: z.string().email().max(254),
  name: z.string().trim().min(1).max(120),
  role: z.enum(['administrator', 'coordinator']).optional(),
  locale: z.enum(LOCALES).default('en'),
});

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const [sub, ...rest] = args;
    if (sub !== 'create') throw new UsageError(sub ? `Unknown subcommand: user ${sub}` : 'Missing subcommand', USAGE);
    const opts = parseOptions(rest, { email: 'string', name: 'string', role: 'string', locale: 'string', 'password-stdin': 'flag' }, USAGE);
    const parsed = Input.safeParse({
      email: required(opts.email, 'email', USAGE), name: required(opts.name, 'name', USAGE), role: opts.role, locale: opts.locale,
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'), USAGE);
    const input = parsed.data;
    let passwordHash: string | null = null;
    if (opts['password-stdin']) {
      const password = PasswordSchema.safeParse(await readStdin());
      if (!password.success) throw new UsageError(`Password rejected: ${password.error.issues.map((i) => i.message).join('; ')}`, USAGE);
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
          id, email: input.email, displayName: input.name, passwordHash, platformRole: input.role ?? null,
          locale: input.locale, emailVerifiedAt: new Date(),
        });
        await appendAudit(tx, { actor: system('cli') }, {
          action: 'user.created', targetType: 'user', targetId: id,
          after: { email: input.email, displayName: input.name, platformRole: input.role ?? null, passwordSet: passwordHash !== null },
        });
        const link = passwordHash ? null : await issuePasswordToken(tx, id, SETUP_TTL_MS);
        return { id, link };
      });
      console.log(`Created ${input.role ?? 'user'} ${input.email} (id ${result.id}).`);
      if (result.link) {
        console.log(`It has no password yet. One-time link to choose one (valid until ${result.link.expiresAt.toISOString()}):\n\n  ${resetLink(config.publicUrl, result.link.token)}\n`);
      }
      return 0;
    } finally {
      await database.close();
    }
  });
}
