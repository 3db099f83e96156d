/**
 * Child script of the startup bench: boots the platform in the same steps as src/main.ts, timing
 * each one, and prints them as one JSON line. Run as `node --import tsx bench/startup-probe.ts`
 * with DATA_DIR and PORT set; `performance.now()` counts from the start of the node process.
 */
const atScript = performance.now(); // node boot + tsx loader registration + this file's transpile
const t1 = performance.now();
const { loadConfig } = await import('../src/config.ts');
const { startPlatform } = await import('../src/platform.ts');
const { openDatabase } = await import('../src/db/client.ts');
const { migrate } = await import('../src/db/migrate.ts');
const { default: pino } = await import('pino');
const t2 = performance.now(); // every module of the platform loaded (tsx transpiles on the fly, cached)

const config = loadConfig();
const database = await openDatabase({ dataDir: config.dataDir });
const t3 = performance.now(); // PGlite WASM init + open of the data directory
await migrate(database);
const t4 = performance.now(); // migrations check under the advisory lock
const platform = await startPlatform(config, { database, logger: pino({ level: 'silent' }) });
const t5 = performance.now(); // bus, HTTP app (routes, OpenAPI), workers, listen, setup link

const res = await fetch(`http://127.0.0.1:${config.port}/readyz`);
const t6 = performance.now();
const rss = Number(/VmRSS:\s+(\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
console.log(JSON.stringify({
  nodeAndTsx: atScript, modules: t2 - t1, pgliteOpen: t3 - t2, migrationsCheck: t4 - t3,
  platformStart: t5 - t4, firstReady: t6 - t5, total: t6, readyStatus: res.status, rss,
}));
await platform.stop();
process.exit(0);
