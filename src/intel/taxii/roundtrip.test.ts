/**
 * Round trip over TAXII: the OASIS examples and the ATT&CK for ICS bundle are POSTed to a
 * collection and read back by paging the collection (all versions): every object equals what went
 * in (byte-for-byte storage is proven by the store's own round trip test). Skipped with a message when ../shared/testdata is absent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, json, type TestPlatform } from '../../../test/harness.ts';
import { createTestUser, type TestUser } from '../../auth/test-helpers.ts';
import { asBundleText, SKIP_NO_TESTDATA, stixSources } from '../test/fixtures.ts';
import { ROOT, taxiiClient, tokenFor } from './test-support.ts';

let p: TestPlatform;
let user: TestUser;
let token: string;
before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  user = await createTestUser(p.testDb.database.db, { org: { networkMember: true } });
  token = await tokenFor(p.testDb.database.db, user.id);
});
after(() => p.close());

test('OASIS examples and ATT&CK ICS: POSTed over TAXII, read back over TAXII, equal to what went in', { skip: SKIP_NO_TESTDATA }, async () => {
  const c = taxiiClient(p.url, token, 'basic');
  const coll = `${ROOT}/collections/${user.orgId}/objects/`;
  const sources = stixSources();
  const wanted = new Map<string, Record<string, unknown>>();
  for (const s of sources) {
    const res = await c(coll, { body: asBundleText(s) });
    assert.equal(res.status, 202);
    const status = await json(res);
    assert.equal(status.failure_count, 0, `${s.file}: ${JSON.stringify(status.failures.slice(0, 3))}`);
    assert.equal(status.total_count, s.objects.length);
    for (const o of s.objects) wanted.set(`${o.id} ${o.modified ?? o.created ?? ''}`, o);
  }
  const got = new Map<string, Record<string, unknown>>();
  let next: string | undefined;
  for (;;) {
    const res = await c(`${coll}?match[version]=all&limit=1000${next ? `&next=${next}` : ''}`);
    assert.equal(res.status, 200);
    const text = await res.text();
    const env = JSON.parse(text);
    for (const o of env.objects) got.set(`${o.id} ${o.modified ?? o.created ?? ''}`, o);
    if (!env.more) break;
    next = env.next;
  }
  assert.equal(got.size, wanted.size);
  for (const [k, o] of wanted) assert.deepEqual(got.get(k), o, k);
  assert.ok(got.size > 1900);
});
