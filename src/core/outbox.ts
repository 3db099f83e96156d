/**
 * Transactional outbox. Commands call `enqueue(tx, topic, payload)` in the transaction that makes
 * the change; workers claim due events with `FOR UPDATE SKIP LOCKED` under a lease, run the topic's
 * handler, and mark them done. A worker that dies mid-delivery leaves its lease to expire and the
 * event is claimed again; handlers get the event id as an idempotency key (mail uses it as the
 * Message-ID and file name), so a retried delivery does not duplicate its effect. Failures retry
 * with exponential backoff and end in status 'dead' after `maxAttempts` (also when the worker died
 * during the last attempt: attempts are counted when an event is claimed).
 *
 * Home-made on purpose and kept small: the queue libraries that fit (pg-boss, graphile-worker)
 * need a pg Pool or LISTEN on a separate connection and do not run on PGlite's single connection.
 */
import os from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import { newId } from './ids.ts';
import { outboxEvents } from './tables.ts';
import { rows, type Database, type Db, type DbOrTx } from '../db/client.ts';

export const OUTBOX_CHANNEL = 'hs_outbox';

export type OutboxEvent = { id: string; topic: string; payload: unknown; attempts: number };
export type Handler = (event: OutboxEvent) => Promise<void>;

export async function enqueue(tx: DbOrTx, topic: string, payload: unknown, opts: { delayMs?: number } = {}): Promise<string> {
  const id = newId();
  const availableAt = new Date(Date.now() + (opts.delayMs ?? 0));
  await tx.insert(outboxEvents).values({ id, topic, payload: payload as object, availableAt });
  await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, ${topic})`); // delivered on commit
  return id;
}

export type WorkerOptions = {
  leaseSeconds: number;
  pollMs: number;
  maxAttempts: number;
  batch?: number;
  /** Backoff base; attempt n waits base * 2^(n-1), capped at one hour. */
  backoffMs?: number;
  onError?: (event: OutboxEvent, err: unknown) => void;
};

export const backoffDelay = (attempt: number, base: number): number => Math.min(base * 2 ** Math.max(0, attempt - 1), 3_600_000);

export class OutboxWorker {
  private readonly handlers = new Map<string, Handler>();
  private readonly workerId = `${os.hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly database: Database, private readonly opts: WorkerOptions) {}

  on(topic: string, handler: Handler): this {
    this.handlers.set(topic, handler);
    return this;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.database.listen(OUTBOX_CHANNEL, () => this.wake?.());
    this.loop = this.run();
  }

  /** Stop claiming; wait for the batch in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = 0;
      try {
        worked = await this.runOnce();
      } catch (err) {
        this.opts.onError?.({ id: '', topic: '', payload: null, attempts: 0 }, err);
      }
      if (worked > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.opts.pollMs);
      });
      clearTimeout(this.timer);
      this.wake = undefined;
    }
  }

  /** Claim and deliver one batch; returns how many events were handled. */
  async runOnce(): Promise<number> {
    const topics = [...this.handlers.keys()];
    if (topics.length === 0) return 0;
    const db: Db = this.database.db;
    const topicList = sql.param(topics); // a real array parameter: topic names need no quoting
    // Attempts are counted when claimed, so an event whose worker died during its last allowed
    // attempt (a message that crashes the process, a kill) is given up here instead of looping.
    await db.execute(sql`UPDATE outbox_events SET status = 'dead', locked_until = NULL,
             last_error = ${'The worker stopped during the last attempt (crash or kill); given up.'}
          WHERE status = 'pending' AND attempts >= ${this.opts.maxAttempts}
            AND (locked_until IS NULL OR locked_until < now())
            AND topic = ANY(${topicList}::text[])`);
    const claimed = await rows<{ id: string; topic: string; payload: unknown; attempts: number }>(
      db,
      sql`UPDATE outbox_events SET locked_until = now() + make_interval(secs => ${this.opts.leaseSeconds}),
             locked_by = ${this.workerId}, attempts = attempts + 1
          WHERE id IN (
            SELECT id FROM outbox_events
             WHERE status = 'pending' AND available_at <= now()
               AND (locked_until IS NULL OR locked_until < now())
               AND attempts < ${this.opts.maxAttempts}
               AND topic = ANY(${topicList}::text[])
             ORDER BY seq LIMIT ${this.opts.batch ?? 20}
             FOR UPDATE SKIP LOCKED)
          RETURNING id, topic, payload, attempts`,
    );
    for (const ev of claimed) await this.deliver(ev);
    return claimed.length;
  }

  private async deliver(ev: OutboxEvent): Promise<void> {
    const db = this.database.db;
    const mine = and(eq(outboxEvents.id, ev.id), eq(outboxEvents.lockedBy, this.workerId));
    try {
      await this.handlers.get(ev.topic)!(ev);
      await db.update(outboxEvents)
        .set({ status: 'done', doneAt: new Date(), lockedUntil: null, lastError: null })
        .where(mine);
    } catch (err) {
      this.opts.onError?.(ev, err);
      const message = err instanceof Error ? err.message : String(err);
      const dead = ev.attempts >= this.opts.maxAttempts;
      await db.update(outboxEvents)
        .set({
          status: dead ? 'dead' : 'pending',
          lockedUntil: null,
          lastError: message.slice(0, 2000),
          availableAt: new Date(Date.now() + backoffDelay(ev.attempts, this.opts.backoffMs ?? 2000)),
        })
        .where(mine);
    }
  }
}

/** Operators' view: counts by topic and status. */
export async function outboxStats(db: Db) {
  return rows<{ topic: string; status: string; count: number }>(
    db,
    sql`SELECT topic, status, count(*)::int AS count FROM outbox_events GROUP BY topic, status ORDER BY topic, status`,
  );
}
