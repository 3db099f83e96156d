/**
 * In-process event bus that fans out across nodes over PostgreSQL LISTEN/NOTIFY. Only ids travel
 * (never content): a receiver re-reads the thing through the visibility filter as its own actor.
 * `publish` is called inside the command's transaction, so a notice is only sent when the change
 * commits. On PGlite the same NOTIFY reaches this process's own listeners.
 */
import { sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client.ts';

export const BUS_CHANNEL = 'hs_bus';
export type BusMessage = { topic: string; id: string; scope?: string };
type Subscriber = (msg: BusMessage) => void;

export async function publish(tx: DbOrTx, msg: BusMessage): Promise<void> {
  const text = JSON.stringify(msg);
  if (Buffer.byteLength(text) > 7900) throw new Error('Bus messages carry ids only and must stay small');
  await tx.execute(sql`SELECT pg_notify(${BUS_CHANNEL}, ${text})`);
}

export class EventBus {
  private readonly subs = new Map<string, Set<Subscriber>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly database: Database) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(BUS_CHANNEL, (payload) => {
      let msg: BusMessage;
      try {
        msg = JSON.parse(payload) as BusMessage;
      } catch {
        return;
      }
      for (const fn of [...(this.subs.get(msg.topic) ?? []), ...(this.subs.get('*') ?? [])]) {
        try {
          fn(msg);
        } catch {
          /* one subscriber's failure never stops the others */
        }
      }
    });
  }

  /**
   * Told when notices may have been missed (this process's listening connection was lost and is
   * back): subscribers that keep state from notices must then treat everything as changed.
   */
  onGap(fn: () => void): () => void {
    return this.database.onListenGap(fn);
  }

  subscribe(topic: string, fn: Subscriber): () => void {
    let set = this.subs.get(topic);
    if (!set) this.subs.set(topic, (set = new Set()));
    set.add(fn);
    return () => set!.delete(fn);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.subs.clear();
  }
}
