/**
 * One WebSocket per browser tab at /api/ws, authenticated by the session cookie. The server says
 * hello with the user id and pings periodically; later capabilities push ids-only notices through
 * it. Anonymous (or API-token, or cross-origin) connections are closed with 4401 / 4403.
 *
 * A socket acts as the Actor resolved when it connected. When that Actor changes — logout or any
 * session revocation, a membership or role change, a sharing group's organisations, a user's account
 * fields (the `auth.changed` notices of src/auth/auth-changes.ts, sent on commit to every node) — the
 * node closes the affected sockets with 4409: the client reconnects (as it does after any drop), is
 * resolved afresh (or refused with 4401) and resumes from its cursor, so it keeps no access that was
 * taken away. Window: from the commit until the notice reaches the node. Notices are not replayed, so
 * when a node's LISTEN connection was lost and is back, it closes every socket the same way: the
 * window is then until the connection is back.
 */
import type { Module } from './app.ts';
import type { UserActor } from '../core/actor.ts';
import { AUTH_TOPIC, parseAuthNotice, type AuthChange } from '../auth/auth-changes.ts';

/**
 * Capabilities extend the per-tab socket (rather than opening their own): each registered extension
 * gets every authenticated connection and sees the JSON messages the client sends on it.
 */
/**
 * `sendRaw` takes text already serialised (a Buffer holding UTF-8 JSON is sent as a text frame, so a
 * frame fanned out to many sockets is encoded once); `sendRawMany` writes several such frames with
 * one socket write (one syscall) instead of one each. `sendFramed` takes frames already framed by
 * `textFrame` (server frames are unmasked, so the bytes are the same for every socket and a fan-out
 * frames each message once) and writes them with one plain write, bypassing ws's per-socket framing;
 * on a connection with a negotiated extension (none is enabled today) it falls back to `sendRawMany`.
 */
export type Framed = { bytes: Buffer; texts: Buffer[] };
export type WsConnection = {
  actor: UserActor; send(msg: unknown): void; sendRaw(text: string | Buffer): void; sendRawMany(texts: (string | Buffer)[]): void;
  sendFramed(f: Framed): void; close(code: number, reason: string): void;
};

/** One complete, unmasked, final WebSocket text frame (RFC 6455 §5.2) holding `payload` (UTF-8). */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x81; // FIN + opcode 1 (text)
  if (n < 126) out[1] = n;
  else if (n < 65_536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    out.writeUInt32BE(n >>> 0, 6);
  }
  payload.copy(out, head);
  return out;
}
export type WsExtension = (conn: WsConnection) => { onMessage?(msg: { type?: unknown; [k: string]: unknown }): void; onClose?(): void };

declare module 'fastify' {
  interface FastifyInstance {
    wsExtensions: WsExtension[];
  }
}

export const WS_PATH = '/api/ws';
export const WS_CLOSE_UNAUTHENTICATED = 4401;
export const WS_CLOSE_FORBIDDEN_ORIGIN = 4403;
export const WS_CLOSE_ACCESS_CHANGED = 4409;
export const WS_PING_MS = 25_000;

/** Whether a change notice concerns a connection's Actor. */
export function actorAffected(a: UserActor, c: AuthChange): boolean {
  switch (c.scope) {
    case 'session': return a.sessionId === c.id;
    case 'user': return a.userId === c.id;
    case 'org': return a.memberships.some((m) => m.orgId === c.id);
    case 'all': return true;
  }
}

export const wsRoutes: Module = (app, deps) => {
  app.decorate('wsExtensions', [] as WsExtension[]);
  const live = new Set<{ actor: UserActor; close(): void }>();
  const unsubscribe = deps.bus.subscribe(AUTH_TOPIC, (msg) => {
    const change = parseAuthNotice(msg);
    if (!change) return;
    for (const c of live) if (actorAffected(c.actor, change)) c.close();
  });
  // Notices may have been missed while the bus connection was down: every socket is re-resolved
  // (closed with 4409; the client reconnects as whoever it is now and resumes from its cursor).
  const unsubscribeGap = deps.bus.onGap(() => { for (const c of live) c.close(); });
  app.addHook('onClose', async () => { unsubscribe(); unsubscribeGap(); });
  app.get(WS_PATH, {
    websocket: true,
    // Public at the edge so that the upgrade completes and the refusal is a close code the app understands.
    config: { access: { permission: 'public' } },
    schema: { tags: ['realtime'], summary: 'The per-tab real-time connection (session cookie); hello, then pings' },
  }, (socket, req) => {
    const origin = req.headers.origin;
    if (origin) {
      let host = '';
      try {
        host = new URL(origin).host;
      } catch { /* malformed origin: refused below */ }
      if (host !== req.headers.host) {
        socket.close(WS_CLOSE_FORBIDDEN_ORIGIN, 'cross-origin');
        return;
      }
    }
    const a = req.actor;
    if (a.kind !== 'user' || a.via !== 'session') {
      socket.close(WS_CLOSE_UNAUTHENTICATED, 'unauthenticated');
      return;
    }
    const send = (msg: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    const sendRaw = (text: string | Buffer) => {
      if (socket.readyState === socket.OPEN) socket.send(text, { binary: false });
    };
    // ws writes each frame with its own cork/uncork; an outer cork on the TCP socket (counted, so the
    // nesting is safe) turns a run of frames into one writev.
    const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void; write(b: Buffer): boolean } })._socket;
    const sendRawMany = (texts: (string | Buffer)[]) => {
      if (socket.readyState !== socket.OPEN) return;
      tcp?.cork();
      try {
        for (const t of texts) socket.send(t, { binary: false });
      } finally {
        tcp?.uncork();
      }
    };
    // Without extensions (permessage-deflate is off) ws writes every frame synchronously to the TCP
    // socket and never queues, so bytes framed here and written directly keep frame boundaries.
    // Extensions are negotiated in the handshake, so this holds for the connection's lifetime.
    const direct = tcp !== undefined && socket.extensions === '';
    const sendFramed = (f: Framed) => {
      if (socket.readyState !== socket.OPEN) return;
      if (direct) tcp.write(f.bytes);
      else sendRawMany(f.texts);
    };
    send({ type: 'hello', userId: a.userId, at: new Date().toISOString() });
    const handlers = app.wsExtensions.map((ext) => ext({
      actor: a, send, sendRaw, sendRawMany, sendFramed, close: (code, reason) => socket.close(code, reason),
    }));
    const entry = { actor: a, close: () => socket.close(WS_CLOSE_ACCESS_CHANGED, 'access changed') };
    live.add(entry);
    const timer = setInterval(() => send({ type: 'ping', at: new Date().toISOString() }), WS_PING_MS);
    timer.unref();
    socket.on('message', (raw) => {
      let msg: { type?: unknown } | null = null;
      try {
        msg = JSON.parse(String(raw)) as { type?: unknown };
      } catch { /* ignored: the protocol is JSON */ }
      if (msg?.type === 'ping') send({ type: 'pong', at: new Date().toISOString() });
      else if (msg && typeof msg === 'object') for (const h of handlers) h.onMessage?.(msg);
    });
    socket.on('close', () => {
      live.delete(entry);
      clearInterval(timer);
      for (const h of handlers) h.onClose?.();
    });
  });
};
