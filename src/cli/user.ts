/**
 * `user create --email E --name N [--role administrator|coordinator] [--locale L] [--password-stdin]`:
 * creates an account from the server's shell. With --password-stdin the password is read from
 * standard input; without it a one-time link to choose one is printed.
 */
import { z } from 'zod';
import { LOCALES } from '../i18n/locales.ts';
import { parseOptions, required, runCommand, UsageError } from './args.ts';
import { createAccount } from './create-user.ts';

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
    return createAccount({ ...input, role: input.role ?? null }, {
      passwordStdin: !!opts['password-stdin'], auditAction: 'user.created', usage: USAGE,
      created: `Created ${input.role ?? 'user'}`, noPassword: 'It has no password yet. One-time link to choose one',
    });
  });
}
