/**
 * One WebSocket per browser tab at /api/ws, authenticated by the session cookie. The server says
 * hello with the user id and pings periodically; later capabilities push ids-only notices through
 * it. Anonymous (or API-token, or cross-origin) connections are closed with 4401 / 4403.
 */
import type { Module } from './app.ts';

export const WS_PATH = '/api/ws';
export const WS_CLOSE_UNAUTHENTICATED = 4401;
export const WS_CLOSE_FORBIDDEN_ORIGIN = 4403;
export const WS_PING_MS = 25_000;

export const wsRoutes: Module = (app) => {
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
    send({ type: 'hello', userId: a.userId, at: new Date().toISOString() });
    const timer = setInterval(() => send({ type: 'ping', at: new Date().toISOString() }), WS_PING_MS);
    timer.unref();
    socket.on('message', (raw) => {
      let msg: { type?: unknown } | null = null;
      try {
        msg = JSON.parse(String(raw)) as { type?: unknown };
      } catch { /* ignored: the protocol is JSON */ }
      if (msg?.type === 'ping') send({ type: 'pong', at: new Date().toISOString() });
    });
    socket.on('close', () => clearInterval(timer));
  });
};
