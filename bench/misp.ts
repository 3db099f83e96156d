/**
 * `npm run bench -- misp [--attributes N] [--driver pglite|postgres|both] [--pg URL] [--pages K]`
 *
 * One generated MISP event of N attributes (default 350,000; a realistic mix: ips, domains, hostnames,
 * urls, e-mail addresses, file names and hashes, malware samples, comments and text that have no
 * STIX pattern, some inside MISP `file` objects, a few tagged), imported on a fresh database per
 * driver through the real MISP import (map → store ingest → event index → correlation index), then
 * its first and last page of attributes fetched over HTTP (GET /api/intel/misp/events/:uuid/attributes)
 * with an API token of a member of the importing organisation.
 *
 * Prints: import attributes/s (whole import, correlation indexing included), peak RSS of this
 * process (PGlite runs in-process, so its memory counts; sampled every 50 ms and VmHWM), and each
 * page's time (cold first request, then the median of K more), and the CPU time the import cost this
 * process and (PostgreSQL on this machine) the database's backends. Asserts nothing about time.
 * Profile with: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run.ts misp --attributes 50000 --driver pglite
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startPlatform } from '../src/platform.ts';
import { rows } from '../src/db/client.ts';
import { system } from '../src/core/actor.ts';
import { organisations } from '../src/core/tables.ts';
import { importMispEvent } from '../src/intel/misp/import.command.ts';
import { createTestUser } from '../src/auth/test-helpers.ts';
import { tokenFor } from '../src/intel/taxii/test-support.ts';
import { openBenchDatabase } from './bench-db.ts';

const uuidOf = (i: number, salt: string) => {
  const h = crypto.createHash('md5').update(`${salt}${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const hex = (i: number, salt: string, len: number) => {
  let out = '';
  for (let k = 0; out.length < len; k++) out += crypto.createHash('sha256').update(`${salt}${i}:${k}`).digest('hex');
  return out.slice(0, len);
};
const ipOf = (k: number) => `${100 + ((k >> 24) & 63)}.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
const TS = 1_717_200_000;

/** Attribute i of the generated event: a weighted mix of what large MISP events carry. */
function attribute(i: number): Record<string, unknown> {
  const r = i % 20;
  const base = { uuid: uuidOf(i, 'a'), timestamp: String(TS + (i % 3600)), distribution: '5', to_ids: r < 14, deleted: false, disable_correlation: false, comment: '' };
  const [type, category, value] =
    r < 4 ? ['ip-dst', 'Network activity', ipOf(i)]
      : r < 6 ? ['ip-src', 'Network activity', ipOf(i + 7)]
        : r < 9 ? ['domain', 'Network activity', `host${i}.c2-${i % 997}.example`]
          : r < 10 ? ['hostname', 'Network activity', `mail${i}.example.net`]
            : r < 12 ? ['url', 'Network activity', `https://dl${i % 5000}.example.org/p/${i}.bin`]
              : r < 13 ? ['email-src', 'Payload delivery', `sender${i}@phish${i % 300}.example.com`]
                : r < 15 ? ['sha256', 'Payload delivery', hex(i, 's256', 64)]
                  : r < 16 ? ['md5', 'Payload delivery', hex(i, 'md5', 32)]
                    : r < 17 ? ['sha1', 'Payload delivery', hex(i, 'sha1', 40)]
                      : r < 18 ? ['filename', 'Artifacts dropped', `dropper_${i}.exe`]
                        : r < 19 ? ['comment', 'Other', `seen in campaign wave ${i % 40}`]
                          : ['text', 'Other', `operator handle x${i % 1000}`];
  const a: Record<string, unknown> = { ...base, type, category, value };
  if (i % 50 === 0) a.Tag = [{ name: 'tlp:green' }, { name: 'kill-chain:Delivery' }];
  return a;
}

/** The event: N attributes, 1 in 25 grouped three at a time into MISP `file` objects. */
export function generateEvent(n: number, uuid = uuidOf(n, 'event')): Record<string, unknown> {
  const attrs: Record<string, unknown>[] = [];
  const objects: Record<string, unknown>[] = [];
  const inObjects = Math.floor(n / 25 / 3) * 3;
  for (let i = 0; i < n - inObjects; i++) attrs.push(attribute(i));
  for (let k = 0; k < inObjects / 3; k++) {
    const i = n - inObjects + k * 3;
    objects.push({
      uuid: uuidOf(k, 'o'), name: 'file', meta_category: 'file', template_uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', template_version: '22',
      timestamp: String(TS), distribution: '5', comment: '', deleted: false,
      Attribute: [
        { ...attribute(i), type: 'filename', category: 'Payload delivery', value: `sample_${i}.dll`, object_relation: 'filename' },
        { ...attribute(i + 1), type: 'sha256', category: 'Payload delivery', value: hex(i, 'obj', 64), object_relation: 'sha256' },
        { ...attribute(i + 2), type: 'size-in-bytes', category: 'Other', value: String(10_000 + i), object_relation: 'size-in-bytes', to_ids: false },
      ],
    });
  }
  return {
    Event: {
      uuid, info: `Bench: large botnet dump (${n.toLocaleString('en')} attributes)`, date: '2024-06-01', timestamp: String(TS + 3600),
      publish_timestamp: String(TS + 3600), published: true, analysis: '2', threat_level_id: '2', distribution: '1',
      Orgc: { name: 'Bench CSIRT', uuid: uuidOf(1, 'org') }, Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }],
      Attribute: attrs, Object: objects,
    },
  };
}

const vmHwm = (): number => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};
/** CPU time (ms) used so far by this database's server backends (PostgreSQL on this machine; 0 for PGlite). */
async function serverCpuMs(db: Parameters<typeof rows>[0], driver: 'pglite' | 'postgres'): Promise<number> {
  if (driver !== 'postgres') return 0;
  const pids = await rows<{ pid: number }>(db, sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  let ms = 0;
  for (const { pid } of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in clock ticks of 10 ms
    } catch { /* a backend that ended, or a server on another machine */ }
  }
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(driver: 'pglite' | 'postgres', n: number, pages: number, pgUrl: string) {
  const { database, dataDir, drop } = await openBenchDatabase(driver, 'misp', pgUrl);
  try {
    const db = database.db;
    const orgId = crypto.randomUUID();
    await db.insert(organisations).values({ id: orgId, name: 'Bench CSIRT', type: 'national_csirt', networkMember: true });
    const tg = performance.now();
    const event = generateEvent(n);
    const genMs = performance.now() - tg;

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
    const dbBefore = await serverCpuMs(db, driver);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await importMispEvent(db, { actor: system('bench') }, (event as { Event: Record<string, unknown> }).Event,
      { ownerOrgId: orgId, scope: 'network', tlpDefault: 'amber', source: 'bench' });
    const importMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const nodeCpuMs = (cpu.user + cpu.system) / 1000;
    const dbCpuMs = driver === 'postgres' ? (await serverCpuMs(db, driver)) - dbBefore : 0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss, vmHwm());

    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', REQUIRE_2FA_ROLES: '', WORKERS: 'false' }, { port: 0, host: '127.0.0.1' });
    const platform = await startPlatform(config, { database, logger: pino({ level: 'silent' }) });
    const addr = platform.app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const user = await createTestUser(db, { org: { orgId } });
    const token = await tokenFor(db, user.id, ['intel:read']);
    const size = 100;
    const lastPage = Math.ceil(result.counts.attributes / size) - 1;
    const fetchPage = async (page: number) => {
      const t = performance.now();
      const res = await fetch(`${base}/api/intel/misp/events/${result.uuid}/attributes?page=${page}&size=${size}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { items: unknown[]; total: number };
      const ms = performance.now() - t;
      if (res.status !== 200 || body.items.length === 0) throw new Error(`page ${page}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      return { ms, items: body.items.length };
    };
    const figures: string[] = [];
    for (const [label, page] of [['first', 0], ['last', lastPage]] as const) {
      const cold = await fetchPage(page);
      const warm: number[] = [];
      for (let k = 0; k < pages; k++) warm.push((await fetchPage(page)).ms);
      figures.push(`${label} page (#${page}, ${cold.items} attributes): cold ${cold.ms.toFixed(1)} ms, median of ${pages} ${median(warm).toFixed(1)} ms, max ${Math.max(...warm).toFixed(1)} ms`);
    }
    await platform.stop(); // closes the database too

    const c = result.counts;
    console.log(`\n[${driver}] MISP event of ${c.attributes.toLocaleString('en')} attributes (${c.objects.toLocaleString('en')} objects, ${c.tags} tags); generated in ${(genMs / 1000).toFixed(1)} s`);
    console.log(`  import: ${(importMs / 1000).toFixed(1)} s = ${Math.round((c.attributes / importMs) * 1000).toLocaleString('en')} attributes/s (status ${result.status}, stored ${JSON.stringify(result.stored)})`);
    console.log(`  peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`);
    const perAttr = (ms: number) => ((ms * 1000) / c.attributes).toFixed(0);
    console.log(driver === 'postgres'
      ? `  CPU: this process ${(nodeCpuMs / 1000).toFixed(1)} s (${perAttr(nodeCpuMs)} µs/attribute), PostgreSQL backends ${(dbCpuMs / 1000).toFixed(1)} s (${perAttr(dbCpuMs)} µs/attribute)`
      : `  CPU: this process (database included) ${(nodeCpuMs / 1000).toFixed(1)} s (${perAttr(nodeCpuMs)} µs/attribute)`);
    for (const f of figures) console.log(`  ${f}`);
  } finally {
    await drop();
  }
}

export async function main(args: string[]) {
  const opt = (name: string, def: string) => { const i = args.indexOf(`--${name}`); return i >= 0 && args[i + 1] ? args[i + 1]! : def; };
  const n = Number(opt('attributes', '350000'));
  const pages = Number(opt('pages', '20'));
  const driver = opt('driver', 'both');
  const pgUrl = opt('pg', 'postgres://postgres@127.0.0.1:5432/test');
  for (const d of driver === 'both' ? ['pglite', 'postgres'] as const : [driver as 'pglite' | 'postgres']) await run(d, n, pages, pgUrl);
}
