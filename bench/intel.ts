/**
 * `npm run bench -- intel [--objects N] [--driver pglite|postgres|both] [--pg URL] [--lookups N] [--taxii-objects N]`
 *
 * On a fresh database per driver (embedded on disk, or a new database on the PostgreSQL server,
 * default postgres://postgres@127.0.0.1:5432/test):
 *  (b) floor: the same rows (store rows + observable index rows) written straight into tables
 *      created LIKE the real ones INCLUDING ALL (identical columns, defaults and indexes), in the
 *      same batch size and the same bulk technique (typed arrays + unnest), with no parsing,
 *      validation, dedup, audit or correlation;
 *  (a) ingest: N generated indicators and observables (half each, two organisations, every IP
 *      shared by two objects of different organisations so correlations are recorded) streamed as
 *      one bundle through the real streaming ingest, which indexes observables and records
 *      correlations in each batch's transaction;
 *      objects/s and peak RSS of this process (PGlite runs in-process, so its memory counts);
 *  (c) TAXII paging of the "everything" collection with limit=1000 over HTTP, from the start, for the
 *      first --taxii-objects objects (default 200,000; Infinity for all): objects/s;
 *  (d) single-value lookups against that store (half hits): p50/p99.
 * Prints figures; asserts nothing about time.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { rows, type Database } from '../src/db/client.ts';
import { startPlatform } from '../src/platform.ts';
import { system } from '../src/core/actor.ts';
import { canonicalJson } from '../src/core/audit.ts';
import { sha256 } from '../src/core/ids.ts';
import { organisations } from '../src/core/tables.ts';
import { ingestBundle } from '../src/intel/ingest.command.ts';
import { indexNewObjects } from '../src/intel/correlation/index.command.ts';
import { observablesOf } from '../src/intel/correlation/normalize.ts';
import { lookupValues } from '../src/intel/lookup/lookup.query.ts';
import { ALL_COLLECTION_ID } from '../src/intel/taxii/collections.ts';
import { createTestUser } from '../src/auth/test-helpers.ts';
import { loadUserActor } from '../src/auth/actor-loader.ts';
import { tokenFor } from '../src/intel/taxii/test-support.ts';
import { openBenchDatabase } from './bench-db.ts';
import { pgIntArray, sqlArray } from '../src/db/arrays.ts';

const BATCH = 500;
const CREATED = '2024-01-01T00:00:00.000Z';
const uuidOf = (i: number, salt: string) => {
  const h = crypto.createHash('md5').update(`${salt}${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const ipOf = (k: number) => `${100 + ((k >> 24) & 63)}.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;

/** Object i: even → indicator on an IP, odd → ipv4-addr SCO; IP k = i mod (n/2) so each IP appears twice. */
function objectText(i: number, n: number): string {
  const ip = ipOf(i % Math.max(1, Math.floor(n / 2)));
  if (i % 2 === 0) {
    return JSON.stringify({
      type: 'indicator', spec_version: '2.1', id: `indicator--${uuidOf(i, 'i')}`, created: CREATED, modified: CREATED,
      name: `Bench indicator ${i}`, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: CREATED,
    });
  }
  return JSON.stringify({ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuidOf(i, 's')}`, value: ip });
}

async function* bundle(from: number, to: number, n: number): AsyncGenerator<string> {
  yield `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`;
  let buf = '';
  for (let i = from; i < to; i++) {
    buf += (i > from ? ',' : '') + objectText(i, n);
    if (buf.length > 256 * 1024) { yield buf; buf = ''; }
  }
  yield `${buf}]}`;
}

type FloorRow = { seq: number; stix_id: string; type: string; created: string | null; modified: string | null; title: string; raw: string; content_hash: string; owner: string };

async function floor(database: Database, n: number, orgs: [string, string]): Promise<number> {
  const db = database.db;
  await db.execute(sql`CREATE TABLE bench_floor_stix (LIKE stix_objects INCLUDING ALL)`);
  await db.execute(sql`CREATE TABLE bench_floor_obs (LIKE intel_observables INCLUDING ALL)`);
  const t0 = performance.now();
  let seq = 0;
  for (let from = 0; from < n; from += BATCH) {
    const stix: FloorRow[] = [];
    const obs: { s: number; k: string; v: string; o: string }[] = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      const raw = objectText(i, n);
      const o = JSON.parse(raw) as Record<string, unknown>;
      const owner = orgs[i < n / 2 ? 0 : 1];
      seq++;
      stix.push({ seq, stix_id: o.id as string, type: o.type as string, created: (o.created as string | undefined) ?? null, modified: (o.modified as string | undefined) ?? null,
        title: (o.name ?? o.value) as string, raw, content_hash: sha256(canonicalJson(o)), owner });
      for (const x of observablesOf(o)) obs.push({ s: seq, k: x.kind, v: x.value, o: owner });
    }
    // Same bulk technique as the ingest (one typed array per column, read with unnest).
    const col = (pick: (r: FloorRow) => string | null, type: Parameters<typeof sqlArray>[1]) => sqlArray(stix.map(pick), type);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO bench_floor_stix (seq, stix_id, type, spec_version, created, modified, version, title, raw, content_hash,
          date_added, tlp, scope, owner_org_id)
        SELECT x.seq, x.stix_id, x.type, x.spec_version, x.created, x.modified, x.version, x.title, x.raw, x.content_hash,
          clock_timestamp(), 'green', 'network', x.owner
        FROM unnest(${pgIntArray(stix.map((r) => r.seq))}::bigint[], ${col((r) => r.stix_id, 'text')}, ${col((r) => r.type, 'text')}, ${col(() => '2.1', 'text')},
          ${col((r) => r.created, 'timestamptz')}, ${col((r) => r.modified, 'timestamptz')}, ${col((r) => r.modified, 'timestamptz')}, ${col((r) => r.title, 'text')},
          ${col((r) => r.raw, 'text')}, ${col((r) => r.content_hash, 'text')}, ${col((r) => r.owner, 'uuid')})
          AS x(seq, stix_id, type, spec_version, created, modified, version, title, raw, content_hash, owner)`);
      await tx.execute(sql`INSERT INTO bench_floor_obs (object_seq, kind, value, owner_org_id)
        SELECT x.s, x.k, x.v, x.o FROM unnest(${pgIntArray(obs.map((x) => x.s))}::bigint[], ${sqlArray(obs.map((x) => x.k), 'text')},
          ${sqlArray(obs.map((x) => x.v), 'text')}, ${sqlArray(obs.map((x) => x.o), 'uuid')}) AS x(s, k, v, o)`);
    });
  }
  const ms = performance.now() - t0;
  await db.execute(sql`DROP TABLE bench_floor_stix`);
  await db.execute(sql`DROP TABLE bench_floor_obs`);
  return ms;
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function run(driver: 'pglite' | 'postgres', n: number, lookups: number, pgUrl: string, taxiiMax: number) {
  const { database, dataDir, drop } = await openBenchDatabase(driver, 'intel', pgUrl);
  try {
    const db = database.db;
    const orgs: [string, string] = [crypto.randomUUID(), crypto.randomUUID()];
    await db.insert(organisations).values(orgs.map((id, k) => ({ id, name: `Bench CSIRT ${k}`, type: 'national_csirt', networkMember: true })));

    const floorMs = await floor(database, n, orgs);

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
    const meta = { actor: system('bench') };
    const t0 = performance.now();
    let added = 0;
    for (const [k, [from, to]] of [[0, Math.floor(n / 2)], [Math.floor(n / 2), n]].entries()) {
      const report = await ingestBundle(db, meta, bundle(from!, to!, n), { ownerOrgId: orgs[k]!, scope: 'network', tlpDefault: 'green', batchSize: BATCH, maxReportEntries: 0 });
      added += report.counts.added;
    }
    await indexNewObjects(db); // a no-op: the ingest indexes its own rows (kept so nothing pending is left out)
    const ingestMs = performance.now() - t0;
    const [idx] = await rows<{ observables: number; correlations: number }>(db, sql`
      SELECT (SELECT count(*) FROM intel_observables)::int AS observables, (SELECT count(*) FROM intel_correlations)::int AS correlations`);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    // (c) TAXII paging over HTTP.
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', REQUIRE_2FA_ROLES: '', WORKERS: 'false' }, { port: 0, host: '127.0.0.1' });
    const platform = await startPlatform(config, { database, logger: pino({ level: 'silent' }) });
    const addr = platform.app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const user = await createTestUser(db, { org: { orgId: orgs[0] } });
    const token = await tokenFor(db, user.id);
    const t1 = performance.now();
    let paged = 0;
    let next: string | undefined;
    while (paged < taxiiMax) {
      const res = await fetch(`${base}/taxii2/hemisphere/collections/${ALL_COLLECTION_ID}/objects/?limit=1000${next ? `&next=${next}` : ''}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
      });
      const env = (await res.json()) as { objects: unknown[]; more: boolean; next?: string };
      paged += env.objects.length;
      if (!env.more) break;
      next = env.next;
    }
    const pageMs = performance.now() - t1;

    // (d) lookups, one value each, half hits.
    const actor = (await loadUserActor(db, user.id, { via: 'token', tokenId: 'bench', scopes: ['intel:read'] }))!;
    const lat: number[] = [];
    let hits = 0;
    for (let i = 0; i < lookups; i++) {
      const v = i % 2 === 0 ? ipOf(Math.floor(Math.random() * Math.max(1, Math.floor(n / 2)))) : `203.0.113.${i % 250}`;
      const s = performance.now();
      const [r] = await lookupValues(db, actor, [v]);
      lat.push(performance.now() - s);
      if (r!.matchCount > 0) hits++;
    }
    lat.sort((a, b) => a - b);
    const [{ count }] = await rows<{ count: string }>(db, sql`SELECT count(*) AS count FROM stix_objects`) as [{ count: string }];
    await platform.stop(); // closes the database too

    const perS = (k: number, ms: number) => Math.round((k / ms) * 1000).toLocaleString('en');
    console.log(`\n[${driver}] ${n.toLocaleString('en')} objects (stored ${count}, added ${added})`);
    console.log(`  (b) floor (same rows, identical tables+indexes): ${(floorMs / 1000).toFixed(1)} s = ${perS(n, floorMs)} objects/s`);
    console.log(`  (a) ingest (store + observable index + correlations, one transaction per batch): ${(ingestMs / 1000).toFixed(1)} s = ${perS(n, ingestMs)} objects/s (${idx!.observables} observables, ${idx!.correlations} correlations)`);
    console.log(`      ingest vs floor: ${((floorMs / ingestMs) * 100).toFixed(0)}%; peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`);
    console.log(`  (c) TAXII paging limit=1000: ${paged.toLocaleString('en')} objects in ${(pageMs / 1000).toFixed(1)} s = ${perS(paged, pageMs)} objects/s`);
    console.log(`  (d) ${lookups.toLocaleString('en')} lookups (${hits} hits): p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`);
  } finally {
    await drop();
  }
}

export async function main(args: string[]) {
  const opt = (name: string, def: string) => { const i = args.indexOf(`--${name}`); return i >= 0 && args[i + 1] ? args[i + 1]! : def; };
  const n = Number(opt('objects', '1000000'));
  const lookups = Number(opt('lookups', '10000'));
  const taxiiMax = Number(opt('taxii-objects', '200000'));
  const driver = opt('driver', 'both');
  const pgUrl = opt('pg', 'postgres://postgres@127.0.0.1:5432/test');
  for (const d of driver === 'both' ? ['pglite', 'postgres'] as const : [driver as 'pglite' | 'postgres']) await run(d, n, lookups, pgUrl, taxiiMax);
}
