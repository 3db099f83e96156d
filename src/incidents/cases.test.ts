/**
 * Cases over real HTTP: every workflow transition (legal and illegal, table-driven), what a
 * participant sees (case fields, shared items; never the owner's internal notes, tasks and
 * attachments), outsiders and TLP:RED (404, no role bypass), links hiding cases the reader cannot
 * see, and the PAP rule in the exports, which validate against the OASIS STIX 2.1 and MISP schemas.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { json, startTestPlatform, testdataPath, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor, type TestSession, type TestUser } from '../auth/test-helpers.ts';
import { validateStixObject } from '../intel/validate/object.ts';
import { CASE_ACTIONS, CASE_STATUSES, TRANSITIONS, type CaseStatus } from './workflow.ts';

let p: TestPlatform;
let a1: TestUser, a2: TestUser, aObs: TestUser, b1: TestUser, c1: TestUser, coord: TestUser;
let sa1: TestSession, sa2: TestSession, saObs: TestSession, sb1: TestSession, sc1: TestSession, scoord: TestSession;
const api = (s: TestSession) => apiClient(p.url, s);

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  a1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'UY' } });
  a2 = await createTestUser(db, { org: { orgId: a1.orgId, role: 'member' } });
  aObs = await createTestUser(db, { org: { orgId: a1.orgId, role: 'observer' } });
  b1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'CL' } });
  c1 = await createTestUser(db, { org: { networkMember: true, role: 'org_admin', countryCode: 'PE' } });
  coord = await createTestUser(db, { platformRole: 'coordinator', org: { networkMember: true, role: 'member' } });
  [sa1, sa2, saObs, sb1, sc1, scoord] = (await Promise.all([a1, a2, aObs, b1, c1, coord].map((u) => sessionFor(db, u.id)))) as [TestSession, TestSession, TestSession, TestSession, TestSession, TestSession];
});
after(() => p.close());

async function newCase(s: TestSession, body: Record<string, unknown> = {}) {
  const res = await api(s)('/api/incidents/cases', { body: { title: 'Defacement of a ministry site', classification: 'defacement', description: 'Home page replaced.', ...body } });
  assert.equal(res.status, 201, await res.clone().text());
  return (await json(res)) as { id: string; reference: string; status: string; channelId: string; rsit: string };
}
const transition = (s: TestSession, id: string, body: Record<string, unknown>) => api(s)(`/api/incidents/cases/${id}/transition`, { body });

/** A way into each state from new. */
const PATH: Record<CaseStatus, { action: string; reason?: string; dup?: boolean }[]> = {
  new: [], open: [{ action: 'open' }], contained: [{ action: 'open' }, { action: 'contain' }], resolved: [{ action: 'open' }, { action: 'resolve' }],
  rejected: [{ action: 'reject', reason: 'not an incident' }], duplicate: [{ action: 'mark_duplicate', dup: true }],
};

test('workflow: every (status, action) pair — legal ones move, illegal ones are 409 invalid_transition and change nothing', async () => {
  const target = await newCase(sa1, { title: 'The original' });
  for (const from of CASE_STATUSES) {
    for (const action of CASE_ACTIONS) {
      const c = await newCase(sa1, { title: `${from} → ${action}` });
      for (const step of PATH[from]) {
        const r = await transition(sa1, c.id, { action: step.action, ...(step.reason ? { reason: step.reason } : {}), ...(step.dup ? { duplicateOfId: target.id } : {}) });
        assert.equal(r.status, 200, `${from} path ${step.action}: ${await r.text()}`);
      }
      const body = { action, ...(action === 'reject' ? { reason: 'spam' } : {}), ...(action === 'mark_duplicate' ? { duplicateOfId: target.id } : {}) };
      const res = await transition(sa1, c.id, body);
      const legal = TRANSITIONS[action].from.includes(from);
      if (legal) {
        assert.equal(res.status, 200, `${from} --${action}--> should be legal`);
        assert.equal(((await json(res)) as { status: string }).status, TRANSITIONS[action].to);
      } else {
        assert.equal(res.status, 409, `${from} --${action}--> should be refused`);
        assert.equal(((await json(res)) as { code: string }).code, 'invalid_transition');
        const now = (await json(await api(sa1)(`/api/incidents/cases/${c.id}`))) as { status: string };
        assert.equal(now.status, from);
      }
    }
  }
});

test('workflow: reject needs a reason, duplicate needs another visible case; the timeline records each change; observers and participants cannot move it', async () => {
  const c = await newCase(sa1);
  assert.equal((await transition(sa1, c.id, { action: 'reject' })).status, 400);
  assert.equal((await transition(sa1, c.id, { action: 'mark_duplicate' })).status, 400);
  assert.equal((await transition(sa1, c.id, { action: 'mark_duplicate', duplicateOfId: c.id })).status, 400);
  const foreign = await newCase(sc1);
  assert.equal((await transition(sa1, c.id, { action: 'mark_duplicate', duplicateOfId: foreign.id })).status, 404);
  assert.equal((await transition(saObs, c.id, { action: 'open' })).status, 403);
  assert.equal((await api(sa1)(`/api/incidents/cases/${c.id}/participants`, { body: { orgId: b1.orgId, role: 'helper' } })).status, 200);
  assert.equal((await transition(sb1, c.id, { action: 'open' })).status, 403);
  assert.equal((await transition(sa2, c.id, { action: 'open' })).status, 200);
  assert.equal((await transition(sa2, c.id, { action: 'resolve' })).status, 200);
  assert.equal((await transition(sa2, c.id, { action: 'reopen' })).status, 200);
  const got = (await json(await api(sa1)(`/api/incidents/cases/${c.id}`))) as { timeline: { kind: string; event: string; data: { to?: string } }[]; status: string; rsit: string };
  assert.equal(got.rsit, 'information-content-security:unauthorised-information-modification');
  const statuses = got.timeline.filter((t) => t.event === 'status').map((t) => t.data.to);
  assert.deepEqual(statuses, ['open', 'resolved', 'open']);
  assert.ok(got.timeline.some((t) => t.event === 'created') && got.timeline.some((t) => t.event === 'participant.added'));
});

test('a participant sees the case and its shared items, never internal ones; outsiders and coordinators outside it get 404; TLP:RED only named people', async () => {
  const c = await newCase(sa1, { tlp: 'amber', pap: 'green' });
  const A = api(sa1);
  assert.equal((await A(`/api/incidents/cases/${c.id}/notes`, { body: { body: 'internal: suspect insider', internal: true } })).status, 201);
  assert.equal((await A(`/api/incidents/cases/${c.id}/notes`, { body: { body: 'shared: please check your logs' } })).status, 201);
  assert.equal((await A(`/api/incidents/cases/${c.id}/tasks`, { body: { title: 'internal task', internal: true, dueAt: '2030-01-01T00:00:00Z' } })).status, 201);
  assert.equal((await A(`/api/incidents/cases/${c.id}/tasks`, { body: { title: 'shared task', dueAt: '2030-01-02T00:00:00Z' } })).status, 201);
  const up = (internal: boolean, name: string) => fetch(`${p.url}/api/incidents/cases/${c.id}/attachments?filename=${name}&internal=${internal}`, {
    method: 'POST', headers: { cookie: sa1.cookie, 'x-csrf-token': sa1.csrfToken, 'content-type': 'application/octet-stream' }, body: Buffer.from(`content of ${name}`),
  });
  const secret = (await json(await up(true, 'secret.txt'))) as { id: string };
  const shared = (await json(await up(false, 'shared.txt'))) as { id: string };
  const other = await newCase(sa1, { title: 'linked private case' });
  assert.equal((await A(`/api/incidents/cases/${c.id}/links`, { body: { otherCaseId: other.id } })).status, 201);
  // Before B takes part: 404 for B, C and a coordinator (no role bypass).
  for (const s of [sb1, sc1, scoord]) assert.equal((await api(s)(`/api/incidents/cases/${c.id}`)).status, 404);
  assert.equal((await A(`/api/incidents/cases/${c.id}/participants`, { body: { orgId: b1.orgId, role: 'helper' } })).status, 200);
  const asB = (await json(await api(sb1)(`/api/incidents/cases/${c.id}`))) as {
    title: string; timeline: { body: string; internal: boolean; data: Record<string, unknown> }[]; tasks: { title: string }[]; attachments: { filename: string }[]; links: unknown[]; permissions: { owner: boolean; works: boolean };
  };
  assert.equal(asB.title, 'Defacement of a ministry site');
  assert.ok(asB.timeline.some((t) => t.body === 'shared: please check your logs'));
  assert.ok(!asB.timeline.some((t) => t.internal), 'no internal timeline entry reaches a participant');
  assert.ok(!JSON.stringify(asB).includes('suspect insider') && !JSON.stringify(asB).includes('internal task') && !JSON.stringify(asB).includes('secret.txt'));
  assert.deepEqual(asB.tasks.map((t) => t.title), ['shared task']);
  assert.deepEqual(asB.attachments.map((a) => a.filename), ['shared.txt']);
  assert.deepEqual(asB.links, [], 'a linked case B cannot read is not revealed');
  assert.deepEqual(asB.permissions, { owner: false, works: true, internal: false, actions: [] });
  assert.equal((await api(sb1)(`/api/incidents/cases/${c.id}/attachments/${secret.id}`)).status, 404);
  assert.equal((await api(sb1)(`/api/incidents/cases/${c.id}/attachments/${shared.id}`)).status, 200);
  // The owner sees everything, including the link.
  const asA = (await json(await A(`/api/incidents/cases/${c.id}`))) as { tasks: unknown[]; attachments: unknown[]; links: unknown[] };
  assert.equal(asA.tasks.length, 2); assert.equal(asA.attachments.length, 2); assert.equal(asA.links.length, 1);
  // B works on it (shared notes) but may not write internal ones nor change fields.
  assert.equal((await api(sb1)(`/api/incidents/cases/${c.id}/notes`, { body: { body: 'B: found it', internal: true } })).status, 403);
  assert.equal((await api(sb1)(`/api/incidents/cases/${c.id}/notes`, { body: { body: 'B: found it' } })).status, 201);
  assert.equal((await api(sb1)(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { severity: 'low' } })).status, 403);
  // Lists: B lists it, C does not.
  const listC = (await json(await api(sc1)('/api/incidents/cases'))) as { items: { id: string }[] };
  assert.ok(!listC.items.some((x) => x.id === c.id));
  const listB = (await json(await api(sb1)('/api/incidents/cases'))) as { items: { id: string }[] };
  assert.ok(listB.items.some((x) => x.id === c.id));
  // B leaves: 404 again.
  assert.equal((await A(`/api/incidents/cases/${c.id}/participants/${b1.orgId}`, { method: 'DELETE' })).status, 200);
  assert.equal((await api(sb1)(`/api/incidents/cases/${c.id}`)).status, 404);

  // TLP:RED: only named people, even inside the owner and a participant organisation.
  const red = await newCase(sa1, { tlp: 'red', title: 'red case' });
  assert.equal((await api(sa2)(`/api/incidents/cases/${red.id}`)).status, 404, 'a colleague not named does not read TLP:RED');
  assert.equal((await A(`/api/incidents/cases/${red.id}/participants`, { body: { orgId: b1.orgId, role: 'helper' } })).status, 400, 'RED needs named people');
  assert.equal((await A(`/api/incidents/cases/${red.id}/participants`, { body: { orgId: b1.orgId, role: 'helper', userIds: [b1.id] } })).status, 200);
  assert.equal((await api(sb1)(`/api/incidents/cases/${red.id}`)).status, 200);
  assert.equal((await api(scoord)(`/api/incidents/cases/${red.id}`)).status, 404);
  for (const s of [sa2, sc1, scoord]) {
    const l = (await json(await api(s)('/api/incidents/cases'))) as { items: { id: string }[] };
    assert.ok(!l.items.some((x) => x.id === red.id));
  }
});

test('bad input is a typed 400 and changes nothing; assignee must belong to the case’s teams', async () => {
  const A = api(sa1);
  assert.equal((await A('/api/incidents/cases', { body: { title: 'x', classification: 'not-a-class' } })).status, 400);
  assert.equal((await A('/api/incidents/cases', { body: { title: 'x', classification: 'ddos', rsit: 'availability:nope' } })).status, 400);
  assert.equal((await A('/api/incidents/cases', { body: { title: 'x', classification: 'ddos', assigneeId: c1.id } })).status, 400);
  const c = await newCase(sa1);
  assert.equal((await A(`/api/incidents/cases/${c.id}`, { method: 'PATCH', body: { assigneeId: a2.id, severity: 'high' } })).status, 200);
  const got = (await json(await A(`/api/incidents/cases/${c.id}`))) as { assignee: { id: string }; severity: string; timeline: { event: string }[] };
  assert.equal(got.assignee.id, a2.id); assert.equal(got.severity, 'high');
  assert.ok(got.timeline.some((t) => t.event === 'field.severity') && got.timeline.some((t) => t.event === 'field.assigneeId'));
  const n = (await json(await api(sa2)('/api/incidents/notifications'))) as { items: { kind: string; caseId: string }[] };
  assert.ok(n.items.some((x) => x.kind === 'case.assigned' && x.caseId === c.id));
});

// ---- exports -------------------------------------------------------------------------------
const STIX_DIR = testdataPath('stix-schemas', 'schemas') ?? '';
const MISP_SCHEMA = testdataPath('misp', 'schema.json') ?? '';
const SKIP_STIX = STIX_DIR && fs.existsSync(STIX_DIR) ? false : 'OASIS STIX schemas absent: ../shared/testdata/stix-schemas/schemas not found';
const SKIP_MISP = MISP_SCHEMA && fs.existsSync(MISP_SCHEMA) ? false : 'MISP schema absent: ../shared/testdata/misp/schema.json not found';

function stixValidator() {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ajv = new (Ajv2020 as any)({ strict: false, unicodeRegExp: false, allErrors: true, logger: false });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (addFormats as any)(ajv);
  const ids = new Map<string, string>();
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : []);
  for (const f of walk(STIX_DIR)) {
    const schema = JSON.parse(fs.readFileSync(f, 'utf8'));
    ajv.addSchema(schema);
    ids.set(path.basename(f, '.json'), schema.$id);
  }
  return (o: Record<string, unknown>) => {
    const id = ids.get(o.type as string);
    assert.ok(id, `no OASIS schema for ${o.type}`);
    const ok = ajv.validate(id, o);
    assert.ok(ok, `${o.type} invalid: ${JSON.stringify(ajv.errors?.slice(0, 3))}`);
  };
}

async function caseWithObservables(pap: string, tlp = 'amber') {
  const c = await newCase(sa1, { title: `Phishing ${pap}`, classification: 'phishing', pap, tlp, description: 'Bank phishing' });
  const r = await api(sa1)(`/api/incidents/cases/${c.id}/observables`, { body: { text: fs.readFileSync(new URL('./test/corpus/phishing-campaign.txt', import.meta.url), 'utf8') + '\nAlso CVE-2024-3400.' } });
  assert.equal(r.status, 200);
  return c;
}

test('STIX export validates against the OASIS schemas (and our validator); TLP marking and PAP shown; indicators only when PAP allows detection', { skip: SKIP_STIX }, async () => {
  const validate = stixValidator();
  for (const pap of ['green', 'amber', 'clear']) {
    const c = await caseWithObservables(pap, pap === 'clear' ? 'clear' : 'amber');
    const res = await api(sa1)(`/api/incidents/cases/${c.id}/export/stix`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /application\/stix\+json/);
    const bundle = (await json(res)) as { type: string; objects: Record<string, unknown>[] };
    assert.equal(bundle.type, 'bundle');
    for (const o of bundle.objects) {
      validate(o);
      assert.deepEqual(validateStixObject(o), [], `our validator: ${o.type}`);
    }
    const incident = bundle.objects.find((o) => o.type === 'incident')!;
    assert.ok((incident.labels as string[]).includes(`PAP:${pap.toUpperCase()}`));
    const marks = incident.object_marking_refs as string[];
    assert.ok(bundle.objects.some((o) => o.type === 'marking-definition' && marks.includes(o.id as string) && (o.name as string) === `PAP:${pap.toUpperCase()}`));
    assert.ok(bundle.objects.some((o) => o.type === 'marking-definition' && marks.includes(o.id as string) && (o.name as string).startsWith('TLP:')));
    for (const t of ['ipv4-addr', 'domain-name', 'url', 'email-addr', 'file', 'autonomous-system', 'vulnerability', 'relationship']) {
      assert.ok(bundle.objects.some((o) => o.type === t), `has ${t}`);
    }
    const indicators = bundle.objects.filter((o) => o.type === 'indicator');
    if (pap === 'amber') assert.equal(indicators.length, 0, 'PAP:AMBER: passive use only, no indicators');
    else assert.ok(indicators.length >= 5);
  }
});

test('MISP export validates against the MISP schema; PAP tag; to_ids only when PAP allows detection', { skip: SKIP_MISP }, async () => {
  const schema = JSON.parse(fs.readFileSync(MISP_SCHEMA, 'utf8'));
  // Draft-04 schema read by Ajv's draft-07 engine: the two differ here only in "id" vs "$id" (no boolean exclusive bounds are used).
  delete schema.$schema; delete schema.id;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ajv = new (Ajv as any)({ strict: false, allErrors: true, logger: false });
  const validate = ajv.compile(schema);
  for (const pap of ['green', 'amber']) {
    const c = await caseWithObservables(pap);
    const res = await api(sa1)(`/api/incidents/cases/${c.id}/export/misp`);
    assert.equal(res.status, 200);
    const ev = (await json(res)) as { Event: { Tag: { name: string }[]; Attribute: { type: string; to_ids: boolean; value: string }[] } };
    assert.ok(validate(ev), JSON.stringify(validate.errors?.slice(0, 3)));
    const tags = ev.Event.Tag.map((t) => t.name);
    assert.ok(tags.includes('tlp:amber') && tags.includes(`PAP:${pap.toUpperCase()}`) && tags.includes('csirt-americas:phishing') && tags.includes('rsit:fraud="phishing"'));
    assert.ok(ev.Event.Attribute.some((a) => a.type === 'ip-dst' && a.value === '198.51.100.23'));
    assert.equal(ev.Event.Attribute.some((a) => a.to_ids), pap === 'green');
  }
});

test('PAP:RED: both exports refused (412), for every reader; a reader who cannot see the case gets 404', async () => {
  const c = await caseWithObservables('red');
  for (const fmt of ['misp', 'stix']) {
    const r = await api(sa1)(`/api/incidents/cases/${c.id}/export/${fmt}`);
    assert.equal(r.status, 412);
    assert.equal(((await json(r)) as { code: string }).code, 'precondition_failed');
    assert.equal((await api(sc1)(`/api/incidents/cases/${c.id}/export/${fmt}`)).status, 404);
  }
  const g = (await json(await api(sa1)(`/api/incidents/cases/${c.id}`))) as { papLabel: string };
  assert.equal(g.papLabel, 'PAP:RED');
});

test('case references are unique and tell nothing of how many cases others opened, TLP:RED included', async () => {
  const mine1 = await newCase(sa1, { title: 'First of A' });
  for (let i = 0; i < 3; i++) await newCase(sb1, { title: `B's case ${i}`, tlp: i === 0 ? 'red' : 'amber' });
  const mine2 = await newCase(sa1, { title: 'Second of A' });
  const year = new Date().getUTCFullYear();
  for (const c of [mine1, mine2]) assert.match(c.reference, new RegExp(`^HS-${year}-[2-9A-HJKMNP-TV-Z]{5}$`));
  assert.notEqual(mine1.reference, mine2.reference);
});

test('open=true lists only cases not closed (the dashboard asks for these)', async () => {
  const live = await newCase(sa1, { title: 'Still being handled' });
  const closed = await newCase(sa1, { title: 'Turned out to be nothing' });
  assert.equal((await transition(sa1, closed.id, { action: 'reject', reason: 'false positive' })).status, 200);
  const ids = ((await json(await api(sa1)('/api/incidents/cases?open=true&limit=200'))) as { items: { id: string; status: string }[] }).items;
  assert.ok(ids.some((c) => c.id === live.id));
  assert.ok(!ids.some((c) => c.id === closed.id));
  assert.ok(ids.every((c) => ['new', 'open', 'contained'].includes(c.status)));
  assert.equal((await api(sa1)('/api/incidents/cases?open=yes')).status, 400);
});
