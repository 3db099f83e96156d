/**
 * `npm run cli -- import misp PATH|URL` as a real child process: an event file for an organisation
 * (counts printed, rows stored with the right scope), an idempotent second run, --preview storing
 * nothing, a feed directory (manifest.json with integrity:sha256; a tampered event refused), and
 * usage / input errors with their exit codes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { tempDir, testdataPath } from '../../../test/harness.ts';
import { organisations } from '../../core/tables.ts';
import { newId } from '../../core/ids.ts';
import { rows } from '../../db/client.ts';
import { cliTarget, runCli, type CliTarget } from '../../cli/cli-harness.ts';
import { sha256Hex } from './feed-export.query.ts';

const DIR = testdataPath('misp');
const SKIP = DIR ? false : 'MISP test data absent (../shared/testdata/misp)';
const SEDNIT = '5a3c2fcd-8328-42bb-a95e-4f4402de0b81';
let t: CliTarget;
let dir: string;
before(async () => { t = await cliTarget(); dir = tempDir('import-misp'); });
after(async () => { await t.cleanup(); fs.rmSync(dir, { recursive: true, force: true }); });

const eventCount = (orgId: string) => t.withDb((d) => rows<{ n: number; attrs: number }>(d.db, sql`
  SELECT count(*)::int AS n, coalesce(sum(attribute_count), 0)::int AS attrs FROM misp_events WHERE owner_org_id = ${orgId}::uuid`));

test('import misp FILE: preview stores nothing; import for an organisation; a second run is unchanged', { skip: SKIP }, async () => {
  const orgId = newId();
  const name = `MISP CSIRT ${orgId.slice(0, 6)}`;
  await t.withDb((d) => d.db.insert(organisations).values({ id: orgId, name, type: 'national_csirt', networkMember: true }));
  const file = path.join(DIR!, 'existing_event.json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const src = (doc.Event ?? doc) as { Attribute: unknown[]; Object: { Attribute?: unknown[] }[] };
  const attrs = src.Attribute.length + src.Object.reduce((n, o) => n + (o.Attribute?.length ?? 0), 0);
  const objs = src.Object.length;

  const preview = await runCli(['import', 'misp', file, '--org', name, '--preview'], t.env);
  assert.equal(preview.code, 0, preview.stderr + preview.stdout);
  assert.match(preview.stdout, new RegExp(`${SEDNIT} "OSINT - Sednit update[^"]*": ${attrs} attribute\\(s\\), ${objs} object\\(s\\)`));
  assert.match(preview.stdout, /1 event\(s\) previewed; nothing stored/);
  assert.deepEqual(await eventCount(orgId), [{ n: 0, attrs: 0 }]);

  const first = await runCli(['import', 'misp', file, '--org', name, '--scope', 'network', '--tlp', 'green'], t.env);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(first.stdout, new RegExp(`${SEDNIT} imported .*: ${attrs} attribute\\(s\\), ${objs} object\\(s\\)`));
  assert.match(first.stdout, /1 event\(s\): 1 imported, 0 unchanged, 0 older than stored, 0 with problems/);
  const [stored] = await eventCount(orgId);
  assert.equal(stored!.n, 1);
  const [report] = await t.withDb((d) => rows<{ scope: string; tlp: string }>(d.db, sql`
    SELECT scope, tlp FROM stix_objects WHERE stix_id = ${`report--${SEDNIT}`} AND owner_org_id = ${orgId}::uuid`));
  assert.ok(report, 'the event is stored as a report of the organisation');
  assert.ok(['org', 'network'].includes(report.scope), report.scope);

  const second = await runCli(['import', 'misp', file, '--org', orgId], t.env);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`${SEDNIT} unchanged .*stored 0 added`));
  assert.deepEqual(await eventCount(orgId), [stored]);
});

test('import misp DIR: a feed directory (manifest.json + <uuid>.json) imports; a tampered event fails its integrity check', { skip: SKIP }, async () => {
  const feed = path.join(dir, 'feed');
  fs.mkdirSync(feed, { recursive: true });
  const text = fs.readFileSync(path.join(DIR!, '57c4445b-c548-4654-af0b-4be3950d210f.json'), 'utf8');
  const uuid = '57c4445b-c548-4654-af0b-4be3950d210f';
  fs.writeFileSync(path.join(feed, `${uuid}.json`), text);
  fs.writeFileSync(path.join(feed, 'manifest.json'), JSON.stringify({ [uuid]: { info: 'feed event', timestamp: '1', 'integrity:sha256': sha256Hex(text) } }));
  const ok = await runCli(['import', 'misp', feed, '--scope', 'public', '--tlp', 'clear'], t.env);
  assert.equal(ok.code, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, new RegExp(`${uuid} imported`));
  const [row] = await t.withDb((d) => rows<{ source: string }>(d.db, sql`SELECT source FROM misp_events WHERE event_uuid = ${uuid}::uuid AND owner_org_id IS NULL`));
  assert.equal(row?.source, 'cli');

  fs.writeFileSync(path.join(feed, `${uuid}.json`), text.replace('"info"', '"info" ').replace(/}\s*$/, ' }'));
  const bad = await runCli(['import', 'misp', feed], t.env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /integrity:sha256 mismatch/);
});

test('import misp: usage errors exit 2; a missing path, a document with no event and broken JSON exit 1 and store nothing', { skip: SKIP }, async () => {
  const [before] = await t.withDb((d) => rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM stix_objects`));
  assert.equal((await runCli(['import', 'misp'], t.env)).code, 2);
  assert.equal((await runCli(['import', 'misp', path.join(DIR!, 'misp_event.json'), '--tlp', 'purple'], t.env)).code, 2);
  assert.equal((await runCli(['import', 'misp', path.join(DIR!, 'misp_event.json'), '--scope', 'org'], t.env)).code, 2);
  assert.equal((await runCli(['import', 'misp', path.join(DIR!, 'misp_event.json'), '--bogus'], t.env)).code, 2);
  const missing = await runCli(['import', 'misp', path.join(dir, 'missing.json')], t.env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such file or directory/);
  const groups = await runCli(['import', 'misp', path.join(DIR!, 'sharing_groups.json')], t.env);
  assert.equal(groups.code, 1);
  assert.match(groups.stderr, /Not a MISP event document/);
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"Event": {"info": "x", ');
  const broken = await runCli(['import', 'misp', path.join(dir, 'broken.json')], t.env);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /Not valid JSON/);
  const unknownOrg = await runCli(['import', 'misp', path.join(DIR!, 'misp_event.json'), '--org', 'No Such Team'], t.env);
  assert.equal(unknownOrg.code, 1);
  assert.match(unknownOrg.stderr, /No organisation "No Such Team"/);
  const [afterAll] = await t.withDb((d) => rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM stix_objects`));
  assert.deepEqual(afterAll, before);
});
