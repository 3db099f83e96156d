/**
 * Real-time delivery on one app node. Every node LISTENs for delivery-log notices (ids only, from
 * any node) and pages through `message_events` with one node cursor. Thanks to the commit-ordered
 * positions (events.ts) that cursor never skips a late commit. For each event the node loads the
 * message once, then decides per connected PERSON (sockets of the same user share one verdict) with
 * `canSee` on the message's marking plus the channel's invite-only rule, and writes one pre-serialised
 * frame (encoded once, shared by every socket) to each allowed socket — the frames of a whole page
 * go to a socket in one write, so a node that falls behind catches up with fewer syscalls.
 *
 * Protocol on /api/ws (after hello):
 *   → { type: 'messaging.subscribe', cursor?: number }   resume after `cursor` (or start live)
 *   ← { type: 'messaging.event', pos, kind, message }     created | edited | deleted | urgent
 *   ← { type: 'messaging.subscribed', cursor, replayed }  replay done, live from here
 * A resuming client first gets every readable event after its cursor (replayed from the database
 * as that person); live events that arrive meanwhile are buffered and sent after, skipping any
 * position already sent — no gap, no duplicate, positions strictly increasing per socket.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { UserActor } from '../core/actor.ts';
import type { EventBus } from '../core/bus.ts';
import { canSee, type Marking } from '../core/visibility.ts';
import type { Db } from '../db/client.ts';
import type { WsConnection } from '../http/ws.routes.ts';
import { canEnterChannel, markingOf, type ChannelRow, type MessageRow } from './access.ts';
import { EVENT_TOPIC } from './events.ts';
import { eventsAfter, headPosition, toDtos } from './messages.query.ts';
import { channelMembers, channels, messageEvents, messages } from './tables.ts';

type Sub = { actor: UserActor; conn: WsConnection; subscribed: boolean; cursor: number; buffer: { pos: number; text: Buffer }[] | null };
/** One event of a page, prepared once for every socket: its frame is serialised and encoded at most once. */
type Outgoing = { pos: number; kind: string; marking: Marking; ch: ChannelRow; dto: unknown; frame: Buffer | null; verdict: Map<string, boolean> };
const PAGE = 500;

export class RealtimeHub {
  private readonly subs = new Set<Sub>();
  private nodeCursor = 0;
  private pumping: Promise<void> | null = null;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  /** Frames written (for the benchmark and metrics). */
  delivered = 0;

  constructor(private readonly db: Db, private readonly bus: EventBus, private readonly log: Logger) {}

  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe(EVENT_TOPIC, () => this.kick());
    this.nodeCursor = await headPosition(this.db);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.pumping;
  }

  get connections(): number {
    return this.subs.size;
  }

  connect(conn: WsConnection) {
    const sub: Sub = { actor: conn.actor, conn, subscribed: false, cursor: 0, buffer: null };
    this.subs.add(sub);
    return {
      onMessage: (msg: { type?: unknown; cursor?: unknown }) => {
        if (msg.type !== 'messaging.subscribe' || sub.subscribed) return;
        const cursor = typeof msg.cursor === 'number' && Number.isSafeInteger(msg.cursor) && msg.cursor >= 0 ? msg.cursor : null;
        this.subscribe(sub, cursor).catch((err) => {
          this.log.warn({ err: (err as Error).message }, 'messaging replay failed');
          conn.close(1011, 'replay failed');
        });
      },
      onClose: () => this.subs.delete(sub),
    };
  }

  private async subscribe(sub: Sub, cursor: number | null): Promise<void> {
    sub.subscribed = true;
    if (cursor === null) {
      sub.cursor = this.nodeCursor;
      sub.conn.send({ type: 'messaging.subscribed', cursor: sub.cursor, replayed: 0 });
      return;
    }
    sub.buffer = [];
    sub.cursor = cursor;
    let replayed = 0;
    for (;;) {
      const page = await eventsAfter(this.db, sub.actor, sub.cursor, PAGE);
      for (const e of page) {
        sub.conn.send({ type: 'messaging.event', pos: e.pos, kind: e.kind, message: e.message });
        sub.cursor = e.pos;
        replayed++;
      }
      if (page.length < PAGE) break;
    }
    for (const b of sub.buffer) {
      if (b.pos > sub.cursor) {
        sub.conn.sendRaw(b.text);
        sub.cursor = b.pos;
      }
    }
    sub.buffer = null;
    sub.conn.send({ type: 'messaging.subscribed', cursor: sub.cursor, replayed });
  }

  /** A notice arrived (from any node): page through the log from the node cursor. */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        try {
          await this.pump();
        } catch (err) {
          this.log.warn({ err: (err as Error).message }, 'messaging delivery pump failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.pumping = null;
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const page = await this.db.select({ pos: messageEvents.pos, kind: messageEvents.kind, m: messages, ch: channels })
        .from(messageEvents).innerJoin(messages, eq(messages.id, messageEvents.messageId))
        .innerJoin(channels, eq(channels.id, messages.channelId))
        .where(gt(messageEvents.pos, this.nodeCursor)).orderBy(asc(messageEvents.pos)).limit(PAGE);
      if (!page.length) return;
      const members = await this.inviteOnlyMembers(page.map((p) => p.ch));
      const dtos = await toDtos(this.db, page.map((p) => p.m));
      this.deliver(page.map((e, i) => ({
        pos: e.pos, kind: e.kind, marking: markingOf(e.m as unknown as Marking), ch: e.ch, dto: dtos[i], frame: null, verdict: new Map(),
      })), members);
      this.nodeCursor = page[page.length - 1]!.pos;
      if (page.length < PAGE) return;
    }
  }

  /** For invite-only channels in the page: which connected people are members (one query). */
  private async inviteOnlyMembers(chs: ChannelRow[]): Promise<Set<string>> {
    const ids = [...new Set(chs.filter((c) => c.access !== 'open').map((c) => c.id))];
    const users = [...new Set([...this.subs].map((s) => s.actor.userId))];
    if (!ids.length || !users.length) return new Set();
    const r = await this.db.select({ c: channelMembers.channelId, u: channelMembers.userId }).from(channelMembers)
      .where(and(inArray(channelMembers.channelId, ids), inArray(channelMembers.userId, users)));
    return new Set(r.map((x) => `${x.c}:${x.u}`));
  }

  /**
   * Fan a page of events out: per socket, the events its person may read (one verdict per person and
   * event), in position order, written with one socket write for the whole page.
   */
  private deliver(page: Outgoing[], members: Set<string>): void {
    const out: Buffer[] = [];
    for (const sub of this.subs) {
      if (!sub.subscribed) continue;
      const uid = sub.actor.userId;
      for (const e of page) {
        let ok = e.verdict.get(uid);
        if (ok === undefined) {
          ok = canSee(sub.actor, e.marking) && canEnterChannel(sub.actor, e.ch, members.has(`${e.ch.id}:${uid}`));
          e.verdict.set(uid, ok);
        }
        if (!ok) continue;
        e.frame ??= Buffer.from(JSON.stringify({ type: 'messaging.event', pos: e.pos, kind: e.kind, message: e.dto }));
        if (sub.buffer) sub.buffer.push({ pos: e.pos, text: e.frame });
        else if (e.pos > sub.cursor) {
          out.push(e.frame);
          sub.cursor = e.pos;
        }
      }
      if (out.length === 1) sub.conn.sendRaw(out[0]!);
      else if (out.length > 1) sub.conn.sendRawMany(out);
      this.delivered += out.length;
      out.length = 0;
    }
  }
}
