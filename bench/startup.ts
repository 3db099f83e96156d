/**
 * `npm run bench -- startup [--runs N] [--rows N]`: cold start of the real platform process
 * (the esbuild bundle of src/main.ts, as `npm start` runs it) on an embedded data directory holding
 * 100,000 audit rows. Measures spawn → first 200 from /readyz, and the process's RSS at that
 * moment (/proc/<pid>/status VmRSS). Then splits one start into its phases with startup-probe.ts.
 * By default it runs the esbuild bundle `npm start` runs; `--tsx` runs the source through tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../test/harness.ts';
import { auditFixture } from './audit-fixture.ts';
import { bundle } from './bundle.ts';

/** How to run a script: through tsx (as `npm start` does) or a prebuilt bundle. */
type Runner = { label: string; argv: (entry: 'main' | 'probe') => string[] };
const TSX: Runner = { label: 'node --import tsx src/main.ts (source through tsx, for comparison)', argv: (e) => ['--import', 'tsx', e === 'main' ? 'src/main.ts' : 'bench/startup-probe.ts'] };

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const rssOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** user + system CPU time the process has used (clock ticks of 10 ms). */
const cpuOf = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

function childEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.PUBLIC_URL;
  return env;
}

async function oneStart(dataDir: string, runner: Runner): Promise<{ ms: number; rss: number; cpu: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, runner.argv('main'), { cwd: ROOT, env: childEnv(dataDir, port), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the platform exited with ${child.exitCode}: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const ms = performance.now() - started;
    return { ms, rss: rssOf(child.pid!), cpu: cpuOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited(child); // releases the data-directory lock before the next run
  }
}

async function probe(dataDir: string, runner: Runner): Promise<Record<string, number>> {
  const port = await freePort();
  const child = spawn(process.execPath, runner.argv('probe'), { cwd: ROOT, env: childEnv(dataDir, port), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await exited(child);
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;
const mib = (x: number) => `${(x / 1048576).toFixed(0)} MiB`;

export async function main(args: string[]): Promise<void> {
  const opt = (name: string, dflt: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const runs = opt('runs', 5);
  const rowsWanted = opt('rows', 100_000);
  const dataDir = await auditFixture(rowsWanted);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${mib(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log(`Data: ${dataDir} (${rowsWanted} audit rows)\n`);

  // Default: the esbuild bundle that `npm start` runs; `--tsx` measures the source through tsx.
  let runner = TSX;
  if (!args.includes('--tsx')) {
    const built = await bundle();
    runner = { label: `node ${path.relative(ROOT, built.main)} (the esbuild bundle, as npm start runs it)`, argv: (e) => [e === 'main' ? built.main : built.probe] };
  }
  console.log(`Process: ${runner.label}`);
  await oneStart(dataDir, runner); // warm-up: tsx's transpile cache and the OS page cache
  const results: { ms: number; rss: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await oneStart(dataDir, runner);
    results.push(r);
    console.log(`  run ${i + 1}: ready in ${ms(r.ms)} (CPU ${ms(r.cpu)}), RSS ${mib(r.rss)}`);
  }
  const times = results.map((r) => r.ms);
  const rss = results.map((r) => r.rss);
  console.log(`\nTime to ready (spawn → /readyz 200), ${runs} runs: min ${ms(Math.min(...times))}, median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
  const cpu = results.map((r) => r.cpu);
  console.log(`CPU time used until ready (user+sys, less sensitive to a busy machine): min ${ms(Math.min(...cpu))}, median ${ms(median(cpu))}, max ${ms(Math.max(...cpu))}`);
  console.log(`Load average during the runs: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(`RSS at ready: min ${mib(Math.min(...rss))}, median ${mib(median(rss))}, max ${mib(Math.max(...rss))}`);

  const splits: Record<string, number>[] = [];
  for (let i = 0; i < 3; i++) splits.push(await probe(dataDir, runner));
  const part = (k: string) => median(splits.map((s) => s[k]!));
  console.log('\nWhere the time goes (median of 3 instrumented starts, bench/startup-probe.ts):');
  const rows: [string, string][] = [
    ['nodeAndTsx', 'node boot + tsx loader (bundled: + all modules)'],
    ['modules', 'importing the platform modules (tsx: transpile, cached)'],
    ['pgliteOpen', 'PGlite WASM init + opening the data directory'],
    ['migrationsCheck', 'migrations check (advisory lock, hs_migrations)'],
    ['platformStart', 'bus, HTTP app + OpenAPI, workers, listen, setup link'],
    ['firstReady', 'first /readyz round trip'],
    ['total', 'total'],
  ];
  for (const [k, label] of rows) console.log(`  ${label.padEnd(55)} ${ms(part(k)).padStart(8)}`);
  console.log(`  ${'RSS after the probe start'.padEnd(55)} ${mib(part('rss')).padStart(8)}`);
  if (median(times) > 1500) console.log('\nMedian time to ready is above the 1.5 s aim; see the split above and docs/PERFORMANCE.md.');
}
