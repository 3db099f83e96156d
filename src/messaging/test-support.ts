/** Test-only: real WebSocket clients on /api/ws speaking the messaging protocol. */
import WebSocket from 'ws';
import type { TestSession } from '../auth/test-helpers.ts';

export type Ev = { type: 'messaging.event'; pos: number; kind: string; message: { id: string; body: string; tlp: string; deleted: boolean; channelId: string } };

export type WsClient = {
  events: Ev[];
  subscribed: Promise<{ cursor: number; replayed: number }>;
  waitFor(pred: (evs: Ev[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export function connectMessaging(baseUrl: string, s: TestSession, cursor?: number): Promise<WsClient> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/ws`, { headers: { cookie: s.cookie, origin: baseUrl } });
  const events: Ev[] = [];
  let onSub: (v: { cursor: number; replayed: number }) => void = () => {};
  const subscribed = new Promise<{ cursor: number; replayed: number }>((r) => (onSub = r));
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { type: string; cursor?: number; replayed?: number };
      if (msg.type === 'hello') {
        ws.send(JSON.stringify({ type: 'messaging.subscribe', ...(cursor !== undefined ? { cursor } : {}) }));
        resolve(client);
      } else if (msg.type === 'messaging.event') events.push(msg as unknown as Ev);
      else if (msg.type === 'messaging.subscribed') onSub({ cursor: msg.cursor!, replayed: msg.replayed! });
    });
    const client: WsClient = {
      events,
      subscribed,
      async waitFor(pred, timeoutMs = 5000) {
        const deadline = Date.now() + timeoutMs;
        while (!pred(events)) {
          if (Date.now() > deadline) throw new Error(`timed out; got ${events.length} events: ${JSON.stringify(events.map((e) => [e.pos, e.kind, e.message.body]))}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      close: () => new Promise((r) => {
        if (ws.readyState === ws.CLOSED) return r();
        ws.once('close', () => r());
        ws.close();
      }),
    };
  });
}

/** Give late deliveries a chance to arrive before asserting that something did NOT arrive. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
