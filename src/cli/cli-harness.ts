/**
 * Test helpers for the CLI: runs `node --import tsx src/cli.ts …` as a real child process against a
 * private embedded DATA_DIR, or a private PostgreSQL database when TEST_DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDb, driverUnderTest, ROOT, tempDir, type TestDb } from '../../test/harness.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';

export type CliResult = { code: number | null; stdout: string; stderr: string };

export type CliTarget = {
  driver: 'pglite' | 'postgres';
  dataDir: string;
  publicUrl: string;
  env: NodeJS.ProcessEnv;
  /** Runs `fn` with the target database open (for the embedded driver only between CLI runs). */
  withDb<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
};

/** A private target; `migrated: false` leaves an embedded DATA_DIR empty (PostgreSQL ones are always migrated). */
export async function cliTarget(opts: { migrated?: boolean } = {}): Promise<CliTarget> {
  const driver = driverUnderTest();
  const dataDir = tempDir('cli');
  const publicUrl = 'https://hemisphere.test.example';
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  let testDb: TestDb | undefined;
  if (driver === 'postgres') {
    testDb = await createTestDb();
    env.DATABASE_URL = testDb.url;
  } else if (opts.migrated !== false) {
    const database = await openDatabase({ dataDir });
    await migrate(database).finally(() => database.close());
  }
  return {
    driver,
    dataDir,
    publicUrl,
    env,
    async withDb(fn) {
      if (testDb) return fn(testDb.database);
      const database = await openDatabase({ dataDir });
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async cleanup() {
      await testDb?.drop().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), ...args], {
      cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
