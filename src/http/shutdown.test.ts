/**
 * `npm start` as a real process: prints the one-time setup link, serves, and on SIGTERM finishes,
 * closes the database, releases the data-directory lock and exits 0 — so the next start works.
 * While it runs, a second start on the same embedded data directory is refused with a clear message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createTestDb, driverUnderTest, ROOT, tempDir } from '../../test/harness.ts';
import { CHILD_TEST, spawnTs } from '../../test/fixtures/child.ts';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...extra };
  delete env.TEST_DATABASE_URL;
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  delete env.PUBLIC_URL;
  return env;
}

test('npm start prints the setup link, SIGTERM exits 0 and releases the data directory', CHILD_TEST, async (t) => {
  const dataDir = tempDir('start');
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const pg = driverUnderTest() === 'postgres';
  const extra: Record<string, string> = { DATA_DIR: dataDir };
  if (pg) {
    const tdb = await createTestDb();
    t.after(() => tdb.drop());
    extra.DATABASE_URL = tdb.url!;
  }
  const main = path.join(ROOT, 'src/main.ts');
  const start = async () => {
    const port = await freePort();
    const child = spawnTs(main, [], { env: childEnv({ ...extra, PORT: String(port) }) });
    t.after(() => child.kill('SIGKILL'));
    const line = await child.waitForLine(/\/setup\?token=/);
    const link = new URL(line.trim());
    assert.equal(link.port, String(port), 'the printed link points at the real port');
    return { child, port, token: link.searchParams.get('token')! };
  };

  const first = await start();
  assert.match(first.token, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status, 200);
  const lockFile = path.join(dataDir, 'hemisphere.lock');
  if (!pg) {
    assert.equal(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid, first.child.pid);
    const port = await freePort();
    const rival = spawnTs(main, [], { env: childEnv({ ...extra, PORT: String(port) }) });
    t.after(() => rival.kill('SIGKILL'));
    const { code } = await rival.exited;
    assert.equal(code, 3);
    assert.match(rival.stderr(), new RegExp(`in use by another Hemisphere process \\(pid ${first.child.pid}`));
  }

  first.child.kill('SIGTERM');
  const exit = await first.child.exited;
  assert.deepEqual(exit, { code: 0, signal: null }, first.child.stderr());
  assert.match(first.child.stdout(), /SIGTERM received/);
  assert.equal(fs.existsSync(lockFile), false, 'the lock is released');
  await assert.rejects(fetch(`http://127.0.0.1:${first.port}/healthz`), 'no longer listening');

  const second = await start();
  assert.notEqual(second.token, first.token, 'each start issues a fresh setup link');
  assert.equal((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status, 200);
  second.child.kill('SIGTERM');
  assert.equal((await second.child.exited).code, 0, second.child.stderr());
});
