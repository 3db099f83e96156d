/**
 * `npm run bench -- realtime [--pg postgres://…/db] [--clients 1000] [--seconds 5] [--rates 10,25,50,100,200] [--warmup 3] [--pace-ms 0]`
 *
 * 1,000 WebSocket clients (1,000 distinct people in 10 network teams, all subscribed) on one node;
 * with --pg (or BENCH_DATABASE_URL) the same clients split over two nodes on one PostgreSQL. A
 * poster sends messages into a network-wide channel over the REST API at rising rates; each client
 * records the time from the POST being sent to the frame arriving. Prints per rate: deliveries/s,
 * p50/p99 latency, and the highest rate held with p99 < 100 ms. The poster and the nodes share this
 * process; the clients run in a child process (bench/realtime-clients.ts) so that the node is not
 * also paying for 1,000 clients parsing frames — they still share the machine's cores.
 * `--clients-in-process` keeps the clients in this process (how the figures before 2026-11 were taken).
 * Besides latency it prints the CPU time this process (node(s) + poster) spent per posted message and
 * the clients' process CPU use: on a shared machine latency follows the load of others, CPU per
 * message much less, so before/after comparisons taken under load should read that column.
 * `--pace-ms N` makes each node fan out at most once per N ms (RealtimeHub.minPumpIntervalMs; 0, the
 * default, is what the platform does), to measure batching several events into one write per socket.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import pino from 'pino';
import pg from 'pg';
import crypto from 'node:crypto';
import { createTestDb, tempDir } from '../test/harness.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { startPlatform, type Platform } from '../src/platform.ts';
import { memberships, organisations, users } from '../src/core/tables.ts';
import { newId } from '../src/core/ids.ts';
import { createSession } from '../src/auth/sessions.ts';
import { SESSION_COOKIE } from '../src/auth/sessions.ts';
import type WebSocket from 'ws';
import { clockNow, connectBenchClient } from './realtime-socket.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function freshPgDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hs_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await d.end();
    },
  };
}

async function run(label: string, pgUrl: string | undefined, nodeCount: number) {
  const clients = Number(arg('clients', '1000'));
  const seconds = Number(arg('seconds', '5'));
  const rates = arg('rates', '10,25,50,100,200').split(',').map(Number);
  const pgDb = pgUrl ? await freshPgDatabase(pgUrl) : undefined;
  const embedded = pgDb ? undefined : await createTestDb();
  const nodes: { platform: Platform; url: string; dir: string }[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const dir = tempDir(`bench-rt-${i}`);
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', REQUIRE_2FA_ROLES: '', WORKERS: 'false', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) }, { port: 0, host: '127.0.0.1' });
    const database = pgDb ? await openDatabase({ url: pgDb.url }) : embedded!.database;
    if (pgDb && i === 0) await migrate(database);
    const platform = await startPlatform(config, { database, logger: pino({ level: 'silent' }) });
    platform.app.messagingHub.minPumpIntervalMs = Number(arg('pace-ms', '0'));
    const a = platform.app.server.address();
    nodes.push({ platform, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, dir });
  }
  const db = nodes[0]!.platform.database.db;
  // 10 network teams, `clients` people, one session each.
  const orgIds = Array.from({ length: 10 }, () => newId());
  await db.insert(organisations).values(orgIds.map((id, i) => ({ id, name: `Bench CSIRT ${i}`, type: 'national_csirt', networkMember: true })));
  const people = Array.from({ length: clients }, (_, i) => ({ id: newId(), email: `rt${i}-${crypto.randomBytes(3).toString('hex')}@bench.example`, displayName: `RT ${i}` }));
  for (let i = 0; i < people.length; i += 500) await db.insert(users).values(people.slice(i, i + 500));
  for (let i = 0; i < people.length; i += 500) {
    await db.insert(memberships).values(people.slice(i, i + 500).map((p, j) => ({ userId: p.id, orgId: orgIds[(i + j) % 10]!, role: i + j < 10 ? 'org_admin' : 'member' })));
  }
  const cookies: string[] = [];
  for (const p of people) cookies.push(`${SESSION_COOKIE}=${(await createSession(db, p.id, { ip: '127.0.0.1', userAgent: 'bench' })).value}`);
  const poster = await createSession(db, people[0]!.id, { ip: '127.0.0.1', userAgent: 'bench' });
  const posterCookie = `${SESSION_COOKIE}=${poster.value}`;
  const post = (path: string, body: unknown) => fetch(`${nodes[0]!.url}${path}`, {
    method: 'POST', headers: { cookie: posterCookie, 'x-csrf-token': poster.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const ch = await (await post('/api/messaging/channels', { kind: 'network', name: 'bench', defaultTlp: 'green' })).json() as { id: string };

  const now = clockNow; // the same clock the clients read
  const inProcess = process.argv.includes('--clients-in-process');
  let latencies: number[] = [];
  let received = 0;
  const sockets: WebSocket[] = [];
  const child = inProcess ? undefined : fork(new URL('./realtime-clients.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] });
  const ask = <T>(msg: unknown) => new Promise<T>((resolve) => {
    child!.once('message', (r) => resolve(r as T));
    child!.send(msg as object);
  });
  const targets = cookies.map((cookie, i) => ({ url: nodes[i % nodeCount]!.url, cookie }));
  if (child) await ask<string>({ connect: targets });
  else {
    const record = (ms: number) => { latencies.push(ms); received++; };
    sockets.push(...(await Promise.all(targets.map(({ url: base, cookie }) => connectBenchClient(base, cookie, record)))));
  }
  let clientCpuMs = 0;
  const collect = async () => {
    if (!child) return;
    const r = await ask<{ received: number; latencies: number[]; cpuMs: number }>({ collect: true });
    received += r.received;
    clientCpuMs += r.cpuMs;
    for (const l of r.latencies) latencies.push(l);
  };
  console.log(`\n## ${label}: ${clients} WebSocket clients on ${nodeCount} node(s) (${pgDb ? 'PostgreSQL' : 'embedded PGlite'}; clients ${child ? 'in a child process' : 'in the bench process'})`);
  console.log('| msgs/s offered | msgs/s posted | deliveries/s | p50 ms | p99 ms | max ms | lost | node CPU ms/msg | node CPU % | clients CPU % |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  let best = 0;
  let seq = 0;
  // Warm-up (not reported): a few seconds at a low rate, so the first measured rate does not pay for
  // the JIT compiling the post and fan-out paths (figures before 2026-11-22 afternoon had none).
  const warmup = Number(arg('warmup', '3'));
  for (let i = 0; i < warmup * 10; i++) {
    await post(`/api/messaging/channels/${ch.id}/messages`, { body: `warm-up ${i}` }).then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, 100));
  }
  if (warmup > 0) await new Promise((r) => setTimeout(r, 500));
  for (const rate of rates) {
    await collect(); // drop anything left from the previous rate (and reset the clients' CPU clock)
    latencies = [];
    received = 0;
    clientCpuMs = 0;
    const total = rate * seconds;
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const tag = String(++seq);
      inflight.push(post(`/api/messaging/channels/${ch.id}/messages`, { body: `tag ${tag} at ${now()}` }).then((r) => r.arrayBuffer()));
    }
    await Promise.all(inflight);
    const postedIn = (performance.now() - start) / 1000;
    const expected = total * clients;
    const deadline = performance.now() + 15_000;
    await collect();
    while (received < expected && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, child ? 100 : 20));
      await collect();
    }
    const elapsed = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const p50 = pct(latencies, 50), p99 = pct(latencies, 99), max = latencies.reduce((m, v) => (v > m ? v : m), 0); // no spread: hundreds of thousands of samples
    const held = received === expected && p99 < 100;
    if (held) best = rate;
    console.log(`| ${rate} | ${(total / postedIn).toFixed(0)} | ${(received / elapsed).toFixed(0)} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${max.toFixed(1)} | ${expected - received} | ${(cpuMs / total).toFixed(2)} | ${(cpuMs / elapsed / 10).toFixed(0)} | ${child ? (clientCpuMs / elapsed / 10).toFixed(0) : '(same process)'} |`);
    if (!held && p99 > 1000) break; // far past saturation
  }
  console.log(`Highest rate held with p99 < 100 ms and nothing lost: ${best ? `${best} messages/s (${best * clients} deliveries/s)` : 'none of the rates tried'}`);
  for (const ws of sockets) ws.terminate();
  if (child) {
    child.send({ stop: true });
    await new Promise((r) => child.once('exit', r));
  }
  for (const n of nodes) {
    await n.platform.stop().catch(() => {});
    fs.rmSync(n.dir, { recursive: true, force: true });
  }
  await pgDb?.drop();
  await embedded?.drop().catch(() => {});
}

export async function main(): Promise<void> {
  const pgUrl = arg('pg', process.env.BENCH_DATABASE_URL ?? '');
  const only = arg('only', '');
  if (only !== 'pg') await run('One node', undefined, 1);
  if (pgUrl && only !== 'embedded') {
    await run('One node', pgUrl, 1);
    await run('Two nodes', pgUrl, 2);
  }
}
