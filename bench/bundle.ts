/**
 * Bench-only experiment for `npm run bench -- startup --bundled`: the same entry points bundled
 * with esbuild (tsx's own transpiler; packages stay external) so a start skips on-the-fly
 * TypeScript loading. Output keeps the src/ depth under .tmp/bench/build, and links drizzle/ and
 * web/ beside it, because the code finds them relative to its own file (../../drizzle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, TMP } from '../test/harness.ts';

export const BUILD_DIR = path.join(TMP, 'bench', 'build');

export async function bundle(): Promise<{ main: string; probe: string }> {
  const esbuild = await import('esbuild').catch(() => {
    throw new Error('esbuild (installed with tsx) is missing: cannot run the bundled variant');
  });
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/main.ts'), path.join(ROOT, 'bench/startup-probe.ts')],
    outbase: ROOT, outdir: BUILD_DIR, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', logLevel: 'warning',
  });
  for (const dir of ['drizzle', 'web']) {
    const link = path.join(BUILD_DIR, '..', dir);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.join(ROOT, dir), link);
  }
  return { main: path.join(BUILD_DIR, 'src/main.js'), probe: path.join(BUILD_DIR, 'bench/startup-probe.js') };
}
