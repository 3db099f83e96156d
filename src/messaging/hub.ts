/**
 * Real-time delivery on one app node. Every node LISTENs for delivery-log notices (ids only, from
 * any node) and pages through `message_events` with one node cursor. Thanks to the commit-ordered
 * positions (events.ts) that cursor never skips a late commit. A page of events is read in one
 * query (message, channel, author name, attachments); each event's WebSocket frame is serialised
 * and framed once for every socket.
 *
 * Verdicts: `canSee` on the message's marking plus the channel's invite-only rule. Connected people
 * are grouped by `audienceKey` (organisations, network membership, sharing groups). For an event
 * whose verdict is shared (`verdictIsShared`: not RED, channel open) the node decides once per
 * group and sends the group one pre-concatenated buffer; a TLP:RED message, an invite-only channel,
 * or a reader who created the message or the channel is decided per person, exactly as before.
 * Sockets of one person always share that person's verdict. The actor of a socket is the one
 * resolved when it connected, as before this grouping.
 *
 * Protocol on /api/ws (after hello):
 *   → { type: 'messaging.subscribe', cursor?: number }   resume after `cursor` (or start live)
 *   ← { type: 'messaging.event', pos, kind, message }     created | edited | deleted | urgent
 *   ← { type: 'messaging.subscribed', cursor, replayed }  replay done, live from here
 * A resuming client first gets every readable event after its cursor (replayed from the database
 * as that person); live events that arrive meanwhile are buffered and sent after, skipping any
 * position already sent — no gap, no duplicate, positions strictly increasing per socket.
 */
import { and, inArray } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { UserActor } from '../core/actor.ts';
import type { EventBus } from '../core/bus.ts';
import { canSee, type Marking } from '../core/visibility.ts';
import type { Db } from '../db/client.ts';
import { textFrame, type WsConnection } from '../http/ws.routes.ts';
import { audienceKey, canEnterChannel, markingOf, verdictIsShared, type ChannelAccess } from './access.ts';
import { EVENT_TOPIC } from './events.ts';
import { eventPage, eventsAfter, headPosition } from './messages.query.ts';
import { channelMembers } from './tables.ts';

type Sub = {
  actor: UserActor; conn: WsConnection; subscribed: boolean; cursor: number; buffer: { pos: number; text: Buffer }[] | null;
  group: Group;
};
/** The connected sockets whose people share an audienceKey. */
type Group = { key: string; subs: Set<Sub> };
/** One event of a page, prepared once for every socket. */
type Outgoing = {
  pos: number; marking: Marking; ch: ChannelAccess; shared: boolean; text: Buffer; framed: Buffer;
  /** People for whom a shared verdict does not apply: the message's and the channel's creators. */
  creators: (string | null)[];
};
const PAGE = 500;

export class RealtimeHub {
  private readonly subs = new Set<Sub>();
  private readonly groups = new Map<string, Group>();
  private nodeCursor = 0;
  private pumping: Promise<void> | null = null;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  /** Frames written (for the benchmark and metrics). */
  delivered = 0;
  /** Shortest time between two fan-outs (0: fan out as soon as a notice arrives). Set by the benchmark to compare. */
  minPumpIntervalMs = 0;
  private lastPumpAt = 0;

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
    const key = audienceKey(conn.actor);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { key, subs: new Set() }));
    const sub: Sub = { actor: conn.actor, conn, subscribed: false, cursor: 0, buffer: null, group };
    this.subs.add(sub);
    group.subs.add(sub);
    return {
      onMessage: (msg: { type?: unknown; cursor?: unknown }) => {
        if (msg.type !== 'messaging.subscribe' || sub.subscribed) return;
        const cursor = typeof msg.cursor === 'number' && Number.isSafeInteger(msg.cursor) && msg.cursor >= 0 ? msg.cursor : null;
        this.subscribe(sub, cursor).catch((err) => {
          this.log.warn({ err: (err as Error).message }, 'messaging replay failed');
          conn.close(1011, 'replay failed');
        });
      },
      onClose: () => {
        this.subs.delete(sub);
        sub.group.subs.delete(sub);
        if (!sub.group.subs.size && this.groups.get(sub.group.key) === sub.group) this.groups.delete(sub.group.key);
      },
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
        // Pacing (off by default): at most one fan-out per `minPumpIntervalMs`, so that under a
        // high message rate each socket gets several events per write. Adds up to that much latency.
        const wait = this.lastPumpAt + this.minPumpIntervalMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.again = false;
        this.lastPumpAt = performance.now();
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
      const page = await eventPage(this.db, this.nodeCursor, PAGE);
      if (!page.length) return;
      const members = await this.inviteOnlyMembers(page.map((p) => p.ch));
      this.deliver(page.map((e) => {
        const marking = markingOf(e.m as unknown as Marking);
        const text = Buffer.from(JSON.stringify({ type: 'messaging.event', pos: e.pos, kind: e.kind, message: e.dto }));
        return {
          pos: e.pos, marking, ch: e.ch, shared: verdictIsShared(marking, e.ch), text, framed: textFrame(text),
          creators: [marking.createdBy, e.ch.createdBy],
        };
      }), members);
      this.nodeCursor = page[page.length - 1]!.pos;
      if (page.length < PAGE) return;
    }
  }

  /** For invite-only channels in the page: which connected people are members (one query). */
  private async inviteOnlyMembers(chs: ChannelAccess[]): Promise<Set<string>> {
    const ids = [...new Set(chs.filter((c) => c.access !== 'open').map((c) => c.id))];
    if (!ids.length) return new Set();
    const users = [...new Set([...this.subs].map((s) => s.actor.userId))];
    if (!users.length) return new Set();
    const r = await this.db.select({ c: channelMembers.channelId, u: channelMembers.userId }).from(channelMembers)
      .where(and(inArray(channelMembers.channelId, ids), inArray(channelMembers.userId, users)));
    return new Set(r.map((x) => `${x.c}:${x.u}`));
  }

  /**
   * Fan a page of events out. Per group: the shared verdicts, decided once with the first socket's
   * actor that is not a creator. A socket that is live, behind none of the page, and whose person
   * created none of the page's messages or channels gets the group's frames as one buffer; any other
   * socket (replaying, or with a per-person event in the page) is decided event by event, per person.
   */
  private deliver(page: Outgoing[], members: Set<string>): void {
    const first = page[0]!.pos;
    const allShared = page.every((e) => e.shared);
    const creators = new Set(page.flatMap((e) => e.creators));
    for (const group of this.groups.values()) {
      const perPerson = new Map<string, boolean[]>(); // sockets of one person (in one group) share a verdict
      const shared: (boolean | undefined)[] = page.map(() => undefined);
      const verdict = (e: Outgoing, i: number, actor: UserActor): boolean => {
        if (e.shared && !e.creators.includes(actor.userId)) {
          return (shared[i] ??= canSee(actor, e.marking) && canEnterChannel(actor, e.ch, false));
        }
        return canSee(actor, e.marking) && canEnterChannel(actor, e.ch, members.has(`${e.ch.id}:${actor.userId}`));
      };
      let bulk: { bytes: Buffer; texts: Buffer[]; last: number; count: number } | null = null;
      for (const sub of group.subs) {
        if (!sub.subscribed) continue;
        const uid = sub.actor.userId;
        if (allShared && !sub.buffer && sub.cursor < first && !creators.has(uid)) {
          bulk ??= this.bulkFor(page, (e, i) => verdict(e, i, sub.actor));
          if (!bulk.count) continue;
          sub.conn.sendFramed(bulk);
          sub.cursor = bulk.last;
          this.delivered += bulk.count;
          continue;
        }
        let mine = perPerson.get(uid);
        if (!mine) perPerson.set(uid, (mine = page.map((e, i) => verdict(e, i, sub.actor))));
        const texts: Buffer[] = [];
        const framed: Buffer[] = [];
        page.forEach((e, i) => {
          if (!mine[i]) return;
          if (sub.buffer) sub.buffer.push({ pos: e.pos, text: e.text });
          else if (e.pos > sub.cursor) {
            texts.push(e.text);
            framed.push(e.framed);
            sub.cursor = e.pos;
          }
        });
        if (texts.length) sub.conn.sendFramed({ bytes: framed.length === 1 ? framed[0]! : Buffer.concat(framed), texts });
        this.delivered += texts.length;
      }
    }
  }

  /** The frames of the events `ok` accepts, concatenated once for every socket of a group. */
  private bulkFor(page: Outgoing[], ok: (e: Outgoing, i: number) => boolean) {
    const picked = page.filter((e, i) => ok(e, i));
    return {
      bytes: picked.length === 1 ? picked[0]!.framed : Buffer.concat(picked.map((e) => e.framed)),
      texts: picked.map((e) => e.text), last: picked.length ? picked[picked.length - 1]!.pos : 0, count: picked.length,
    };
  }
}
