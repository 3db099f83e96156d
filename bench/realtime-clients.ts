/**
 * The realtime bench's WebSocket clients, run in a child process (bench/realtime.ts forks it) so
 * that the node under test does not also pay for 1,000 clients parsing their frames. Talks to the
 * parent over IPC: { connect: [{ url, cookie }] } → 'ready'; { collect: true } → { received, latencies, cpuMs } (CPU used since the last collect).
 * Latency = arrival − the send time the poster wrote into the body (`tag <n> at <epoch ms>`), both
 * read from the same machine clock (performance.timeOrigin + performance.now()).
 */
import type WebSocket from 'ws';
import { connectBenchClient } from './realtime-socket.ts';

const sockets: WebSocket[] = [];
let latencies: number[] = [];
let received = 0;
let cpu = process.cpuUsage();

process.on('message', async (msg: { connect?: { url: string; cookie: string }[]; collect?: boolean; stop?: boolean }) => {
  if (msg.connect) {
    const record = (ms: number) => { latencies.push(ms); received++; };
    sockets.push(...(await Promise.all(msg.connect.map(({ url, cookie }) => connectBenchClient(url, cookie, record)))));
    process.send!('ready');
  } else if (msg.collect) {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    process.send!({ received, latencies, cpuMs: (used.user + used.system) / 1000 });
    latencies = [];
    received = 0;
  } else if (msg.stop) {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
