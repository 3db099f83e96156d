/**
 * The embedded data directory is single-process: a second process is refused with a clear message,
 * a lock left by a dead process is taken over. PGlite-only by nature, so it runs on every driver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from './client.ts';
import { DataDirLockedError } from './lockfile.ts';
import { tempDir } from '../../test/harness.ts';
import { CHILD_TEST, spawnFixture } from '../../test/fixtures/child.ts';

const lockOf = (dir: string) => path.join(dir, 'hemisphere.lock');
const readLock = (dir: string) => JSON.parse(fs.readFileSync(lockOf(dir), 'utf8')) as { pid: number; host: string };

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('a second process opening the same data directory is refused, in-process and as a child', CHILD_TEST, async (t) => {
  const dir = tempDir('lock');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const holder = spawnFixture('open-datadir.ts', { dataDir: dir });
  t.after(() => holder.kill('SIGKILL'));
  await holder.waitForLine(/^OPENED \d+/);
  assert.equal(readLock(dir).pid, holder.pid);

  await assert.rejects(openDatabase({ dataDir: dir }), (err: unknown) => {
    assert.ok(err instanceof DataDirLockedError);
    assert.equal(err.pid, holder.pid);
    assert.equal(err.code, 'data_dir_locked');
    assert.match(err.message, /in use by another Hemisphere process/);
    return true;
  });
  // The refused attempt left the holder's lock alone.
  assert.equal(readLock(dir).pid, holder.pid);

  const second = spawnFixture('open-datadir.ts', { dataDir: dir });
  const { code } = await second.exited;
  assert.equal(code, 3);
  assert.match(second.stderr(), new RegExp(`in use by another Hemisphere process \\(pid ${holder.pid}`));
  assert.doesNotMatch(second.stdout(), /OPENED/);

  // A clean close releases the lock; the directory opens again.
  holder.proc.stdin!.end();
  assert.equal((await holder.exited).code, 0);
  assert.equal(fs.existsSync(lockOf(dir)), false);
  const again = await openDatabase({ dataDir: dir });
  assert.equal(readLock(dir).pid, process.pid);
  await again.close();
  assert.equal(fs.existsSync(lockOf(dir)), false);
});

test('a lock left by a killed process is taken over', CHILD_TEST, async (t) => {
  const dir = tempDir('lock-killed');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const holder = spawnFixture('open-datadir.ts', { dataDir: dir });
  await holder.waitForLine(/^OPENED/);
  holder.kill('SIGKILL');
  await holder.exited;
  assert.equal(readLock(dir).pid, holder.pid, 'kill -9 leaves the lock file behind');

  const db = await openDatabase({ dataDir: dir });
  try {
    assert.equal(readLock(dir).pid, process.pid);
    assert.deepEqual(await rows(db.db, sql`SELECT 1 AS one`), [{ one: 1 }]);
  } finally {
    await db.close();
  }
});

test('stale and half-written lock files are taken over; a live foreign pid is not', async (t) => {
  const dir = tempDir('lock-stale');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const os = await import('node:os');
  fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), at: new Date().toISOString() }));
  const db = await openDatabase({ dataDir: dir });
  assert.equal(readLock(dir).pid, process.pid);
  await db.close();

  fs.writeFileSync(lockOf(dir), '{"pid": 12'); // crash mid-write
  const db2 = await openDatabase({ dataDir: dir });
  assert.equal(readLock(dir).pid, process.pid);
  await db2.close();

  // A live process (here: our parent, certainly alive) holding the lock refuses us.
  fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: process.ppid, host: os.hostname(), at: new Date().toISOString() }));
  await assert.rejects(openDatabase({ dataDir: dir }), DataDirLockedError);
  assert.equal(readLock(dir).pid, process.ppid);
  fs.rmSync(lockOf(dir));
});

test('the same process opening a data directory it already holds is refused too', async (t) => {
  const dir = tempDir('lock-self');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const first = await openDatabase({ dataDir: dir });
  await assert.rejects(openDatabase({ dataDir: `${dir}/./` }), (err: unknown) => err instanceof DataDirLockedError && err.pid === process.pid);
  assert.equal(readLock(dir).pid, process.pid, 'the lock stays with the first opener');
  await first.close();
  const second = await openDatabase({ dataDir: dir });
  await second.close();
});

test('a leftover lock carrying our own pid (a restarted container) is taken over', async (t) => {
  const dir = tempDir('lock-ownpid');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const os = await import('node:os');
  fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: process.pid, host: os.hostname(), at: '2020-01-01T00:00:00.000Z' }));
  const db = await openDatabase({ dataDir: dir });
  assert.notEqual(JSON.parse(fs.readFileSync(lockOf(dir), 'utf8')).at, '2020-01-01T00:00:00.000Z');
  await db.close();
});
