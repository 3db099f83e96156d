/** The web portal stays light: the login route within its gzipped-JS budget, every screen its own chunk. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';
import { LOGIN_BUDGET_GZIP, ROUTES, routeSizes, type RouteSize } from './web.ts';

let sizes: RouteSize[];
before(async () => {
  await ensureWebBuild({ quiet: true });
  sizes = routeSizes();
});

test('the login route loads at most 250 kB of gzipped JavaScript', () => {
  const login = sizes.find((s) => s.route === '/login')!;
  assert.ok(login.jsGzip > 10 * 1024, 'the figure is real (React alone is bigger than this)');
  assert.ok(login.jsGzip <= LOGIN_BUDGET_GZIP, `login route: ${login.jsGzip} bytes gzipped`);
});

test('screens are split per route: the login route does not load the admin or membership screens', () => {
  assert.equal(sizes.length, Object.keys(ROUTES).length);
  const login = sizes.find((s) => s.route === '/login')!;
  for (const other of ['/admin/audit', '/admin/outbox', '/apply', '/profile']) {
    const o = sizes.find((s) => s.route === other)!;
    const own = o.files.filter((f) => !login.files.includes(f));
    assert.ok(own.length > 0, `${other} has chunks of its own`);
  }
});
