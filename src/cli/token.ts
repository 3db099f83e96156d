/**
 * `token create --user EMAIL --scopes read,taxii [--name N] [--days 90]` prints the new API token
 * alone on its last line (for scripts); `token revoke --id ID` revokes one.
 */
import { sql } from 'drizzle-orm';
import { system } from '../core/actor.ts';
import { DomainError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { users } from '../core/tables.ts';
import { migrate } from '../db/migrate.ts';
import { CreateTokenInput, createTokenFor, revokeTokenCommand } from '../auth/api-tokens.command.ts';
import { CliError, configOrExit, openConfigured, parseOptions, required, runCommand, UsageError } from './args.ts';

const USAGE =
  '  token create --user EMAIL --scopes read,taxii [--name N] [--days 90]\n' +
  '                                  create an API token; prints it alone on the last line\n' +
  '  token revoke --id ID            revoke an API token';
export const help = USAGE;

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openConfigured>>['db']) => Promise<T>): Promise<T> {
  const database = await openConfigured(configOrExit());
  try {
    await migrate(database);
    return await fn(database.db);
  } catch (err) {
    if (err instanceof DomainError) throw new CliError(`${err.message}; nothing was changed.`);
    throw err;
  } finally {
    await database.close();
  }
}

async function create(args: string[]): Promise<number> {
  const o = parseOptions(args, { user: 'string', scopes: 'string', name: 'string', days: 'string' }, USAGE);
  const email = required(o.user, 'user', USAGE);
  const parsed = CreateTokenInput.safeParse({
    name: o.name ?? 'cli',
    scopes: required(o.scopes, 'scopes', USAGE).split(',').map((s) => s.trim()).filter(Boolean),
    expiresInDays: o.days === undefined ? 90 : Number(o.days),
  });
  if (!parsed.success) {
    const flag = (p: PropertyKey | undefined) => (p === 'expiresInDays' ? 'days' : String(p));
    throw new UsageError(parsed.error.issues.map((i) => `--${flag(i.path[0])}: ${i.message}`).join('\n'), USAGE);
  }
  const t = await withDatabase(async (db) => {
    const [u] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
    if (!u) throw new CliError(`No account has the email ${email}.`);
    return createTokenFor(db, u.id, parsed.data, { actor: system('cli') });
  });
  console.log(`Token ${t.id} "${t.name}" for ${email}, scopes ${t.scopes.join(',')}, ${t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : 'never expires'}.`);
  console.log('It is shown only now; store it safely:');
  console.log(t.token);
  return 0;
}

async function revoke(args: string[]): Promise<number> {
  const o = parseOptions(args, { id: 'string' }, USAGE);
  const id = required(o.id, 'id', USAGE);
  if (!isUuid(id)) throw new UsageError(`--id: not a token id: ${id}`, USAGE);
  await withDatabase((db) => revokeTokenCommand(db, id, undefined, { actor: system('cli') }));
  console.log(`Token ${id} revoked.`);
  return 0;
}

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const [sub, ...rest] = args;
    if (sub === 'create') return create(rest);
    if (sub === 'revoke') return revoke(rest);
    throw new UsageError(sub ? `Unknown subcommand: token ${sub}` : 'Missing subcommand', USAGE);
  });
}
