/** create-admin, reset-password and audit verify, run as real CLI processes on the driver under test. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { auditLog, oneTimeTokens, users } from '../core/tables.ts';
import { sha256 } from '../core/ids.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { completePasswordReset } from '../auth/password-reset.command.ts';
import { anonymous } from '../core/actor.ts';
import { rows } from '../db/client.ts';
import { cliTarget, runCli, type CliTarget } from './cli-harness.ts';

let t: CliTarget;
let beaFirstLink = '';
before(async () => {
  t = await cliTarget();
});
after(async () => {
  await t.cleanup();
});

const userByEmail = (email: string) =>
  t.withDb(async (d) => (await d.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`))[0]);
const tokenFrom = (stdout: string, publicUrl: string): string => {
  const m = new RegExp(`${publicUrl.replace(/[.]/g, '\\.')}/reset-password\\?token=([A-Za-z0-9_-]+)`).exec(stdout);
  assert.ok(m, `no reset link in: ${stdout}`);
  return m[1]!;
};

describe('usage errors (exit 2, nothing changed)', () => {
  const cases: [string, string[], string?][] = [
    ['create-admin without --name', ['create-admin', '--email', 'u1@example.org']],
    ['create-admin with a bad email', ['create-admin', '--email', 'not-an-email', '--name', 'X']],
    ['create-admin with an unknown option', ['create-admin', '--email', 'u2@example.org', '--name', 'X', '--admin']],
    ['create-admin with a too short password', ['create-admin', '--email', 'u3@example.org', '--name', 'X', '--password-stdin'], 'short\n'],
    ['reset-password without --email', ['reset-password']],
    ['audit without a subcommand', ['audit']],
    ['an unknown command', ['no-such-command']],
  ];
  for (const [name, args, stdin] of cases) {
    test(name, async () => {
      const r = await runCli(args, t.env, stdin);
      assert.equal(r.code, 2, r.stderr + r.stdout);
    });
  }
  test('no account was created by the refused calls', async () => {
    for (const email of ['u1@example.org', 'u2@example.org', 'u3@example.org']) assert.equal(await userByEmail(email), undefined);
  });
});

describe('create-admin', () => {
  test('with --password-stdin creates an administrator who can use that password, audited as the system', async () => {
    const r = await runCli(['create-admin', '--email', 'Ada@Example.org', '--name', 'Ada Admin', '--password-stdin'], t.env, 'a long enough passphrase\n');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /reset-password/);
    const u = await userByEmail('ada@example.org');
    assert.ok(u);
    assert.equal(u.platformRole, 'administrator');
    assert.equal(u.displayName, 'Ada Admin');
    assert.ok(u.passwordHash && (await verifyPassword(u.passwordHash, 'a long enough passphrase')));
    assert.equal(await verifyPassword(u.passwordHash, 'a long enough passphrase\n'), false);
    const audit = await t.withDb((d) => d.db.select().from(auditLog).where(eq(auditLog.targetId, u.id)));
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.action, 'user.create_admin');
    assert.equal(audit[0]!.actorType, 'system:cli');
  });

  test('an email already registered (any case) is refused with exit 1 and nothing changes', async () => {
    const before = await t.withDb((d) => rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM audit_log`));
    const r = await runCli(['create-admin', '--email', 'ADA@example.org', '--name', 'Other'], t.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already registered/);
    const afterCount = await t.withDb((d) => rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM audit_log`));
    assert.deepEqual(afterCount, before);
    assert.equal((await userByEmail('ada@example.org'))!.displayName, 'Ada Admin');
  });

  test('without a password prints a one-time link bound to the new account', async () => {
    const r = await runCli(['create-admin', '--email', 'bea@example.org', '--name', 'Bea', '--locale', 'pt'], t.env);
    assert.equal(r.code, 0, r.stderr);
    const token = tokenFrom(r.stdout, t.publicUrl);
    beaFirstLink = token;
    const u = await userByEmail('bea@example.org');
    assert.ok(u);
    assert.equal(u.passwordHash, null);
    assert.equal(u.locale, 'pt');
    const [tok] = await t.withDb((d) => d.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.tokenHash, sha256(token))));
    assert.ok(tok, 'only the sha256 of the token is stored');
    assert.equal(tok.purpose, 'password_reset');
    assert.equal(tok.userId, u.id);
    assert.equal(tok.usedAt, null);
    assert.ok(tok.expiresAt > new Date());
  });
});

describe('reset-password', () => {
  test('prints a 1-hour link for the account, voiding its earlier unused links, audited', async () => {
    const u = await userByEmail('bea@example.org');
    const r = await runCli(['reset-password', '--email', 'BEA@example.org'], t.env);
    assert.equal(r.code, 0, r.stderr);
    const token = tokenFrom(r.stdout, t.publicUrl);
    const tokens = await t.withDb((d) => d.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, u!.id)));
    const fresh = tokens.find((x) => x.tokenHash === sha256(token));
    assert.ok(fresh);
    assert.equal(fresh.purpose, 'password_reset');
    const ttl = fresh.expiresAt.getTime() - fresh.createdAt.getTime();
    assert.ok(ttl > 59 * 60_000 && ttl <= 61 * 60_000, `ttl ${ttl}`);
    assert.ok(tokens.filter((x) => x !== fresh).every((x) => x.usedAt !== null), 'older links are void');
    const audit = await t.withDb((d) => d.db.select().from(auditLog).where(eq(auditLog.targetId, u!.id)));
    assert.ok(audit.some((a) => a.action === 'user.password_reset_issued' && a.actorType === 'system:cli'));
  });

  test('the printed link works on the password-reset endpoint once; the voided earlier link does not', async () => {
    const r = await runCli(['reset-password', '--email', 'bea@example.org'], t.env);
    assert.equal(r.code, 0, r.stderr);
    const token = tokenFrom(r.stdout, t.publicUrl);
    const meta = { actor: anonymous };
    await t.withDb(async (d) => {
      await assert.rejects(completePasswordReset(d.db, { token: beaFirstLink, password: 'another long passphrase' }, meta), { code: 'gone' });
      await completePasswordReset(d.db, { token, password: 'bea chose this passphrase' }, meta);
      await assert.rejects(completePasswordReset(d.db, { token, password: 'and once more please' }, meta), { code: 'gone' });
    });
    const u = await userByEmail('bea@example.org');
    assert.ok(u?.passwordHash && (await verifyPassword(u.passwordHash, 'bea chose this passphrase')));
  });

  test('an unknown email is refused with exit 1 and no token is issued', async () => {
    const count = () => t.withDb((d) => rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM one_time_tokens`));
    const before = await count();
    const r = await runCli(['reset-password', '--email', 'nobody@example.org'], t.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No account/);
    assert.deepEqual(await count(), before);
  });
});

describe('audit verify', () => {
  test('exits 0 with a summary on an intact chain', async () => {
    const r = await runCli(['audit', 'verify'], t.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Audit chain intact: \d+ entries verified/);
  });

  test('exits 1 naming the edited row after a superuser bypasses the append-only trigger', async () => {
    const seq = await t.withDb(async (d) =>
      d.db.transaction(async (tx) => {
        const [row] = await rows<{ seq: number }>(tx, sql`SELECT min(seq)::int AS seq FROM audit_log`);
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(sql`UPDATE audit_log SET action = 'forged' WHERE seq = ${row!.seq}`);
        return row!.seq;
      }),
    );
    const r = await runCli(['audit', 'verify'], t.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`#${seq} edited`));
  });
});
