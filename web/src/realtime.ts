/**
 * One WebSocket per tab at /api/ws, opened while signed in, reconnecting with exponential backoff
 * (with jitter, capped). The state is shown in the shell; later capabilities subscribe to messages.
 */
import { useEffect, useState } from 'react';

export type ConnectionState = 'connecting' | 'open' | 'closed';
export type ServerMessage = { type: string; [k: string]: unknown };
type Listener = (m: ServerMessage) => void;

export const WS_CLOSE_UNAUTHENTICATED = 4401;
export const backoffMs = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);

export class RealtimeConnection {
  state: ConnectionState = 'closed';
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly url: string, private readonly onUnauthenticated: () => void) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ws?.close(1000);
    this.ws = null;
    this.set('closed');
  }

  onState(fn: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /** Sends a JSON message if the socket is open (capabilities re-send their subscriptions on each hello). */
  send(msg: unknown): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(s: ConnectionState) {
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private open() {
    this.set('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
    };
    ws.onmessage = (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'hello') this.set('open');
      for (const fn of this.listeners) fn(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.set('closed');
      if (this.stopped) return;
      if (ev.code === WS_CLOSE_UNAUTHENTICATED) {
        this.stopped = true;
        this.onUnauthenticated();
        return;
      }
      this.timer = setTimeout(() => this.open(), backoffMs(this.attempt++));
    };
  }
}

export function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/ws`;
}

export function useConnectionState(conn: RealtimeConnection | null): ConnectionState {
  const [state, setState] = useState<ConnectionState>(conn?.state ?? 'closed');
  useEffect(() => {
    if (!conn) {
      setState('closed');
      return;
    }
    setState(conn.state);
    return conn.onState(setState);
  }, [conn]);
  return state;
}
