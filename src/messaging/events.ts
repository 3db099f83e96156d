/**
 * The delivery log. Ordering guarantee: positions are taken under a transaction-level advisory
 * lock held until commit, so positions become visible in increasing order on every node — when a
 * reader sees position N, every position below N that will ever commit is already visible. (A
 * rolled-back transaction leaves a hole that never fills, which is harmless.) Readers can therefore
 * advance a cursor to the last position they saw without ever skipping a late commit; this is what
 * makes WebSocket resume gapless, and what lets each node page through the log with one cursor.
 * The same lock orders message `seq`, so history order is commit order too.
 *
 * The lock is taken as the last step of the writing transaction (after the audit row), so the
 * serialised part is a few inserts long.
 */
import { sql } from 'drizzle-orm';
import { publish } from '../core/bus.ts';
import type { Tx } from '../db/client.ts';
import { rows } from '../db/client.ts';

const EVENT_LOCK = 7_224_601_006;
export const EVENT_TOPIC = 'messaging.event';
export type EventKind = 'created' | 'edited' | 'deleted' | 'urgent';

export async function lockEventOrder(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`);
}

/** The next message seq (call after lockEventOrder). */
export async function nextMessageSeq(tx: Tx): Promise<number> {
  const [r] = await rows<{ seq: string | number }>(tx, sql`SELECT coalesce(max(seq), 0) + 1 AS seq FROM messages`);
  return Number(r!.seq);
}

/** Append an event (under the lock) and notify every node when the transaction commits. */
export async function appendEvent(tx: Tx, messageId: string, channelId: string, kind: EventKind): Promise<number> {
  await lockEventOrder(tx);
  const [r] = await rows<{ pos: string | number }>(
    tx,
    sql`INSERT INTO message_events (message_id, channel_id, kind) VALUES (${messageId}, ${channelId}, ${kind}) RETURNING pos`,
  );
  const pos = Number(r!.pos);
  await publish(tx, { topic: EVENT_TOPIC, id: String(pos) });
  return pos;
}
