/** The built web app is served from the same origin with SPA fallback; /api paths stay typed 404s. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { WEB_DIST } from './static.ts';

let p: TestPlatform;
before(async () => {
  await ensureWebBuild({ quiet: true });
  p = await startTestPlatform();
});
after(() => p.close());

test('deep links get index.html with a same-origin-only content security policy', async () => {
  for (const route of ['/', '/setup?token=abc', '/admin/audit', '/profile']) {
    const res = await fetch(`${p.url}${route}`);
    assert.equal(res.status, 200, route);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    const html = await res.text();
    assert.match(html, /<div id="root"><\/div>/);
    assert.doesNotMatch(html, /https?:\/\//, 'no request leaves the origin');
  }
});

test('hashed assets are immutable, gzipped when accepted, identical when decompressed', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(WEB_DIST, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string }>;
  const entry = manifest['index.html']!.file;
  const res = await fetch(`${p.url}/${entry}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.match(res.headers.get('cache-control') ?? '', /immutable/);
  const plain = fs.readFileSync(path.join(WEB_DIST, entry));
  // fetch decompresses transparently; the bytes must be the file's.
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), plain);
  assert.ok(zlib.gzipSync(plain).length < plain.length);
});

test('unknown /api paths and missing assets are typed 404s, and no path escapes the dist folder', async () => {
  const api = await fetch(`${p.url}/api/does-not-exist`);
  assert.equal(api.status, 404);
  assert.equal((await json(api)).code, 'not_found');
  const asset = await fetch(`${p.url}/assets/nope-123.js`);
  assert.equal(asset.status, 404);
  const escape = await fetch(`${p.url}/%2e%2e/package.json`);
  assert.equal(escape.status, 404);
  const escape2 = await fetch(`${p.url}/..%2f..%2fpackage.json`);
  assert.equal(escape2.status, 404);
  assert.ok(!(await escape2.text()).includes('"name": "hemisphere"'), 'package.json must not be served');
});
