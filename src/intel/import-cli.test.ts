/** `npm run cli -- import stix FILE` as a real child process: streamed import, report, idempotent re-run, usage errors. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { tempDir } from '../../test/harness.ts';
import { organisations } from '../core/tables.ts';
import { newId } from '../core/ids.ts';
import { rows } from '../db/client.ts';
import { cliTarget, runCli, type CliTarget } from '../cli/cli-harness.ts';
import { ICS_ATTACK, SKIP_NO_TESTDATA, bundleOf } from './test/fixtures.ts';

let t: CliTarget;
let dir: string;
before(async () => { t = await cliTarget(); dir = tempDir('import'); });
after(async () => { await t.cleanup(); fs.rmSync(dir, { recursive: true, force: true }); });

test('import stix: ATT&CK ICS streamed into the store for an organisation; a second run changes nothing', { skip: SKIP_NO_TESTDATA }, async () => {
  const orgId = newId();
  const name = `Import CSIRT ${orgId.slice(0, 6)}`;
  await t.withDb((d) => d.db.insert(organisations).values({ id: orgId, name, type: 'national_csirt', networkMember: true }));
  const total = (JSON.parse(fs.readFileSync(ICS_ATTACK!, 'utf8')) as { objects: unknown[] }).objects.length;
  const first = await runCli(['import', 'stix', ICS_ATTACK!, '--org', name, '--scope', 'network', '--tlp', 'green'], t.env);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(first.stdout, new RegExp(`${total} object\\(s\\): ${total} added, 0 unchanged, 0 conflict\\(s\\), 0 rejected`));
  const second = await runCli(['import', 'stix', ICS_ATTACK!, '--org', orgId, '--scope', 'network'], t.env);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`${total} object\\(s\\): 0 added, ${total} unchanged`));
  const [r] = await t.withDb((d) => rows<{ n: number; scope: string }>(d.db, sql`SELECT count(*)::int AS n, min(scope) AS scope FROM stix_objects WHERE owner_org_id = ${orgId}::uuid`));
  assert.deepEqual(r, { n: total, scope: 'network' });
});

test('import stix: rejected objects are listed with their path and the exit code is 1; usage errors exit 2', async () => {
  const file = path.join(dir, 'mixed.json');
  const ok = { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' };
  fs.writeFileSync(file, bundleOf([ok, { ...ok, id: 'ipv4-addr--nope' }]));
  const res = await runCli(['import', 'stix', file, '--scope', 'public', '--tlp', 'clear'], t.env);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stdout, /#1 ipv4-addr--nope rejected: id: must be/);
  assert.match(res.stdout, /2 object\(s\): 1 added, 0 unchanged, 0 conflict\(s\), 1 rejected/);
  assert.equal((await runCli(['import', 'stix'], t.env)).code, 2);
  assert.equal((await runCli(['import', 'stix', file, '--tlp', 'purple'], t.env)).code, 2);
  assert.equal((await runCli(['import', 'stix', path.join(dir, 'missing.json')], t.env)).code, 1);
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"type":"bundle","objects":[');
  const broken = await runCli(['import', 'stix', path.join(dir, 'broken.json'), '--scope', 'network'], t.env);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /Not a STIX bundle/);
});
