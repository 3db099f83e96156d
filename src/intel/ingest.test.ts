/** Ingest and round trip: the OASIS examples and ATT&CK for ICS go in and come back byte for byte; re-ingest changes nothing. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../../test/harness.ts';
import { system } from '../core/actor.ts';
import { rows } from '../db/client.ts';
import { ingestBundle, ingestObjects } from './ingest.command.ts';
import { getObject, getObjectVersions, listObjects, manifest, relationshipsOf, type StoredObject } from './objects.query.ts';
import { asBundleText, bundleOf, chunks, SKIP_NO_TESTDATA, stixSources } from './test/fixtures.ts';

let tdb: TestDb;
before(async () => { tdb = await createTestDb(); });
after(() => tdb.drop());

const meta = { actor: system('test') };
const publicOpts = { ownerOrgId: null, scope: 'public' as const, tlpDefault: 'clear' as const, batchSize: 97 };

async function readAll(filter: Parameters<typeof listObjects>[2] = {}): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listObjects(tdb.database.db, system('test'), { versions: ['all'], limit: 250, ...filter, cursor });
    out.push(...page.items);
    if (!page.more) return out;
    cursor = page.next!;
  }
}

test('round trip: OASIS examples and ATT&CK ICS are stored and read back equal, byte for byte', { skip: SKIP_NO_TESTDATA }, async () => {
  const db = tdb.database.db;
  const sources = stixSources();
  for (const s of sources) {
    const report = await ingestBundle(db, meta, chunks(asBundleText(s), 1000), publicOpts);
    assert.equal(report.counts.rejected, 0, `${s.file}: ${JSON.stringify(report.results.filter((r) => r.status === 'rejected').slice(0, 3))}`);
    assert.equal(report.counts.conflict, 0, s.file);
    assert.equal(report.total, s.objects.length);
  }
  const stored = await readAll();
  const byKey = new Map(stored.map((o) => [`${o.id} ${JSON.stringify(JSON.parse(o.raw))}`, o]));
  let checked = 0;
  for (const s of sources) {
    for (const obj of s.objects) {
      const hit = byKey.get(`${obj.id} ${JSON.stringify(obj)}`);
      assert.ok(hit, `${s.file}: ${String(obj.id)} not read back`);
      assert.deepEqual(JSON.parse(hit.raw), obj);
      // Byte for byte: the stored text is a slice of the file it came from (an identical object in
      // two files is stored once, from the file ingested first).
      assert.ok(sources.some((x) => x.text.includes(hit.raw)), `${String(obj.id)}: stored text is not the original bytes`);
      checked++;
    }
  }
  assert.ok(checked > 1900);
  // date_added strictly increases in paging order: a stable cursor.
  for (let i = 1; i < stored.length; i++) assert.ok(stored[i]!.dateAdded > stored[i - 1]!.dateAdded, 'date_added strictly increasing');

  // Idempotent: a second ingest adds nothing and changes no row.
  const before = await rows<{ n: number; h: string }>(db, sql`SELECT count(*)::int AS n, md5(string_agg(stix_id || raw || date_added::text, ',' ORDER BY seq)) AS h FROM stix_objects`);
  for (const s of sources) {
    const again = await ingestBundle(db, meta, chunks(asBundleText(s), 65536), publicOpts);
    assert.equal(again.counts.added, 0);
    assert.equal(again.counts.unchanged + again.counts.conflict, again.total, s.file);
  }
  const afterRows = await rows<{ n: number; h: string }>(db, sql`SELECT count(*)::int AS n, md5(string_agg(stix_id || raw || date_added::text, ',' ORDER BY seq)) AS h FROM stix_objects`);
  assert.deepEqual(afterRows, before);

  // ATT&CK: the marking definition and relationships are queryable.
  const attack = sources.find((s) => s.file.endsWith('ics-attack.json'))!;
  const ap = attack.objects.find((o) => o.type === 'attack-pattern')!;
  const one = await getObject(db, system('test'), ap.id as string);
  assert.deepEqual(JSON.parse(one.raw), ap);
  const rels = await relationshipsOf(db, system('test'), ap.id as string);
  const expected = attack.objects.filter((o) => o.type === 'relationship' && (o.source_ref === ap.id || o.target_ref === ap.id));
  assert.equal(rels.length, expected.length);
  const m = await manifest(db, system('test'), { types: ['marking-definition'], versions: ['all'] });
  assert.ok(m.items.length >= 1);
  assert.ok(!('raw' in m.items[0]!));
});

const ident = (over: Record<string, unknown> = {}) => ({
  type: 'identity', spec_version: '2.1', id: 'identity--6f4e9c3a-2a52-4c8e-9d2b-1f0f2d3c4b5a', created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z', name: 'CSIRT A', identity_class: 'organization', ...over,
});

test('versions: last by default, first, all, a timestamp; revoked kept and flagged; conflicts and rejects reported per object', async () => {
  const db = tdb.database.db;
  const v1 = ident();
  const v2 = ident({ modified: '2024-02-01T00:00:00.000Z', name: 'CSIRT A (renamed)' });
  const v3 = ident({ modified: '2024-03-01T00:00:00.000Z', revoked: true });
  const bad = { ...ident({ id: 'identity--not-a-uuid' }) };
  const report = await ingestBundle(db, meta, chunks(bundleOf([v1, v2, bad, v3, v1, { type: 'identity' }]), 7), publicOpts);
  const byIndex = [...report.results].sort((a, b) => a.index - b.index);
  assert.deepEqual(byIndex.map((r) => r.status), ['added', 'added', 'rejected', 'added', 'unchanged', 'rejected']);
  assert.equal(report.counts.added, 3);
  assert.equal(report.counts.rejected, 2);
  assert.equal(report.counts.unchanged, 1);
  const rejected = report.results.find((r) => r.index === 2)!;
  assert.equal(rejected.status, 'rejected');
  assert.deepEqual(rejected.issues!.map((i) => i.path), ['id']);

  const last = await getObject(db, system('t'), v1.id);
  assert.equal(last.version, '2024-03-01T00:00:00.000Z');
  assert.equal(last.revoked, true);
  const first = await listObjects(db, system('t'), { ids: [v1.id], versions: ['first'] });
  assert.deepEqual(first.items.map((o) => o.version), ['2024-01-01T00:00:00.000Z']);
  const at = await listObjects(db, system('t'), { ids: [v1.id], versions: ['2024-02-01T00:00:00.000Z'] });
  assert.equal(JSON.parse(at.items[0]!.raw).name, 'CSIRT A (renamed)');
  const all = await getObjectVersions(db, system('t'), v1.id);
  assert.deepEqual(all.items.map((o) => o.version), ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
  const notRevoked = await listObjects(db, system('t'), { ids: [v1.id], includeRevoked: false });
  assert.equal(notRevoked.items.length, 0);

  // Same id and version, different content: a conflict, the stored version is kept.
  const clash = await ingestBundle(db, meta, chunks(bundleOf([ident({ name: 'Impostor' })])), publicOpts);
  assert.equal(clash.results[0]!.status, 'conflict');
  const kept = await listObjects(db, system('t'), { ids: [v1.id], versions: ['first'] });
  assert.equal(JSON.parse(kept.items[0]!.raw).name, 'CSIRT A');
});

test('a broken bundle is refused with a typed error; bad filters are refused', async () => {
  const db = tdb.database.db;
  await assert.rejects(ingestBundle(db, meta, chunks('{"type":"bundle","objects":[{"a":1}'), publicOpts), (e: Error & { code?: string }) => e.code === 'validation_failed');
  await assert.rejects(ingestBundle(db, meta, chunks('{"type":"report","objects":[]}'), publicOpts), (e: Error & { code?: string }) => e.code === 'validation_failed');
  await assert.rejects(listObjects(db, system('t'), { versions: ['yesterday'] }), (e: Error & { code?: string }) => e.code === 'validation_failed');
  await assert.rejects(listObjects(db, system('t'), { limit: 5000 }), (e: Error & { code?: string }) => e.code === 'validation_failed');
  await assert.rejects(listObjects(db, system('t'), { cursor: 'bm9wZQ' }), (e: Error & { code?: string }) => e.code === 'validation_failed');
});

test('ingestObjects (already parsed objects) stores what ingestBundle stores: raw text as given, same report, idempotent', async () => {
  const db = tdb.database.db;
  const orgOpts = { ownerOrgId: null, scope: 'network' as const, tlpDefault: 'green' as const, batchSize: 2 };
  const made = [0, 1, 2].map((i) => ({
    type: 'indicator', spec_version: '2.1', id: `indicator--7d0f3a52-0c1b-4c1e-9a1e-00000000000${i}`, created: '2024-02-01T00:00:00.000Z',
    modified: '2024-02-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '198.51.100.${i}']`, pattern_type: 'stix', valid_from: '2024-02-01T00:00:00.000Z',
  }));
  const bad = { type: 'indicator', id: 'indicator--nope' };
  const parsed = [...made, bad].map((o) => ({ raw: JSON.stringify(o), object: o as Record<string, unknown> }));
  const first = await ingestObjects(db, meta, parsed, orgOpts);
  assert.deepEqual(first.counts, { added: 3, unchanged: 0, conflict: 0, rejected: 1 });
  assert.deepEqual(first.results.filter((r) => r.status === 'rejected').map((r) => [r.index, r.id]), [[3, 'indicator--nope']]);
  const again = await ingestBundle(db, meta, chunks(bundleOf(made)), orgOpts);
  assert.deepEqual(again.counts, { added: 0, unchanged: 3, conflict: 0, rejected: 0 });
  const stored = await rows<{ raw: string; scope: string; tlp: string }>(db, sql`
    SELECT raw, scope, tlp FROM stix_objects WHERE stix_id LIKE 'indicator--7d0f3a52-0c1b-4c1e-9a1e-%' ORDER BY stix_id`);
  assert.deepEqual(stored.map((r) => r.raw), parsed.slice(0, 3).map((p) => p.raw));
  assert.deepEqual([...new Set(stored.map((r) => `${r.tlp}/${r.scope}`))], ['green/network']);
});

test('ingest indexes observables and correlations in its own transaction, and first catches up rows left unindexed', async () => {
  const db = tdb.database.db;
  const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
  await db.execute(sql`INSERT INTO organisations (id, name, type) VALUES (${a}, 'Ingest A', 'national_csirt'), (${b}, 'Ingest B', 'national_csirt')`);
  const ind = (n: number, ip: string) => ({
    type: 'indicator', spec_version: '2.1', id: `indicator--2b1c2a52-0c1b-4c1e-9a1e-00000000000${n}`, created: '2024-03-01T00:00:00.000Z',
    modified: '2024-03-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: '2024-03-01T00:00:00.000Z',
  });
  const opts = (org: string) => ({ ownerOrgId: org, scope: 'network' as const, tlpDefault: 'green' as const });
  const observed = async (ip: string) => (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM intel_observables WHERE value = ${ip}`))[0]!.n;
  const correlated = async (ip: string) => (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM intel_correlations WHERE value = ${ip}`))[0]!.n;
  await ingestBundle(db, meta, chunks(bundleOf([ind(1, '192.0.2.77')])), opts(a));
  assert.equal(await observed('192.0.2.77'), 1, 'indexed by the ingest itself');
  await ingestBundle(db, meta, chunks(bundleOf([ind(2, '192.0.2.77')])), opts(b));
  assert.equal(await correlated('192.0.2.77'), 1, 'the second organisation\'s object is correlated with the first');
  // A row the ingest did not index (as rows stored before inline indexing existed): the next batch indexes it first.
  await ingestBundle(db, meta, chunks(bundleOf([ind(3, '192.0.2.88')])), opts(a));
  await db.execute(sql`DELETE FROM intel_observables WHERE value = '192.0.2.88'`);
  await db.execute(sql`UPDATE intel_index_state SET last_seq = last_seq - 1 WHERE name = 'observables'`);
  await ingestBundle(db, meta, chunks(bundleOf([ind(4, '192.0.2.88')])), opts(b));
  assert.equal(await observed('192.0.2.88'), 2, 'the unindexed row was caught up, the new one indexed');
  assert.equal(await correlated('192.0.2.88'), 1);
  const [st] = await rows<{ ok: boolean }>(db, sql`SELECT (SELECT last_seq FROM intel_index_state WHERE name = 'observables') = (SELECT max(seq) FROM stix_objects) AS ok`);
  assert.equal(st!.ok, true, 'the watermark is at the newest row');
});

test('a bundle that turns out broken after some batches were written changes nothing: those batches are taken back', async () => {
  const db = tdb.database.db;
  const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
  await db.execute(sql`INSERT INTO organisations (id, name, type) VALUES (${a}, 'Broken A', 'national_csirt'), (${b}, 'Broken B', 'national_csirt')`);
  const ind = (n: number) => ({
    type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, created: '2024-04-01T00:00:00.000Z',
    modified: '2024-04-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, pattern_type: 'stix', valid_from: '2024-04-01T00:00:00.000Z',
  });
  // Organisation B already has one of the values: A's objects correlate with it as they are written.
  await ingestBundle(db, meta, chunks(bundleOf([ind(7)])), { ownerOrgId: b, scope: 'network', tlpDefault: 'green' });
  const count = async () => (await rows<{ o: number; obs: number; c: number; audit: number }>(db, sql`
    SELECT (SELECT count(*)::int FROM stix_objects WHERE owner_org_id = ${a}::uuid) AS o,
           (SELECT count(*)::int FROM intel_observables WHERE owner_org_id = ${a}::uuid) AS obs,
           (SELECT count(*)::int FROM intel_correlations WHERE org_id = ${a}::uuid) AS c,
           (SELECT count(*)::int FROM audit_log WHERE action = 'intel.ingest_rolled_back' AND org_id = ${a}::uuid) AS audit`))[0]!;
  const before = await count();
  const objects = Array.from({ length: 250 }, (_, i) => ind(i));
  const text = bundleOf(objects);
  const truncated = text.slice(0, text.length - 200); // the stream ends inside the last objects
  const opts = { ownerOrgId: a, scope: 'network' as const, tlpDefault: 'green' as const, batchSize: 40 };
  await assert.rejects(ingestBundle(db, meta, chunks(truncated, 997), opts), (e: Error & { code?: string }) => e.code === 'validation_failed');
  const after = await count();
  assert.deepEqual([after.o, after.obs, after.c], [before.o, before.obs, before.c], 'no object, observable or correlation of the broken bundle is left');
  assert.equal(after.audit, before.audit + 1, 'the taking back is audited');
  // The same bundle, whole, then goes in as if the broken one had never been sent.
  const report = await ingestBundle(db, meta, chunks(text, 997), opts);
  assert.equal(report.counts.added, 250);
});
