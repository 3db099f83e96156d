/**
 * `create-admin --email E --name N [--password-stdin]`: creates a platform administrator from the
 * server's shell (e.g. a second administrator, or the first one without the browser setup link).
 * With --password-stdin the password (same rules as the setup page) is read from standard input;
 * without it the account has no password yet and a one-time link to choose one is printed.
 */
import { z } from 'zod';
import { parseOptions, required, runCommand, UsageError } from './args.ts';
import { createAccount } from './create-user.ts';

const USAGE =
  '  create-admin --email E --name N [--locale en|es|pt|fr] [--password-stdin]\n' +
  '                                  create a platform administrator (without --password-stdin: print a one-time link to set the password)';
export const help = USAGE;

const Input = z.object({
  email: z.string().email().max(254),
  name: z.string().trim().min(1).max(120),
  locale: z.enum(['en', 'es', 'pt', 'fr']).default('en'),
});

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const opts = parseOptions(args, { email: 'string', name: 'string', locale: 'string', 'password-stdin': 'flag' }, USAGE);
    const parsed = Input.safeParse({ email: required(opts.email, 'email', USAGE), name: required(opts.name, 'name', USAGE), locale: opts.locale });
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'), USAGE);
    }
    const input = parsed.data;
    return createAccount({ ...input, role: 'administrator' }, {
      passwordStdin: !!opts['password-stdin'], auditAction: 'user.create_admin', usage: USAGE,
      created: 'Created administrator', noPassword: 'Send them this one-time link to choose a password',
    });
  });
}
