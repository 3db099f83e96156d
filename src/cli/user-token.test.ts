/** `cli user create`, `cli token create|revoke` as real child processes on the driver under test. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { apiTokens, users } from '../core/tables.ts';
import { sha256 } from '../core/ids.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { resolveApiToken } from '../auth/tokens.ts';
import { rows } from '../db/client.ts';
import { cliTarget, runCli, type CliTarget } from './cli-harness.ts';

let t: CliTarget;
before(async () => {
  t = await cliTarget();
});
after(() => t.cleanup());

const userByEmail = (email: string) =>
  t.withDb(async (d) => (await d.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`))[0]);

test('user create: with a password from stdin and a role; refusals change nothing', async () => {
  const r = await runCli(['user', 'create', '--email', 'coord@example.org', '--name', 'Coordinator', '--role', 'coordinator', '--password-stdin'],
    t.env, 'a long enough passphrase\n');
  assert.equal(r.code, 0, r.stderr);
  const u = await userByEmail('coord@example.org');
  assert.equal(u?.platformRole, 'coordinator');
  assert.ok(await verifyPassword(u!.passwordHash!, 'a long enough passphrase'));

  const dup = await runCli(['user', 'create', '--email', 'COORD@example.org', '--name', 'Again', '--password-stdin'], t.env, 'a long enough passphrase\n');
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already registered/);
  for (const args of [
    ['user', 'create', '--email', 'x@example.org', '--name', 'X', '--role', 'superuser'],
    ['user', 'create', '--email', 'not-an-email', '--name', 'X'],
    ['user', 'remove', '--email', 'coord@example.org'],
  ]) {
    const bad = await runCli(args, t.env);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
  }
  assert.equal(await userByEmail('x@example.org'), undefined);

  const noPw = await runCli(['user', 'create', '--email', 'plain@example.org', '--name', 'Plain', '--locale', 'fr'], t.env);
  assert.equal(noPw.code, 0, noPw.stderr);
  assert.match(noPw.stdout, new RegExp(`${t.publicUrl.replace(/\./g, '\\.')}/reset-password\\?token=[A-Za-z0-9_-]+`));
  const plain = await userByEmail('plain@example.org');
  assert.equal(plain?.passwordHash, null);
  assert.equal(plain?.locale, 'fr');
});

test('token create prints the token alone on its last line; it resolves with its scopes; revoke stops it', async () => {
  const r = await runCli(['token', 'create', '--user', 'coord@example.org', '--scopes', 'read,taxii', '--name', 'feed', '--days', '30'], t.env);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const token = lines[lines.length - 1]!;
  assert.match(token, /^hs_[A-Za-z0-9_-]+$/);
  const row = await t.withDb(async (d) => (await d.db.select().from(apiTokens).where(sql`${apiTokens.tokenHash} = ${sha256(token)}`))[0]);
  assert.ok(row, 'only the hash is stored');
  assert.deepEqual(row!.scopes, ['read', 'taxii']);
  assert.equal(row!.name, 'feed');
  const days = (row!.expiresAt!.getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 29.9 && days <= 30);
  const actor = await t.withDb((d) => resolveApiToken(d.db, `Bearer ${token}`));
  assert.equal(actor?.email, 'coord@example.org');
  assert.deepEqual(actor?.scopes, ['read', 'taxii']);

  for (const args of [
    ['token', 'create', '--user', 'coord@example.org', '--scopes', 'read,everything'],
    ['token', 'create', '--user', 'coord@example.org', '--scopes', 'read', '--days', 'soon'],
    ['token', 'create', '--scopes', 'read'],
    ['token', 'revoke', '--id', 'not-a-uuid'],
  ]) assert.equal((await runCli(args, t.env)).code, 2, args.join(' '));
  assert.equal((await runCli(['token', 'create', '--user', 'ghost@example.org', '--scopes', 'read'], t.env)).code, 1);
  const adminScope = await runCli(['token', 'create', '--user', 'coord@example.org', '--scopes', 'admin'], t.env);
  assert.equal(adminScope.code, 1, 'a coordinator cannot hold an admin-scoped token');

  const rev = await runCli(['token', 'revoke', '--id', row!.id], t.env);
  assert.equal(rev.code, 0, rev.stderr);
  assert.equal(await t.withDb((d) => resolveApiToken(d.db, `Bearer ${token}`)), null);
  assert.equal((await runCli(['token', 'revoke', '--id', '00000000-0000-4000-8000-000000000000'], t.env)).code, 1);
  const audit = await t.withDb((d) => rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('api_token.created', 'api_token.revoked')`));
  assert.equal(audit[0]!.n, 2);
});
