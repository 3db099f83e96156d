/**
 * One benchmark client of the realtime bench: opens the per-tab WebSocket with a session cookie,
 * subscribes to messaging, resolves once subscribed, and reports the latency of every bench post
 * it receives (arrival − the send time the poster wrote into the body, `tag <n> at <epoch ms>`).
 * Used in the bench process (`--clients-in-process`) and in its child (bench/realtime-clients.ts).
 */
import WebSocket from 'ws';

export const clockNow = () => performance.timeOrigin + performance.now();

export function connectBenchClient(url: string, cookie: string, onLatency: (ms: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { headers: { cookie, origin: url } });
    ws.on('error', reject);
    ws.on('message', (raw) => {
      const s = raw.toString();
      if (s.startsWith('{"type":"hello"')) ws.send('{"type":"messaging.subscribe"}');
      else if (s.startsWith('{"type":"messaging.subscribed"')) resolve(ws);
      else if (s.startsWith('{"type":"messaging.event"')) {
        const m = /"body":"tag \d+ at ([\d.]+)"/.exec(s);
        if (m) onLatency(clockNow() - Number(m[1]));
      }
    });
  });
}
