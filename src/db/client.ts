/**
 * The two drivers behind one interface: PGlite (embedded, default) and a PostgreSQL server.
 * Modules only see `Database`/`Db`/`Tx`; they never know which driver runs.
 */
import path from 'node:path';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import * as schema from './schema.ts';
import { acquireDirLock, type DirLock } from './lockfile.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export type Listener = (payload: string) => void;

export interface Database {
  readonly driver: 'pglite' | 'postgres';
  readonly db: Db;
  /** Subscribe to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, fn: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Only for the embedded driver: backup/restore helpers. */
  readonly pglite?: PGlite;
}

export type OpenOptions =
  | { url: string; poolSize?: number }
  | { dataDir: string; lock?: boolean }
  | { memory: true; loadDataDir?: Blob };

/** Run raw SQL and return its rows, the same on both drivers. */
export async function rows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if ('url' in opts) return openPostgres(opts.url, opts.poolSize ?? 10);
  if ('memory' in opts) {
    const client = await PGlite.create({ loadDataDir: opts.loadDataDir });
    return wrapPglite(client, undefined);
  }
  const lock = opts.lock === false ? undefined : acquireDirLock(opts.dataDir);
  try {
    const pgdata = path.join(opts.dataDir, 'pgdata');
    fs.mkdirSync(pgdata, { recursive: true });
    const client = await PGlite.create({ dataDir: pgdata });
    return wrapPglite(client, lock);
  } catch (err) {
    lock?.release();
    throw err;
  }
}

function wrapPglite(client: PGlite, lock: DirLock | undefined): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  let closed = false;
  return {
    driver: 'pglite',
    db,
    pglite: client,
    async listen(channel, fn) {
      const unsub = await client.listen(channel, fn);
      return async () => {
        if (!closed) await unsub();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      lock?.release();
    },
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    /* idle client errors are surfaced on next use */
  });
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  // One dedicated connection carries every LISTEN of this process.
  let listenClient: pg.Client | undefined;
  const handlers = new Map<string, Set<Listener>>();
  async function ensureListener(): Promise<pg.Client> {
    if (listenClient) return listenClient;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    c.on('notification', (msg) => {
      for (const fn of handlers.get(msg.channel) ?? []) fn(msg.payload ?? '');
    });
    c.on('error', () => {
      /* connection lost: closed below */
    });
    listenClient = c;
    return c;
  }
  return {
    driver: 'postgres',
    db,
    async listen(channel, fn) {
      const c = await ensureListener();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(fn);
      return async () => {
        set!.delete(fn);
        if (set!.size === 0 && listenClient) {
          handlers.delete(channel);
          await listenClient.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      await listenClient?.end().catch(() => {});
      listenClient = undefined;
      await pool.end();
    },
  };
}
