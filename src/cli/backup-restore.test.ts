/**
 * backup/restore as real CLI processes. Embedded driver: a full round trip, the lock refusal and the
 * --force rule. PostgreSQL driver: both refuse and point at pg_dump / pg_restore.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { users } from '../core/tables.ts';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../db/client.ts';
import { driverUnderTest } from '../../test/harness.ts';
import { cliTarget, runCli, type CliTarget } from './cli-harness.ts';

let t: CliTarget;
before(async () => {
  t = await cliTarget({ migrated: false });
});
after(async () => {
  await t.cleanup();
});

const emails = () => t.withDb(async (d) => (await d.db.select({ email: users.email }).from(users).orderBy(users.email)).map((u) => u.email));

describe('backup and restore on PostgreSQL', { skip: driverUnderTest() !== 'postgres' }, () => {
  test('backup refuses and points at pg_dump; restore at pg_restore', async () => {
    const out = path.join(t.dataDir, 'x.tar.gz');
    const b = await runCli(['backup', '--out', out], t.env);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /pg_dump/);
    assert.equal(fs.existsSync(out), false);
    fs.writeFileSync(out, 'not a backup');
    const r = await runCli(['restore', '--in', out], t.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pg_restore/);
  });
});

describe('backup and restore of the embedded database', { skip: driverUnderTest() !== 'pglite' }, () => {
  const file = () => path.join(t.dataDir, '..', `${path.basename(t.dataDir)}-backup.tar.gz`);
  after(() => fs.rmSync(file(), { force: true }));

  test('backup of a data directory without a database is refused', async () => {
    const r = await runCli(['backup', '--out', file()], t.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no embedded database/);
    assert.equal(fs.existsSync(file()), false);
  });

  test('backup writes an archive of the current state', async () => {
    const c = await runCli(['create-admin', '--email', 'kept@example.org', '--name', 'Kept', '--password-stdin'], t.env, 'a long enough passphrase');
    assert.equal(c.code, 0, c.stderr);
    const r = await runCli(['backup', '--out', file()], t.env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.statSync(file()).size > 0);
    const again = await runCli(['backup', '--out', file()], t.env);
    assert.equal(again.code, 2, 'an existing file is never overwritten');
  });

  test('backup and restore refuse (exit 3) while another process holds the data directory', async () => {
    const held = await openDatabase({ dataDir: t.dataDir });
    try {
      const out = `${file()}.locked`;
      const b = await runCli(['backup', '--out', out], t.env);
      assert.equal(b.code, 3);
      assert.match(b.stderr, /stop the platform/i);
      assert.equal(fs.existsSync(out), false);
      const r = await runCli(['restore', '--in', file(), '--force'], t.env);
      assert.equal(r.code, 3);
    } finally {
      await held.close();
    }
  });

  test('restore refuses to replace a database without --force, then replaces it and keeps the old one', async () => {
    const c = await runCli(['create-admin', '--email', 'later@example.org', '--name', 'Later'], t.env);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(await emails(), ['kept@example.org', 'later@example.org']);

    const refused = await runCli(['restore', '--in', file()], t.env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--force/);
    assert.deepEqual(await emails(), ['kept@example.org', 'later@example.org']);

    const r = await runCli(['restore', '--in', file(), '--force'], t.env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await emails(), ['kept@example.org']);
    const kept = fs.readdirSync(t.dataDir).filter((n) => n.startsWith('pgdata.before-restore-'));
    assert.equal(kept.length, 1);
    const old = await PGlite.create({ dataDir: path.join(t.dataDir, kept[0]!) });
    try {
      const res = await old.query<{ email: string }>('SELECT email FROM users ORDER BY email');
      assert.deepEqual(res.rows.map((r) => r.email), ['kept@example.org', 'later@example.org'], 'the replaced database is intact');
    } finally {
      await old.close();
    }

    const v = await runCli(['audit', 'verify'], t.env);
    assert.equal(v.code, 0, v.stderr);
  });

  test('a file that is not a backup is refused and changes nothing', async () => {
    const bogus = path.join(t.dataDir, 'bogus.tar.gz');
    fs.writeFileSync(bogus, 'this is not a tarball');
    const r = await runCli(['restore', '--in', bogus, '--force'], t.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not a usable Hemisphere backup/);
    assert.deepEqual(await emails(), ['kept@example.org']);
    assert.equal(fs.readdirSync(t.dataDir).filter((n) => n.includes('.restoring-')).length, 0);
  });

  test('restore into an empty data directory needs no --force', async () => {
    const fresh = await cliTarget({ migrated: false });
    try {
      const r = await runCli(['restore', '--in', file()], fresh.env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await fresh.withDb(async (d) => (await d.db.select({ email: users.email }).from(users).where(sql`true`)).map((u) => u.email)), ['kept@example.org']);
    } finally {
      await fresh.cleanup();
    }
  });
});
