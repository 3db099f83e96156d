/**
 * `npm test`: every *.test.ts under src/ and test/ (not the browser tests in e2e/) with node:test,
 * then the web app's vitest tests.
 * Arguments narrow the run: `npm test -- src/core` runs only files under that path; `--db-only` keeps
 * only the files that open a database (CI's PostgreSQL pass).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = ['src', 'test', 'scripts', 'bench'];
// `--db-only`: only the files that open a database (CI's second pass, against a PostgreSQL server,
// has nothing to learn from pure unit tests that never touch one).
const dbOnly = process.argv.includes('--db-only');
const filters = process.argv.slice(2).filter((a) => a !== '--db-only');
const TOUCHES_DB = /harness|TEST_DATABASE_URL|openDatabase|startPlatform/;
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
const selected = (filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files)
  .filter((f) => !dbOnly || TOUCHES_DB.test(fs.readFileSync(f, 'utf8')));
// The web app's own tests (web/src/**/*.test.ts) run under vitest with the app's Vite config.
const WEB_TESTS = 'web/src/i18n.test.ts';
const runWeb = !dbOnly && (!filters.length || filters.some((x) => WEB_TESTS.includes(x) || x.startsWith('web')));
if (selected.length === 0 && !runWeb) {
  console.error('No test files matched.');
  process.exit(1);
}
const res = selected.length
  ? spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...selected.sort()],
    { stdio: 'inherit' },
  )
  : { status: 0 };
const web = runWeb
  ? spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'web/vite.config.ts'], { stdio: 'inherit' })
  : { status: 0 };
process.exit(res.status === 0 && web.status === 0 ? 0 : (res.status || web.status || 1));
