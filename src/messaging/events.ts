/**
 * The delivery log. Ordering guarantee: positions are taken under a transaction-level advisory
 * lock held until commit, so positions become visible in increasing order on every node — when a
 * reader sees position N, every position below N that will ever commit is already visible. (A
 * rolled-back transaction leaves a hole that never fills, which is harmless.) Readers can therefore
 * advance a cursor to the last position they saw without ever skipping a late commit; this is what
 * makes WebSocket resume gapless, and what lets each node page through the log with one cursor.
 * The same lock orders message `seq`, so history order is commit order too.
 *
 * Lock order: every messaging writer takes the delivery-log lock before the audit-chain lock (a
 * post takes both in one statement, `lockEventOrderAndAudit`), so the two can never deadlock.
 * Anything that must see the newest committed rows after the lock (max(seq), the audit head) is
 * read in a LATER statement than the one that took it: under READ COMMITTED a statement's snapshot
 * is taken when the statement starts, i.e. before its own lock calls return.
 */
import { sql, type SQL } from 'drizzle-orm';
import { AUDIT_LOCK_KEY } from '../core/audit.ts';
import { BUS_CHANNEL } from '../core/bus.ts';
import type { Tx } from '../db/client.ts';
import { rows } from '../db/client.ts';

const EVENT_LOCK = 7_224_601_006;
export const EVENT_TOPIC = 'messaging.event';
export type EventKind = 'created' | 'edited' | 'deleted' | 'urgent';

export async function lockEventOrder(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`);
}

/** The delivery-log lock, then the audit-chain lock, in one round trip (target-list order is evaluation order). */
export async function lockEventOrderAndAudit(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK}), pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
}

/** The next message seq (call after lockEventOrder). */
export async function nextMessageSeq(tx: Tx): Promise<number> {
  const [r] = await rows<{ seq: string | number }>(tx, sql`SELECT coalesce(max(seq), 0) + 1 AS seq FROM messages`);
  return Number(r!.seq);
}

/**
 * SQL: the bus notice (core/bus.ts `publish`: `{"topic","id"}` on BUS_CHANNEL, ids only) for the
 * event at position `pos`, for use inside a larger statement; like `publish`, it is delivered on commit.
 */
export const eventNoticeSql = (pos: SQL): SQL =>
  sql`pg_notify(${BUS_CHANNEL}, json_build_object('topic', ${EVENT_TOPIC}::text, 'id', (${pos})::text)::text)`;

/**
 * Append an event and notify every node when the transaction commits — one statement: the lock is
 * taken in a CTE the insert reads from, so the position (a sequence, not snapshot-dependent) is
 * drawn only once the lock is held.
 */
export async function appendEvent(tx: Tx, messageId: string, channelId: string, kind: EventKind): Promise<number> {
  const [r] = await rows<{ pos: string | number }>(tx, sql`WITH locked AS (SELECT pg_advisory_xact_lock(${EVENT_LOCK})),
    ev AS (INSERT INTO message_events (message_id, channel_id, kind) SELECT ${messageId}::uuid, ${channelId}::uuid, ${kind} FROM locked RETURNING pos)
    SELECT pos, ${eventNoticeSql(sql`pos`)} AS notified FROM ev`);
  return Number(r!.pos);
}
