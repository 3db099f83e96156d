/** What every command and query receives: the database, the acting party, and where the call came from. */
import type { Actor } from './actor.ts';
import type { Db, DbOrTx, Tx } from '../db/client.ts';

export type Ctx = {
  db: Db;
  actor: Actor;
  ip?: string | null;
  requestId?: string | null;
};

/** Run `fn` in a transaction (or the caller's one when `db` already is a transaction). */
export async function inTx<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (isTx(db)) return fn(db);
  return (db as Db).transaction(fn);
}

function isTx(db: DbOrTx): db is Tx {
  return typeof (db as Tx).rollback === 'function';
}
