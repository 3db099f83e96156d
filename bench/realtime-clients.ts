/**
 * The realtime bench's WebSocket clients, run in a child process (bench/realtime.ts forks it) so
 * that the node under test does not also pay for 1,000 clients parsing their frames. Talks to the
 * parent over IPC: { connect: [{ url, cookie }] } → 'ready'; { collect: true } → { received, latencies }.
 * Latency = arrival − the send time the poster wrote into the body (`tag <n> at <epoch ms>`), both
 * read from the same machine clock (performance.timeOrigin + performance.now()).
 */
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();
const sockets: WebSocket[] = [];
let latencies: number[] = [];
let received = 0;

process.on('message', async (msg: { connect?: { url: string; cookie: string }[]; collect?: boolean; stop?: boolean }) => {
  if (msg.connect) {
    await Promise.all(msg.connect.map(({ url, cookie }) => new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { headers: { cookie, origin: url } });
      sockets.push(ws);
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const s = raw.toString();
        if (s.startsWith('{"type":"hello"')) ws.send('{"type":"messaging.subscribe"}');
        else if (s.startsWith('{"type":"messaging.subscribed"')) resolve();
        else if (s.startsWith('{"type":"messaging.event"')) {
          const m = /"body":"tag \d+ at ([\d.]+)"/.exec(s);
          if (m) {
            latencies.push(now() - Number(m[1]));
            received++;
          }
        }
      });
    })));
    process.send!('ready');
  } else if (msg.collect) {
    process.send!({ received, latencies });
    latencies = [];
    received = 0;
  } else if (msg.stop) {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
