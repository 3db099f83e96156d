/**
 * `npm run bench -- web`: gzipped JavaScript (and CSS) each route of the web portal loads, from the
 * Vite build manifest: the entry chunk with its static imports, plus the route's lazily loaded
 * screen chunk(s) and their imports not already loaded. Sizes are gzip level 9, as served.
 * `--markdown` prints the table for docs/PERFORMANCE.md; `--json` prints machine-readable figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureWebBuild, WEB_DIST } from '../scripts/ensure-web-build.ts';

type Chunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] };
type Manifest = Record<string, Chunk>;

/** Each route and the screen module(s) React.lazy loads for it (web/src/App.tsx). */
export const ROUTES: Record<string, string[]> = {
  '/login': ['src/screens/Login.tsx'],
  '/setup': ['src/screens/Setup.tsx'],
  '/': ['src/screens/Dashboard.tsx'],
  '/profile': ['src/screens/Profile.tsx'],
  '/security': ['src/screens/Security.tsx'],
  '/forgot-password, /reset-password, /verify-email, /unlock': ['src/screens/PasswordReset.tsx'],
  '/apply': ['src/screens/membership/Apply.tsx'],
  '/apply/status': ['src/screens/membership/ApplicationStatus.tsx'],
  '/membership/applications': ['src/screens/membership/Applications.tsx'],
  '/membership/applications/:id': ['src/screens/membership/ApplicationReview.tsx'],
  '/invitations/accept': ['src/screens/membership/AcceptInvitation.tsx'],
  '/orgs': ['src/screens/Organisations.tsx'],
  '/admin/audit': ['src/screens/AuditLog.tsx'],
  '/admin/outbox': ['src/screens/Outbox.tsx'],
};
export const LOGIN_BUDGET_GZIP = 250 * 1024;

export type RouteSize = { route: string; files: string[]; jsRaw: number; jsGzip: number; cssGzip: number };

const gz = new Map<string, number>();
const gzipSize = (file: string) => {
  if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(WEB_DIST, file)), { level: 9 }).length);
  return gz.get(file)!;
};

/** A chunk and everything it imports statically (what the browser must fetch before running it). */
function closure(m: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of m[key]?.imports ?? []) closure(m, i, seen);
  return seen;
}

export function routeSizes(): RouteSize[] {
  const m = JSON.parse(fs.readFileSync(path.join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const entry = Object.keys(m).find((k) => m[k]!.isEntry);
  if (!entry) throw new Error('no entry chunk in the Vite manifest');
  const base = closure(m, entry);
  return Object.entries(ROUTES).map(([route, screens]) => {
    const keys = new Set(base);
    for (const s of screens) {
      if (!m[s]) throw new Error(`${s} is not a chunk of the build: is it still lazily loaded in App.tsx?`);
      closure(m, s, keys);
    }
    const files = [...keys].map((k) => m[k]!.file);
    const css = [...new Set([...keys].flatMap((k) => m[k]!.css ?? []))];
    return {
      route, files,
      jsRaw: files.reduce((n, f) => n + fs.statSync(path.join(WEB_DIST, f)).size, 0),
      jsGzip: files.reduce((n, f) => n + gzipSize(f), 0),
      cssGzip: css.reduce((n, f) => n + gzipSize(f), 0),
    };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

export async function main(args: string[]): Promise<void> {
  await ensureWebBuild({ quiet: true });
  const sizes = routeSizes();
  if (args.includes('--json')) {
    console.log(JSON.stringify(sizes.map(({ files: _f, ...r }) => r), null, 2));
    return;
  }
  const rows = sizes.map((r) => [r.route, kb(r.jsRaw), kb(r.jsGzip), kb(r.cssGzip), String(r.files.length)]);
  const head = ['Route', 'JS', 'JS gzipped', 'CSS gzipped', 'JS files'];
  if (args.includes('--markdown')) {
    console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } else {
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
  }
  const login = sizes.find((s) => s.route === '/login')!;
  console.log(`\nlogin route: ${kb(login.jsGzip)} gzipped JS (budget ${kb(LOGIN_BUDGET_GZIP)})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main(process.argv.slice(2));
}
