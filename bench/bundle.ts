/**
 * The bundle `npm start` runs (scripts/build-server.ts), built into .tmp/bench with the probe
 * entry point added. Output keeps the src/ depth under .tmp/bench/build, and links drizzle/ and
 * web/ beside it, because the code finds them relative to its own file (../../drizzle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, TMP } from '../test/harness.ts';
import { buildServer } from '../scripts/build-server.ts';

export const BUILD_DIR = path.join(TMP, 'bench', 'build');

export async function bundle(): Promise<{ main: string; probe: string }> {
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  await buildServer({ outdir: BUILD_DIR, extraEntries: ['bench/startup-probe.ts'] });
  for (const dir of ['drizzle', 'web']) {
    const link = path.join(BUILD_DIR, '..', dir);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.join(ROOT, dir), link);
  }
  return { main: path.join(BUILD_DIR, 'src/main.js'), probe: path.join(BUILD_DIR, 'bench/startup-probe.js') };
}
