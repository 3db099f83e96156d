/**
 * Bundles the server entry points (src/main.ts, src/cli.ts) with esbuild into dist/src/, packages
 * left external, when dist is missing or older than src/. `npm start` runs the bundle: loading
 * TypeScript through tsx on every start costs about half a second (docs/PERFORMANCE.md).
 * The output keeps the src/ depth so that ../../drizzle and ../../web/dist resolve as in source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const ENTRIES = ['src/main.ts', 'src/cli.ts'];

function newest(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, e) => Math.max(m, newest(path.join(p, e))), st.mtimeMs);
}

export function serverBuildIsStale(outdir = DIST): boolean {
  const built = ENTRIES.map((e) => path.join(outdir, e.replace(/\.ts$/, '.js')));
  if (built.some((b) => !fs.existsSync(b))) return true;
  const builtAt = Math.min(...built.map((b) => fs.statSync(b).mtimeMs));
  return newest(path.join(ROOT, 'src')) > builtAt || newest(path.join(ROOT, 'package.json')) > builtAt;
}

export async function buildServer(opts: { outdir?: string; extraEntries?: string[] } = {}): Promise<string> {
  const outdir = opts.outdir ?? DIST;
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [...ENTRIES, ...(opts.extraEntries ?? [])].map((e) => path.join(ROOT, e)),
    outbase: ROOT, outdir, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', sourcemap: 'linked', logLevel: 'warning',
  });
  return path.join(outdir, 'src/main.js');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force') || serverBuildIsStale()) await buildServer();
}
