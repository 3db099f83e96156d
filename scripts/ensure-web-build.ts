/**
 * Builds the web app (web/dist) when it is missing or older than its sources. Run before the
 * server by `npm start`; also used by the browser tests and bench/web.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
/** What the build is made from (relative to web/). */
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

export function webBuildIsStale(): boolean {
  const built = path.join(WEB_DIST, '.vite', 'manifest.json');
  if (!fs.existsSync(built) || !fs.existsSync(path.join(WEB_DIST, 'index.html'))) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(WEB_ROOT, s)) > builtAt);
}

const LOCK = path.join(WEB_ROOT, '..', '.tmp', 'web-build.lock');

/** One build at a time across processes (test files run in parallel and may all find dist missing). */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(LOCK, { recursive: true, force: true }); // left by a killed build
      if (Date.now() > deadline) throw new Error(`web build lock ${LOCK} is held too long`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function ensureWebBuild(opts: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!opts.force && !webBuildIsStale()) return false;
  return withBuildLock(async () => {
    if (!opts.force && !webBuildIsStale()) return false; // another process built it meanwhile
    const { build } = await import('vite');
    await build({ configFile: path.join(WEB_ROOT, 'vite.config.ts'), logLevel: opts.quiet ? 'warn' : 'info' });
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  ensureWebBuild({ force }).then(
    (built) => {
      if (!built) console.log('web app is up to date (web/dist)');
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
