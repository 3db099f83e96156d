/**
 * Applies the committed SQL migrations (drizzle/) in journal order, once, under a transaction-level
 * advisory lock so that several app nodes starting together apply each migration exactly once.
 * Identical on PGlite and on a PostgreSQL server.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { rows, type Database } from './client.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');
const LOCK_KEY = 7_224_601_001; // arbitrary, constant: "hemisphere migrations"

type Migration = { tag: string; hash: string; statements: string[] };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const text = fs.readFileSync(path.join(dir, `${tag}.sql`), 'utf8');
      return {
        tag,
        hash: crypto.createHash('sha256').update(text).digest('hex'),
        statements: text.split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean),
      };
    });
}

export class MigrationMismatchError extends Error {
  constructor(tag: string) {
    super(`Migration ${tag} was changed after it was applied; write a new migration instead.`);
  }
}

/** Returns the tags applied by this call (empty when the database was already current). */
export async function migrate(database: Database, migrations = readMigrations()): Promise<string[]> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.execute(sql`CREATE TABLE IF NOT EXISTS hs_migrations (
      tag text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Map(
      (await rows<{ tag: string; hash: string }>(tx, sql`SELECT tag, hash FROM hs_migrations`)).map((r) => [r.tag, r.hash]),
    );
    const done: string[] = [];
    for (const m of migrations) {
      const prior = applied.get(m.tag);
      if (prior !== undefined) {
        if (prior !== m.hash) throw new MigrationMismatchError(m.tag);
        continue;
      }
      for (const stmt of m.statements) await tx.execute(sql.raw(stmt));
      await tx.execute(sql`INSERT INTO hs_migrations (tag, hash) VALUES (${m.tag}, ${m.hash})`);
      done.push(m.tag);
    }
    return done;
  });
}
