/**
 * The two drivers behind one interface: PGlite (embedded, default) and a PostgreSQL server.
 * Modules only see `Database`/`Db`/`Tx`; they never know which driver runs.
 */
import path from 'node:path';
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import * as schema from './schema.ts';
import { acquireDirLock, type DirLock } from './lockfile.ts';
import { clientForDrizzle } from './pglite-parsers.ts';

const execFileAsync = promisify(execFile);

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
  /**
   * Called each time this process's listening connection is back after being lost: notices sent
   * while it was down were missed, so whoever relies on them must assume anything changed. (Never on
   * the embedded database, which notifies in-process.) Returns an unsubscribe function.
   */
  onListenGap(fn: () => void): () => void;
  close(): Promise<void>;
  /** Only for the embedded driver: backup/restore helpers. */
  readonly pglite?: PGlite;
}

export type OpenOptions =
  | { url: string; poolSize?: number }
  /**
   * `initInChild`: a new data directory is initialised in a short-lived child process (see
   * initDataDir) — for long-running processes (the server, benchmarks); short CLI commands skip the
   * extra process.
   */
  | { dataDir: string; lock?: boolean; initInChild?: boolean }
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
    if (opts.initInChild) await initDataDir(pgdata);
    const client = await PGlite.create({ dataDir: pgdata });
    return wrapPglite(client, lock);
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * A new embedded data directory is initialised (initdb) in a short-lived child process: PGlite
 * keeps initdb's WebAssembly memory (~500 MB) for the life of the process that ran it, which would
 * otherwise stay in the platform's resident memory after its first start.
 */
async function initDataDir(pgdata: string): Promise<void> {
  if (fs.existsSync(path.join(pgdata, 'PG_VERSION'))) return;
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const code = `const { PGlite } = await import(${JSON.stringify(entry)});
    const db = await PGlite.create({ dataDir: ${JSON.stringify(pgdata)} }); await db.close();`;
  try {
    await execFileAsync(process.execPath, ['--input-type=module', '-e', code], { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    throw new Error(`Could not initialise the embedded database in ${pgdata}: ${(err as { stderr?: string }).stderr?.slice(0, 2000) ?? err}`);
  }
}

function wrapPglite(client: PGlite, lock: DirLock | undefined): Database {
  const db = drizzlePglite({ client: clientForDrizzle(client), schema }) as unknown as Db;
  let closed = false;
  return {
    driver: 'pglite',
    db,
    pglite: client,
    onListenGap: () => () => {},
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
  // One dedicated connection carries every LISTEN of this process. When it is lost (server restart,
  // backend killed) it is re-established with backoff and LISTENs again on every channel; notices
  // sent while it was down are lost, which consumers tolerate (the outbox also polls).
  let listenClient: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const handlers = new Map<string, Set<Listener>>();
  const gapListeners = new Set<() => void>();
  let lost = false; // a listening connection was lost and its replacement has not told of the gap yet
  function reconnectLater(delayMs: number): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (closed || handlers.size === 0) return;
      ensureListener().catch(() => reconnectLater(Math.min(delayMs * 2, 30_000)));
    }, delayMs);
    retryTimer.unref();
  }
  function ensureListener(): Promise<pg.Client> {
    if (listenClient) return Promise.resolve(listenClient);
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => {
        /* surfaced as 'end' below */
      });
      await c.connect();
      c.on('notification', (msg) => {
        for (const fn of handlers.get(msg.channel) ?? []) fn(msg.payload ?? '');
      });
      c.on('end', () => {
        if (listenClient !== c) return;
        listenClient = undefined;
        lost = true;
        reconnectLater(200);
      });
      try {
        for (const channel of handlers.keys()) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (err) {
        await c.end().catch(() => {});
        throw err;
      }
      if (closed) {
        await c.end().catch(() => {});
        throw new Error('database closed');
      }
      listenClient = c;
      if (lost) {
        lost = false;
        for (const fn of gapListeners) {
          try {
            fn();
          } catch { /* one listener's failure never stops the others */ }
        }
      }
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }
  return {
    driver: 'postgres',
    db,
    onListenGap(fn) {
      gapListeners.add(fn);
      return () => gapListeners.delete(fn);
    },
    async listen(channel, fn) {
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(fn);
      // LISTEN is idempotent; a (re)connecting client also LISTENs on every registered channel.
      try {
        const c = await ensureListener();
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (err) {
        set.delete(fn);
        if (set.size === 0 && handlers.get(channel) === set) handlers.delete(channel);
        throw err;
      }
      return async () => {
        set!.delete(fn);
        if (set!.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await listenClient?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const c = listenClient ?? (await connecting?.catch(() => undefined));
      listenClient = undefined;
      await c?.end().catch(() => {});
      await pool.end();
    },
  };
}
