/**
 * `npm run bench -- lookup [--teams N] [--prefixes N] [--domains N] [--singles N] [--bulk-runs N] [--client-in-process]`:
 * constituency lookup on the real platform (in process, embedded PGlite; TEST_DATABASE_URL uses
 * PostgreSQL instead). Fixture: 5,000 teams holding 200,000 prefixes (80% IPv4, 20% IPv6, with
 * /20 ⊃ /24 overlaps) and 50,000 domains, plus one ASN each. Measures the index build, single
 * lookups over HTTP (GET /api/directory/lookup, sequential, keep-alive: p50/p99) and bulk requests
 * of 10,000 mixed values (POST /api/directory/lookup: values/s). The HTTP client runs in a child
 * process (bench/lookup-client.ts) so the figures measure the node, not the client's JSON parsing
 * and GC on the node's thread; `--client-in-process` keeps the client in this process (how the
 * figures before 2026-11-22 16:00 were taken). Each HTTP figure is given twice: as the client saw
 * it (request sent → answer read) and as the server spent it (request event → response finished).
 */
import os from 'node:os';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { startTestPlatform, driverUnderTest } from '../test/harness.ts';
import { apiClient, createTestUser, sessionFor } from '../src/auth/test-helpers.ts';
import { newId } from '../src/core/ids.ts';
import { organisations } from '../src/core/tables.ts';
import { constituencyEntries } from '../src/directory/tables.ts';
import { bumpGeneration, buildIndex, lookupValues } from '../src/directory/lookup.query.ts';
import { intToIpv4 } from '../src/directory/normalize.ts';
import { CHILD_FLAG, runJob, type Job } from './lookup-client.ts';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const spread = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return `p50 ${ms(pct(s, 50))}, p90 ${ms(pct(s, 90))}, p99 ${ms(pct(s, 99))}, max ${ms(s[s.length - 1]!)}`;
};

/** Runs client jobs in a forked child (default) or in this process (`--client-in-process`). */
async function clientRunner(inProcess: boolean): Promise<{ run(job: Job): Promise<number[]>; stop(): void }> {
  if (inProcess) return { run: runJob, stop: () => {} };
  const child = fork(new URL('./lookup-client.ts', import.meta.url).pathname, [CHILD_FLAG], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve, reject) => { child.once('message', () => resolve()); child.once('error', reject); });
  return {
    run: (job) => new Promise((resolve, reject) => {
      child.once('message', (m: { result?: number[]; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
      child.send({ run: job });
    }),
    stop: () => child.send({ stop: true }),
  };
}

export async function main(): Promise<void> {
  const TEAMS = arg('teams', 5000), PREFIXES = arg('prefixes', 200_000), DOMAINS = arg('domains', 50_000);
  const SINGLES = arg('singles', 2000), BULK_RUNS = arg('bulk-runs', 5);
  const p = await startTestPlatform({ REQUIRE_2FA_ROLES: '', LOG_LEVEL: 'silent', DIRECTORY_JOBS_INTERVAL_SECONDS: '86400' });
  try {
    const db = p.database.db;
    console.log(`lookup bench: ${TEAMS} teams, ${PREFIXES} prefixes, ${DOMAINS} domains — driver ${driverUnderTest()}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);
    let t0 = performance.now();
    const orgIds = Array.from({ length: TEAMS }, () => newId());
    for (let i = 0; i < TEAMS; i += 1000) {
      await db.insert(organisations).values(orgIds.slice(i, i + 1000).map((id, j) => ({ id, name: `Bench CSIRT ${i + j}`, type: 'national_csirt', networkMember: true, countryCode: 'UY' })));
    }
    const v4Count = Math.floor(PREFIXES * 0.8);
    const v6Count = PREFIXES - v4Count;
    const entries: { orgId: string; kind: string; value: string }[] = [];
    const BASE = 0x0b000000; // 11.0.0.0 onwards: consecutive /24s, every 16th block also a covering /20
    let v4 = 0;
    for (let i = 0; v4 < v4Count; i++) {
      entries.push({ orgId: orgIds[i % TEAMS]!, kind: 'ipv4', value: `${intToIpv4((BASE + i * 256) >>> 0)}/24` });
      v4++;
      if (i % 16 === 0 && v4 < v4Count) {
        entries.push({ orgId: orgIds[(i + 7) % TEAMS]!, kind: 'ipv4', value: `${intToIpv4((BASE + i * 256) >>> 0)}/20` });
        v4++;
      }
    }
    const v6Net = (i: number) => `2001:${(0xdb8 + (i >> 16)).toString(16)}:${(i & 0xffff).toString(16)}`;
    for (let i = 0; i < v6Count; i++) entries.push({ orgId: orgIds[i % TEAMS]!, kind: 'ipv6', value: `${v6Net(i)}::/48` });
    for (let i = 0; i < DOMAINS; i++) entries.push({ orgId: orgIds[i % TEAMS]!, kind: 'domain', value: `org${i}.cc${i % 50}.example` });
    for (let i = 0; i < TEAMS; i++) entries.push({ orgId: orgIds[i]!, kind: 'asn', value: String(64_512 + i) });
    for (let i = 0; i < entries.length; i += 5000) await db.insert(constituencyEntries).values(entries.slice(i, i + 5000)).onConflictDoNothing();
    await bumpGeneration(db);
    await db.execute(sql`INSERT INTO team_profiles (org_id, field_visibility) SELECT id, '{}'::jsonb FROM organisations WHERE name LIKE 'Bench CSIRT %' ON CONFLICT DO NOTHING`);
    console.log(`fixture written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${entries.length} entries)`);

    t0 = performance.now();
    const idx = await buildIndex(db);
    console.log(`index build (read + insert into maps): ${ms(performance.now() - t0)}, ${idx.size} entries`);

    const user = await createTestUser(db, { org: { networkMember: true, role: 'member', countryCode: 'UY' } });
    const session = await sessionFor(db, user.id);
    const c = apiClient(p.url, session);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    const inProcess = process.argv.includes('--client-in-process');
    const client = await clientRunner(inProcess);
    console.log(`HTTP client: ${inProcess ? 'in this process (--client-in-process)' : 'child process (bench/lookup-client.ts)'}`);
    // Server-side time of every request: from the request event to the response's last byte written.
    let server: number[] = [];
    p.app.server.prependListener('request', (_req, res) => {
      const s = performance.now();
      res.once('finish', () => server.push(performance.now() - s));
    });
    const measured = async (job: Job) => {
      server = [];
      const lat = await client.run(job);
      return { lat, server: server.slice(-lat.length) };
    };
    t0 = performance.now();
    await c('/api/directory/lookup?q=11.0.0.1').then((r) => r.json());
    console.log(`first lookup (builds this node's index): ${ms(performance.now() - t0)}`);

    const rnd = (n: number) => Math.floor(Math.random() * n);
    const v4Blocks = Math.floor(v4Count * 16 / 17);
    const mixed = (i: number): string => {
      switch (i % 6) {
        case 0: case 1: return intToIpv4((BASE + rnd(v4Blocks) * 256 + rnd(256)) >>> 0);
        case 2: return `${v6Net(rnd(v6Count))}:${rnd(65536).toString(16)}::${rnd(65536).toString(16)}`;
        case 3: { const k = rnd(DOMAINS); return `www.org${k}.cc${k % 50}.example`; }
        case 4: { const k = rnd(DOMAINS); return `soc@org${k}.cc${k % 50}.example`; }
        default: return `AS${64_512 + rnd(TEAMS)}`;
      }
    };
    // sanity: the values resolve
    const probe = await (await c('/api/directory/lookup', { body: { values: Array.from({ length: 600 }, (_, i) => mixed(i)) } })).json() as { items: { teams: unknown[]; kind: string }[] };
    const hits = probe.items.filter((i) => i.teams.length > 0).length;
    console.log(`probe: ${hits}/600 mixed values matched a team`);

    await client.run({ kind: 'get', url: p.url, headers, paths: Array.from({ length: 200 }, () => '/healthz') }); // warm-up
    const floor = await measured({ kind: 'get', url: p.url, headers, paths: Array.from({ length: 1000 }, () => '/healthz') });
    console.log(`baseline GET /healthz with the same session (HTTP + session resolution), client: ${spread(floor.lat)}`);
    console.log(`                                                                       server: ${spread(floor.server)}`);
    const member = (await import('../src/auth/actor-loader.ts')).loadUserActor;
    const actor = (await member(db, user.id, { via: 'session', sessionId: 'bench' }))!;
    const engine: number[] = [];
    for (let run = 0; run < BULK_RUNS; run++) {
      const values = Array.from({ length: 10_000 }, (_, i) => mixed(i + run));
      const s = performance.now();
      await lookupValues(db, actor, values);
      engine.push(10_000 / ((performance.now() - s) / 1000));
    }
    engine.sort((a, b) => a - b);
    console.log(`engine only (lookupValues in process, no HTTP): median ${Math.round(pct(engine, 50)).toLocaleString('en')} values/s`);
    const single = (n: number) => Array.from({ length: n }, (_, i) => `/api/directory/lookup?q=${encodeURIComponent(mixed(i))}`);
    await client.run({ kind: 'get', url: p.url, headers, paths: single(200) }); // warm-up
    const singles = await measured({ kind: 'get', url: p.url, headers, paths: single(SINGLES) });
    console.log(`single GET over HTTP (${SINGLES} sequential), client: ${spread(singles.lat)}`);
    console.log(`                                     server: ${spread(singles.server)}`);

    const bulk = await measured({
      kind: 'bulk', url: p.url, headers, path: '/api/directory/lookup',
      runs: Array.from({ length: BULK_RUNS }, (_, run) => Array.from({ length: 10_000 }, (_, i) => mixed(i + run))),
    });
    const rates = bulk.lat.map((took) => 10_000 / (took / 1000));
    bulk.lat.forEach((took, run) => console.log(`bulk POST 10,000 mixed values, run ${run + 1}: ${ms(took)} → ${Math.round(rates[run]!).toLocaleString('en')} values/s (server ${ms(bulk.server[run] ?? NaN)})`));
    rates.sort((a, b) => a - b);
    client.stop();
    const sLat = [...singles.lat].sort((a, b) => a - b);
    console.log(`bulk median: ${Math.round(pct(rates, 50)).toLocaleString('en')} values/s (aim ≥ 50,000); single p99 ${ms(pct(sLat, 99))} (aim < 5 ms); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await p.close();
  }
}
