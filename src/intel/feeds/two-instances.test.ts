/**
 * Two instances on one machine (two platforms, two databases): B subscribes to A's TAXII network
 * collection and to A's MISP feed with a token of a user of another organisation on A; new objects
 * on A arrive on B in one pull; an AMBER object outside the token's scope never does. Then hostile
 * feeds (local HTTP servers): huge body, endless redirect, malformed JSON, a server that never
 * answers, and a private target without the allow-list — each fails cleanly on its own feed only.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { json, startTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestUser } from '../../auth/test-helpers.ts';
import { loadUserActor } from '../../auth/actor-loader.ts';
import { system } from '../../core/actor.ts';
import { rows } from '../../db/client.ts';
import { ingestBundle } from '../ingest.command.ts';
import { bundleOf, chunks } from '../test/fixtures.ts';
import { NETWORK_COLLECTION_ID } from '../taxii/collections.ts';
import { indicator, tokenFor } from '../taxii/test-support.ts';
import { importMispEvents } from '../misp/import.command.ts';
import { secretBoxFor } from '../../crypto/secret-box.ts';
import { createFeed } from './feeds.command.ts';
import { pullFeed } from './pull.command.ts';

let A: TestPlatform;
let B: TestPlatform;
let author: TestUser; // org X on A
let peer: TestUser; // org Y on A: B's credentials
let subscriber: TestUser; // org Z on B
const servers: http.Server[] = [];

before(async () => {
  A = await startTestPlatform({ REQUIRE_2FA_ROLES: '', WORKERS: 'false' });
  B = await startTestPlatform({ REQUIRE_2FA_ROLES: '', WORKERS: 'false', FEEDS_ALLOW_PRIVATE: '127.0.0.1', FEEDS_TIMEOUT_MS: '1500', FEEDS_MAX_BYTES: '2000000', FEEDS_MAX_REDIRECTS: '3' });
  author = await createTestUser(A.database.db, { org: { networkMember: true } });
  peer = await createTestUser(A.database.db, { org: { networkMember: true } });
  subscriber = await createTestUser(B.database.db, { org: { networkMember: true } });
});
after(async () => {
  for (const s of servers) s.close();
  await A?.close();
  await B?.close();
});

const onA = async (objects: unknown[], scope: 'network' | 'org', tlp: 'green' | 'amber') => {
  const actor = await loadUserActor(A.database.db, author.id, { via: 'session', sessionId: 'test' });
  const r = await ingestBundle(A.database.db, { actor: actor! }, chunks(bundleOf(objects), 500), { ownerOrgId: author.orgId!, scope, tlpDefault: tlp });
  assert.equal(r.counts.added, objects.length);
};
const onB = async (stixId: string) => Number((await rows<{ n: string }>(B.database.db, sql`SELECT count(*) AS n FROM stix_objects WHERE stix_id = ${stixId}`))[0]!.n) > 0;
const mispEvent = (uuid: string, tlp: string, distribution: string, ip: string) => ({
  Event: { uuid, info: `event ${tlp}`, date: '2024-05-01', timestamp: '1714521600', distribution, analysis: '0', threat_level_id: '2', Orgc: { name: 'X', uuid: '0d4f5c1a-1111-4222-8333-444455556666' },
    Tag: [{ name: `tlp:${tlp}` }], Attribute: [{ uuid: crypto.randomUUID(), type: 'ip-dst', category: 'Network activity', value: ip, to_ids: true, distribution: '5', timestamp: '1714521600' }] },
});

test('B pulls A\'s TAXII collection and MISP feed: new objects arrive in one pull, AMBER outside the token\'s scope never', async () => {
  const green = indicator({ tlp: 'green' });
  const amber = indicator({ tlp: 'amber' });
  await onA([green], 'network', 'green');
  await onA([amber], 'org', 'amber');
  const authorActor = (await loadUserActor(A.database.db, author.id, { via: 'session', sessionId: 'test' }))!;
  const greenEvent = mispEvent(crypto.randomUUID(), 'green', '1', '198.51.100.11');
  const amberEvent = mispEvent(crypto.randomUUID(), 'amber', '0', '198.51.100.12');
  await importMispEvents(A.database.db, { actor: authorActor }, [greenEvent.Event, amberEvent.Event], { ownerOrgId: author.orgId!, scope: 'network', tlpDefault: 'amber', source: 'file' });

  const token = await tokenFor(A.database.db, peer.id, ['taxii', 'intel:read']);
  const api = apiClient(B.url, await sessionFor(B.database.db, subscriber.id));
  const mk = async (kind: 'taxii' | 'misp', url: string) => {
    const res = await api('/api/intel/feeds', { body: { orgId: subscriber.orgId, name: `A ${kind}`, kind, url, authorization: `Bearer ${token}`, tlpDefault: 'amber', scope: 'org', intervalMinutes: 60 } });
    assert.equal(res.status, 201, await res.clone().text());
    return (await json(res)).id as string;
  };
  const taxiiFeed = await mk('taxii', `${A.url}/taxii2/hemisphere/collections/${NETWORK_COLLECTION_ID}/`);
  const mispFeed = await mk('misp', `${A.url}/api/intel/misp/feeds/all/`);
  const pull = async (id: string) => {
    const res = await api(`/api/intel/feeds/${id}/pull`, { method: 'POST' });
    assert.equal(res.status, 200);
    return json(res);
  };
  let r = await pull(taxiiFeed);
  assert.equal(r.outcome.ok, true, r.outcome.error);
  assert.ok(await onB(green.id));
  assert.equal(await onB(amber.id), false, 'amber indicator');
  r = await pull(mispFeed);
  assert.equal(r.outcome.ok, true, r.outcome.error);
  assert.ok(await onB(`report--${greenEvent.Event.uuid}`));
  assert.equal(await onB(`report--${amberEvent.Event.uuid}`), false, 'amber event');
  // What arrives is B's subscribing organisation's, narrowed (community → organisation only).
  const [got] = await rows<{ owner_org_id: string; scope: string; tlp: string }>(B.database.db, sql`
    SELECT owner_org_id, scope, tlp FROM stix_objects WHERE stix_id = ${`report--${greenEvent.Event.uuid}`}`);
  assert.deepEqual(got, { owner_org_id: subscriber.orgId, scope: 'org', tlp: 'green' });

  // New objects on A: one pull each brings them, and only them.
  const green2 = indicator({ tlp: 'green' });
  const amber2 = indicator({ tlp: 'amber' });
  await onA([green2], 'network', 'green');
  await onA([amber2], 'org', 'amber');
  r = await pull(taxiiFeed);
  assert.equal(r.outcome.added, 1);
  assert.ok(await onB(green2.id));
  assert.equal(await onB(amber2.id), false, 'amber2');
  const greenEvent2 = mispEvent(crypto.randomUUID(), 'green', '1', '198.51.100.13');
  await importMispEvents(A.database.db, { actor: authorActor }, [greenEvent2.Event], { ownerOrgId: author.orgId!, scope: 'network', tlpDefault: 'amber', source: 'file' });
  r = await pull(mispFeed);
  assert.equal(r.outcome.ok, true, r.outcome.error);
  assert.ok(await onB(`report--${greenEvent2.Event.uuid}`));
  assert.ok(r.outcome.added >= 2 && r.outcome.added <= 4, String(r.outcome.added)); // identity, report, indicator (identity known already)
  assert.equal(r.feed.lastError, null);
  assert.ok(r.feed.lastSuccessAt);
  const list = await json(await api('/api/intel/feeds'));
  assert.equal(list.items.length, 2);
  assert.ok(list.items.every((f: { hasAuthorization: boolean; authorization?: string }) => f.hasAuthorization && f.authorization === undefined));
  const stored = await rows<{ authorization: string }>(B.database.db, sql`SELECT "authorization" FROM intel_feeds WHERE org_id = ${subscriber.orgId}::uuid AND name LIKE 'A %'`);
  assert.equal(stored.length, 2);
  assert.ok(stored.every((f) => f.authorization.startsWith('sealed:v1:') && !f.authorization.includes('Bearer')), 'the credentials are kept sealed (and the pulls above opened them)');
});

async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

test('hostile feeds fail cleanly, each on its own feed, and a good feed still pulls', async () => {
  const huge = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"objects":[');
    const t = setInterval(() => { if (!res.write(`"${'x'.repeat(65536)}",`)) return; }, 1);
    res.on('close', () => clearInterval(t));
  });
  const loop = await serve((req, res) => { res.writeHead(302, { location: `${req.url}x` }); res.end(); });
  const malformed = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"objects": [ {"type": "indicator", '); });
  const silent = await serve(() => { /* never answers */ });
  const good = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' }); res.end(JSON.stringify({ objects: [indicator({ tlp: 'green' })] })); });
  const db = B.database.db;
  const feed = (name: string, url: string, kind: 'taxii' | 'misp' = 'taxii') =>
    createFeed(db, secretBoxFor(B.config), { actor: system('test') }, { orgId: subscriber.orgId!, name, kind, url, tlpDefault: 'amber', scope: 'org', intervalMinutes: 30 });
  const cases: [string, string, RegExp][] = [
    ['huge', `${huge}/c/`, /too large/],
    ['redirect loop', `${loop}/c/`, /Too many redirects/],
    ['malformed', `${malformed}/c/`, /Malformed JSON/],
    ['silent', `${silent}/c/`, /Timed out/],
    ['malformed misp', `${malformed}/feed/`, /Malformed JSON/],
  ];
  const limits = B.config.feeds;
  for (const [name, url, re] of cases) {
    const f = await feed(name, url, name.includes('misp') ? 'misp' : 'taxii');
    const started = Date.now();
    const out = await pullFeed(db, secretBoxFor(B.config), f.id, limits);
    assert.equal(out.ok, false, name);
    assert.match(out.error ?? '', re, name);
    assert.ok(Date.now() - started < 20_000, `${name} ended`);
    const [row] = await rows<{ failures: number; last_error: string; next_pull_at: Date; lease_until: Date | null }>(db, sql`
      SELECT failures, last_error, next_pull_at, lease_until FROM intel_feeds WHERE id = ${f.id}::uuid`);
    assert.equal(row!.failures, 1, name);
    assert.equal(row!.lease_until, null, name);
    assert.ok(new Date(row!.next_pull_at).getTime() > Date.now(), `${name}: backed off`);
  }
  // Private and loopback targets are refused without the allow-list; non-http schemes never accepted.
  const refused = await pullFeed(db, secretBoxFor(B.config), (await feed('private', `${good}/c/`)).id, { ...limits, allowPrivate: [] });
  assert.equal(refused.ok, false);
  assert.match(refused.error ?? '', /private or loopback|Refused/);
  await assert.rejects(feed('file', 'file:///etc/passwd'), { code: 'validation_failed' });
  const ok = await pullFeed(db, secretBoxFor(B.config), (await feed('good', `${good}/c/`)).id, limits);
  assert.equal(ok.ok, true, ok.error ?? '');
  assert.equal(ok.added, 1);
});
