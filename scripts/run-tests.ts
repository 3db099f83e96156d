/**
 * `npm test`: every *.test.ts under src/ and test/ (not the browser tests in e2e/) with node:test.
 * Arguments narrow the run: `npm test -- src/core` runs only files under that path.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['src', 'test', 'scripts', 'bench'];
const filters = process.argv.slice(2);
const files: string[] = [];
const walk = (dir: string) => {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'web') walk(p);
    } else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
roots.forEach(walk);
const selected = filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
if (selected.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...selected.sort()],
  { stdio: 'inherit' },
);
process.exit(res.status ?? 1);
