/** `npm start`: run the whole platform. */
import { loadConfig, ConfigError } from './config.ts';
import { DataDirLockedError } from './db/lockfile.ts';
import { startPlatform } from './platform.ts';
import { blobStoreFor } from './blobs/store.ts';
import { formatDemoSummary, loadDemo } from './demo/load.ts';
import { hasAdministrator } from './auth/setup.command.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  let platform;
  try {
    platform = await startPlatform(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(`\n${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
  // `npm start -- --demo`: load the fictional demo network (idempotent) once the platform runs.
  let setupUrl = platform.setupUrl;
  if (process.argv.slice(2).includes('--demo')) {
    console.log(formatDemoSummary(await loadDemo(platform.database.db, blobStoreFor(config.dataDir), { publish: config })));
    if (await hasAdministrator(platform.database.db)) setupUrl = null; // the demo brought its administrator
  }
  const db = config.databaseUrl ? 'PostgreSQL server' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  const lines = [
    '',
    `  Hemisphere is running at ${platform.url}  (ready in ${Date.now() - started} ms, ${db})`,
    setupUrl
      ? `  First start: create the platform administrator here (one-time link):\n\n    ${setupUrl}\n`
      : `  Log in at ${platform.url}/login`,
    `  API documentation: ${platform.url}/api/docs`,
    '',
  ];
  console.log(lines.join('\n'));

  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1);
    console.log(`\n  ${signal} received: finishing in-flight work and closing the database…`);
    const timer = setTimeout(() => {
      console.error('  Shutdown timed out; exiting.');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    platform.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
