/**
 * `npm run bench -- <name>`: runs bench/<name>.ts. Without a name, lists the benchmarks.
 * Benchmarks print figures for docs/PERFORMANCE.md; they are not tests and assert no timings.
 */
const BENCHES: Record<string, { what: string; load: () => Promise<{ main(args: string[]): Promise<void> }> }> = {
  startup: {
    what: 'cold start of the real platform process on an embedded database holding 100,000 audit rows',
    load: () => import('./startup.ts'),
  },
  mailing: { what: 'a campaign to 100,000 subscribers delivered to a local smtp-server sink (messages/s, time to first message)', load: () => import('./mailing.ts') },
  realtime: { what: '1,000 WebSocket clients (one node; two on PostgreSQL with --pg URL): delivery latency p50/p99 at rising message rates', load: () => import('./realtime.ts') },
  intel: { what: 'STIX ingest of N generated indicators/observables vs the floor, peak RSS, TAXII paging limit=1000, 10,000 lookups p50/p99 (--objects N, --driver)', load: () => import('./intel.ts') },
  lookup: { what: 'constituency lookup: 5,000 teams, 200,000 prefixes, 50,000 domains; single p50/p99 over HTTP and bulk 10,000 values/s', load: () => import('./lookup.ts') },
  misp: { what: 'MISP import of one generated event of 350,000 attributes: attributes/s, peak RSS, first and last attribute page over HTTP (--attributes N, --driver)', load: () => import('./misp.ts') },
  web: { what: 'gzipped JavaScript each route of the web portal loads (Vite manifest)', load: () => import('./web.ts') },
};

const [name, ...rest] = process.argv.slice(2);
if (!name || !BENCHES[name]) {
  if (name) console.error(`Unknown benchmark: ${name}\n`);
  console.log('Usage: npm run bench -- <name>\n');
  for (const [n, b] of Object.entries(BENCHES)) console.log(`  ${n.padEnd(10)} ${b.what}`);
  process.exit(name ? 2 : 0);
}
await (await BENCHES[name]!.load()).main(rest);
