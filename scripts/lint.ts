/**
 * `npm run lint`: the project's own rules that the type checker does not see.
 * (typescript-eslint does not support TypeScript 7 yet; `tsc --noEmit` carries the type rules.)
 *  - only src/config.ts reads process.env;
 *  - no focused tests (`.only(`) left behind;
 *  - source files stay readable (warn above 400 lines, fail above 600).
 */
import fs from 'node:fs';
import path from 'node:path';

const errors: string[] = [];
const warnings: string[] = [];
const walk = (dir: string, out: string[] = []): string[] => {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.tmp'].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(p);
  }
  return out;
};

for (const file of ['src', 'web/src', 'test', 'e2e', 'bench', 'scripts'].flatMap((d) => walk(d))) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // Test code and test-support modules (harnesses that spawn children with an environment) are exempt.
  const isTest = /\.(test|e2e)\.tsx?$/.test(file) || /(^|\/)(test-helpers|test-support|cli-harness)\.ts$/.test(file);
  if (file.startsWith('src/') && file !== 'src/config.ts' && !isTest && /process\.env\b/.test(text)) {
    errors.push(`${file}: reads process.env — read configuration through src/config.ts`);
  }
  lines.forEach((l, i) => {
    if (/\b(it|test|describe)\.only\(|\{\s*only:\s*true/.test(l)) errors.push(`${file}:${i + 1}: focused test left behind`);
  });
  if (lines.length > 600) errors.push(`${file}: ${lines.length} lines — split it`);
  else if (lines.length > 400) warnings.push(`${file}: ${lines.length} lines`);
}
for (const w of warnings) console.warn(`warning: ${w}`);
for (const e of errors) console.error(`error: ${e}`);
console.log(`lint: ${errors.length} error(s), ${warnings.length} warning(s)`);
process.exit(errors.length ? 1 : 0);
