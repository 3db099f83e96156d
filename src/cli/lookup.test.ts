/** `npm run cli -- lookup` as a child process: table, JSON, stdin, the public view, invalid values. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../core/ids.ts';
import { organisations } from '../core/tables.ts';
import { bumpGeneration } from '../directory/lookup.query.ts';
import { constituencyEntries, teamProfiles } from '../directory/tables.ts';
import { cliTarget, runCli, type CliTarget } from './cli-harness.ts';

let t: CliTarget;
const orgId = newId();
before(async () => {
  t = await cliTarget();
  await t.withDb(async ({ db }) => {
    await db.insert(organisations).values({ id: orgId, name: 'CERT Lookup Test', shortName: 'CERT-LT', type: 'national_csirt', countryCode: 'PY', networkMember: true });
    await db.insert(teamProfiles).values({ orgId, fieldVisibility: { domains: 'public' } });
    await db.insert(constituencyEntries).values([
      { orgId, kind: 'ipv4', value: '192.0.2.0/24' }, { orgId, kind: 'domain', value: 'xn--caf-dma.example' }, { orgId, kind: 'asn', value: '64496' },
    ]);
    await bumpGeneration(db);
  });
});
after(() => t.cleanup());

test('table output, exit 0 when every value is valid', async () => {
  const r = await runCli(['lookup', '192.0.2.55', 'www.café.example', 'AS64496', '198.51.100.1'], t.env);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^VALUE\s+KIND\s+MATCHED\s+TEAM/);
  assert.match(lines[1]!, /192\.0\.2\.55\s+ipv4\s+192\.0\.2\.0\/24\s+CERT-LT \(PY\)/);
  assert.match(lines[2]!, /www\.café\.example\s+domain\s+xn--caf-dma\.example\s+CERT-LT/);
  assert.match(lines[3]!, /AS64496\s+asn\s+AS64496\s+CERT-LT/);
  assert.match(lines[4]!, /198\.51\.100\.1\s+ipv4\s+-\s+-/);
});

test('--json and stdin; --public shows only public constituency; an invalid value exits 1', async () => {
  const r = await runCli(['lookup', '--json', '--public', '-'], t.env, 'x@mail.café.example\n192.0.2.1\nnot a value!\n');
  assert.equal(r.code, 1);
  const items = JSON.parse(r.stdout);
  assert.equal(items[0].kind, 'email');
  assert.equal(items[0].teams[0].orgId, orgId, 'domains are public');
  assert.equal(items[1].matched, null, 'IPv4 prefixes are members-only by default');
  assert.equal(items[2].kind, 'invalid');
});
