/**
 * The messaging feed of this tab, on the tab's one WebSocket (session's RealtimeConnection). On
 * every hello (first connect and each reconnect) it sends `messaging.subscribe` with the last
 * delivery-log position it has seen, so the server replays exactly what came after it: no gap. An
 * event at or below that position is dropped, so a replay that overlaps never shows twice: no
 * duplicate. Screens merge events by message id on top (an edit replaces, a delete tombstones).
 */
import { useEffect, useRef } from 'react';
import type { RealtimeConnection, ServerMessage } from '../../realtime.ts';
import type { Message } from './types.ts';

export type FeedEvent = { pos: number; kind: 'created' | 'edited' | 'deleted' | 'urgent'; message: Message };
type Handlers = { onEvent?(e: FeedEvent): void; onSubscribed?(info: { cursor: number; replayed: number }): void };

export class MessagingFeed {
  /** The last delivery-log position received (null until the first subscription answers). */
  cursor: number | null = null;
  private readonly handlers = new Set<Handlers>();

  constructor(private readonly conn: RealtimeConnection) {
    conn.subscribe((m) => this.onMessage(m));
    if (conn.state === 'open') this.sendSubscribe();
  }

  listen(h: Handlers): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  private sendSubscribe() {
    this.conn.send({ type: 'messaging.subscribe', ...(this.cursor !== null ? { cursor: this.cursor } : {}) });
  }

  private onMessage(m: ServerMessage) {
    if (m.type === 'hello') this.sendSubscribe();
    else if (m.type === 'messaging.event') {
      const e = m as unknown as FeedEvent;
      if (typeof e.pos !== 'number' || (this.cursor !== null && e.pos <= this.cursor)) return;
      this.cursor = e.pos;
      for (const h of this.handlers) h.onEvent?.(e);
    } else if (m.type === 'messaging.subscribed') {
      const cursor = Number(m.cursor);
      if (this.cursor === null || cursor > this.cursor) this.cursor = cursor;
      for (const h of this.handlers) h.onSubscribed?.({ cursor, replayed: Number(m.replayed) });
    }
  }
}

const feeds = new WeakMap<RealtimeConnection, MessagingFeed>();

/** The tab's feed (created on first use, kept for the connection's life). */
export function feedOf(conn: RealtimeConnection): MessagingFeed {
  let f = feeds.get(conn);
  if (!f) {
    f = new MessagingFeed(conn);
    feeds.set(conn, f);
  }
  return f;
}

/** Listen to the feed while mounted; the latest handlers are always called. */
export function useFeed(conn: RealtimeConnection | null, handlers: Handlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!conn) return;
    return feedOf(conn).listen({
      onEvent: (e) => ref.current.onEvent?.(e),
      onSubscribed: (i) => ref.current.onSubscribed?.(i),
    });
  }, [conn]);
}
