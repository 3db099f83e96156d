/**
 * Advisories over HTTP: draft → review → publish with revisions, translations tracked per language,
 * audit; CSAF export valid against the OASIS CSAF 2.0 schema (Ajv recipe of
 * ../shared/testdata/csaf/README.md); the provider tree complete with hashes and OpenPGP signatures
 * that verify with the served key; the Atom feed parsed by a real XML parser; TLP leak matrix.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { eq } from 'drizzle-orm';
import { json, startTestPlatform, testdataPath, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor } from '../auth/test-helpers.ts';
import { auditLog } from '../core/tables.ts';
import { verifyDetached } from '../crypto/platform-key.ts';
import { csafFilename } from './csaf.ts';

let p: TestPlatform;
type Client = ReturnType<typeof apiClient>;
let author: Client, colleague: Client, coord: Client, outsider: Client, stakeholder: Client;
let authorOrg: string;
const anon = () => apiClient(p.url);
const local = (url: string) => `${p.url}${new URL(url).pathname}${new URL(url).search}`;

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  const a = await createTestUser(db, { org: { networkMember: true, role: 'org_admin' } });
  authorOrg = a.orgId!;
  const c = await createTestUser(db, { org: { orgId: authorOrg, role: 'member' } });
  const co = await createTestUser(db, { platformRole: 'coordinator' });
  const o = await createTestUser(db, { org: { networkMember: true } });
  const s = await createTestUser(db, { org: { networkMember: false } });
  author = apiClient(p.url, await sessionFor(db, a.id));
  colleague = apiClient(p.url, await sessionFor(db, c.id));
  coord = apiClient(p.url, await sessionFor(db, co.id));
  outsider = apiClient(p.url, await sessionFor(db, o.id));
  stakeholder = apiClient(p.url, await sessionFor(db, s.id));
});
after(() => p.close());

const draft = (over: Record<string, unknown> = {}) => ({
  sourceLang: 'en',
  text: { title: 'Remote code execution in Acme Gateway', summary: 'An unauthenticated attacker can run code on Acme Gateway.', body: '## Details\n\nA crafted **request** to `/api` overflows a buffer.\n\n<script>alert(1)</script>', remediation: 'Update to 2.4.1 or later.' },
  vulnerabilities: [
    { cve: 'CVE-2025-10001', title: 'Buffer overflow in the API handler', cwe: 'CWE-787', cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', cvssV4Score: 9.3 },
    { cve: 'CVE-2025-10002', title: 'Reflected XSS in the login page', cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' },
  ],
  affected: [{ vendor: 'Acme', product: 'Gateway', versions: ['2.3.0', '2.4.0', '< 2.3'], fixedIn: ['2.4.1'] }],
  references: [{ url: 'https://acme.example/security/ASA-2025-01', summary: 'Vendor advisory' }],
  audience: 'Operators of Acme Gateway',
  marking: { tlp: 'clear', scope: 'public' },
  ...over,
});

async function publishNew(over: Record<string, unknown> = {}) {
  const r = await author('/api/advisories', { body: draft(over) });
  assert.equal(r.status, 201, await r.clone().text());
  const { id, trackingId } = await json(r);
  assert.equal((await author(`/api/advisories/${id}/submit`, { method: 'POST' })).status, 200);
  const pub = await author(`/api/advisories/${id}/publish`, { body: { summary: 'Initial release' } });
  assert.equal(pub.status, 200, await pub.clone().text());
  return { id: id as string, trackingId: trackingId as string, pub: await json(pub) };
}

const NO_CSAF_TESTDATA = 'skipped: no testdata (../shared/testdata/csaf/schemas is absent)';

/** The OASIS CSAF schemas, or null when the third-party test data is absent. */
function csafValidator() {
  const dir = testdataPath('csaf', 'schemas');
  if (!dir) return null;
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const ajv = new Ajv2020();
  addFormats.default(ajv);
  for (const v of ['2.0', '3.0', '3.1']) {
    const { $schema: _a, id: _b, $id: _c, license: _d, ...cvss } = read(`cvss-v${v}_strict.json`);
    ajv.addSchema(cvss, `https://www.first.org/cvss/cvss-v${v}.json`);
  }
  for (const n of ['csaf', 'provider', 'aggregator']) ajv.addSchema(read(`${n}_json_schema.json`));
  return {
    csaf: ajv.getSchema('https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json')!,
    provider: ajv.getSchema('https://docs.oasis-open.org/csaf/csaf/v2.0/provider_json_schema.json')!,
  };
}

test('workflow: draft → review → published, revisions, scores computed, every step audited', async () => {
  const r = await author('/api/advisories', { body: draft() });
  assert.equal(r.status, 201);
  const { id } = await json(r);
  let a = await json(await author(`/api/advisories/${id}`));
  assert.equal(a.status, 'draft');
  assert.equal(a.live.severity, 'critical');
  assert.deepEqual(a.live.vulnerabilities.map((v: { cvssV3: { baseScore: number } }) => v.cvssV3.baseScore), [9.8, 6.1]);
  assert.equal(a.live.vulnerabilities[0].cvssV4.baseScore, 9.3);

  assert.equal((await author(`/api/advisories/${id}/publish`, { body: { summary: 'too early' } })).status, 409, 'a draft is not published');
  assert.equal((await author(`/api/advisories/${id}/submit`, { method: 'POST' })).status, 200);
  assert.equal((await author(`/api/advisories/${id}/texts/en`, { method: 'PUT', body: draft().text })).status, 409, 'no edits in review');
  const ret = await coord(`/api/advisories/${id}/return`, { body: { reason: 'Add the vendor link' } });
  assert.equal(ret.status, 200);
  assert.equal((await author(`/api/advisories/${id}/submit`, { method: 'POST' })).status, 200);
  assert.equal((await colleague(`/api/advisories/${id}/publish`, { body: { summary: 'x y z' } })).status, 403, 'a plain member does not publish');
  const pub = await author(`/api/advisories/${id}/publish`, { body: { summary: 'Initial release' } });
  assert.equal(pub.status, 200);
  assert.equal((await json(pub)).revision, 1);

  // Editing the published advisory opens revision 2; readers keep seeing revision 1.
  assert.equal((await author(`/api/advisories/${id}`, { method: 'PATCH', body: { references: [{ url: 'https://acme.example/ASA-2025-01', summary: 'Vendor advisory (moved)' }] } })).status, 200);
  a = await json(await author(`/api/advisories/${id}`));
  assert.equal(a.status, 'draft');
  assert.equal(a.published.revision, 1);
  await author(`/api/advisories/${id}/submit`, { method: 'POST' });
  const pub2 = await coord(`/api/advisories/${id}/publish`, { body: { summary: 'Vendor link updated' } });
  assert.equal((await json(pub2)).revision, 2);
  a = await json(await author(`/api/advisories/${id}`));
  assert.deepEqual(a.revisions.map((x: { number: number; summary: string }) => [x.number, x.summary]), [[1, 'Initial release'], [2, 'Vendor link updated']]);
  assert.equal(a.published.revisionHistory.length, 2);
  assert.equal(a.published.initialReleaseDate, a.revisions[0].date);

  const actions = (await p.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, id))).map((x) => x.action);
  assert.deepEqual(actions, ['advisory.create', 'advisory.submit', 'advisory.return', 'advisory.submit', 'advisory.publish', 'advisory.update', 'advisory.submit', 'advisory.publish']);
});

test('bad input is a typed 400 and changes nothing', async () => {
  const before = (await p.database.db.select().from(auditLog)).length;
  const bad = async (over: Record<string, unknown>, pathRe: RegExp) => {
    const r = await author('/api/advisories', { body: draft(over) });
    assert.equal(r.status, 400);
    const body = await json(r);
    assert.equal(body.code, 'validation_failed');
    assert.match(JSON.stringify(body), pathRe);
  };
  await bad({ vulnerabilities: [{ title: 'x', cvssV3: 'CVSS:3.1/AV:N/AC:L' }] }, /vulnerabilities\.0\.cvssV3/);
  await bad({ vulnerabilities: [{ title: 'x', cvssV4: 'CVSS:4.0/AV:N' }] }, /cvssV4/);
  await bad({ vulnerabilities: [{ title: 'x', cve: 'CVE-25-1' }] }, /cve/);
  await bad({ marking: { tlp: 'green', scope: 'public' } }, /scope/);
  await bad({ affected: [] }, /affected/);
  assert.equal((await p.database.db.select().from(auditLog)).length, before);
});

test('translations: tracked per language, outdated when the source changes, only current ones published', async () => {
  const { id } = await json(await author('/api/advisories', { body: draft() }));
  const t = (lang: string, title: string) => ({ title, summary: `${title} — resumen`, body: `Cuerpo ${lang}`, remediation: 'Actualizar.' });
  assert.equal((await colleague(`/api/advisories/${id}/texts/es`, { method: 'PUT', body: t('es', 'Ejecución remota de código en Acme Gateway') })).status, 200);
  assert.equal((await colleague(`/api/advisories/${id}/texts/fr`, { method: 'PUT', body: t('fr', 'Exécution de code à distance dans Acme Gateway') })).status, 200);
  let a = await json(await author(`/api/advisories/${id}`));
  assert.deepEqual(a.live.translations, { en: 'source', es: 'current', pt: 'missing', fr: 'current' });
  const changed = { ...draft().text, summary: 'An unauthenticated remote attacker can run arbitrary code.' };
  const saved = await json(await author(`/api/advisories/${id}/texts/en`, { method: 'PUT', body: changed }));
  assert.equal(saved.contentRevision, 2);
  a = await json(await author(`/api/advisories/${id}`));
  assert.deepEqual(a.live.translations, { en: 'source', es: 'outdated', pt: 'missing', fr: 'outdated' });
  await colleague(`/api/advisories/${id}/texts/es`, { method: 'PUT', body: t('es', 'Ejecución remota de código en Acme Gateway (rev.)') });
  a = await json(await author(`/api/advisories/${id}`));
  assert.equal(a.live.translations.es, 'current');
  await author(`/api/advisories/${id}/submit`, { method: 'POST' });
  await author(`/api/advisories/${id}/publish`, { body: { summary: 'Initial release' } });
  a = await json(await author(`/api/advisories/${id}`));
  assert.deepEqual(Object.keys(a.published.texts).sort(), ['en', 'es'], 'the outdated French text is not published');
  const es = await json(await anon()(`/api/public/advisories/${a.trackingId}?lang=es`));
  assert.equal(es.lang, 'es');
  assert.equal(es.fallback, false);
  assert.match(es.title, /Ejecución/);
  const fr = await json(await anon()(`/api/public/advisories/${a.trackingId}?lang=fr`));
  assert.equal(fr.lang, 'en');
  assert.equal(fr.fallback, true);
  assert.ok(!fr.bodyHtml.includes('<script>'), 'raw HTML in Markdown is escaped');
});

test('CSAF: every published advisory exports a document valid against the CSAF 2.0 schema', async (t) => {
  const v = csafValidator();
  if (!v) return t.skip(NO_CSAF_TESTDATA);
  for (const ex of ['bsi-2022-0001.json', 'rhsa-2021_5186.json']) {
    assert.equal(v.csaf(JSON.parse(fs.readFileSync(testdataPath('csaf', 'examples', 'csaf', ex)!, 'utf8'))), true, `the validator accepts ${ex}`);
  }
  assert.equal(v.csaf({ document: { category: 'csaf_security_advisory' } }), false, 'the validator rejects a broken document');
  const clear = await publishNew();
  const green = await publishNew({ marking: { tlp: 'green', scope: 'network' }, trackingId: 'HEMI-GREEN:2025 #07' });
  for (const { id } of [clear, green]) {
    const r = await author(`/api/advisories/${id}/csaf`);
    assert.equal(r.status, 200);
    const doc = await json(r);
    assert.equal(v.csaf(doc), true, JSON.stringify(v.csaf.errors));
    assert.equal(doc.document.category, 'csaf_security_advisory');
    assert.equal(doc.document.tracking.revision_history.length, 1);
    assert.equal(doc.vulnerabilities[0].scores[0].cvss_v3.baseScore, 9.8);
    assert.ok(doc.product_tree.branches[0].branches[0].branches.some((b: { category: string }) => b.category === 'product_version_range'));
  }
  const g = await json(await author(`/api/advisories/${green.id}/csaf`));
  assert.equal(g.document.distribution.tlp.label, 'GREEN');
  assert.equal(green.pub.csaf, `green/${new Date().getUTCFullYear()}/hemi-green_2025_07.json`);
  assert.equal(csafFilename('OASIS: #/CSAF_TC-CSAF_2.0-2021-5-1-13'), 'oasis_csaf_tc-csaf_2_0-2021-5-1-13.json');
  for (const dir of ['valid', 'invalid']) {
    const d = testdataPath('csaf', 'filename-tests', dir);
    for (const f of d ? fs.readdirSync(d).filter((x) => x.endsWith('.json')) : []) {
      const doc = JSON.parse(fs.readFileSync(path.join(d!, f), 'utf8'));
      assert.equal(csafFilename(doc.document.tracking.id) === f, dir === 'valid', `${dir}/${f}`);
    }
  }
});

test('CSAF provider: metadata valid, index/changes/ROLIE complete, hashes and signatures verify with the served key', async (t) => {
  const v = csafValidator();
  if (!v) t.diagnostic(`${NO_CSAF_TESTDATA}: schema checks of the provider tree skipped, hashes and signatures still checked`);
  const a = await publishNew();
  const b = await publishNew({ marking: { tlp: 'amber', scope: 'network' } });
  const meta = await json(await anon()('/.well-known/csaf/provider-metadata.json'));
  if (v) assert.equal(v.provider(meta), true, JSON.stringify(v.provider.errors));
  assert.equal(meta.role, 'csaf_trusted_provider');
  const keyUrl = meta.public_openpgp_keys[0].url;
  const keyRes = await fetch(local(keyUrl));
  assert.equal(keyRes.status, 200);
  const armoredKey = await keyRes.text();
  assert.match(armoredKey, /BEGIN PGP PUBLIC KEY BLOCK/);
  const securityTxt = await (await anon()('/.well-known/security.txt')).text();
  assert.match(securityTxt, /^CSAF: .*\/\.well-known\/csaf\/provider-metadata\.json$/m);

  const feedUrl = meta.distributions[0].rolie.feeds[0].url;
  const dirUrl = meta.distributions[0].directory_url;
  const index = (await (await fetch(local(`${dirUrl}index.txt`))).text()).trim().split('\n');
  const changes = (await (await fetch(local(`${dirUrl}changes.csv`))).text()).trim().split('\n');
  const feed = await json(await fetch(local(feedUrl)));
  const year = new Date().getUTCFullYear();
  const aPath = `${year}/${csafFilename(a.trackingId)}`;
  assert.ok(index.includes(aPath));
  assert.ok(!index.includes(`${year}/${csafFilename(b.trackingId)}`), 'TLP:AMBER is never in the public tree');
  assert.equal(index.length, changes.length);
  assert.equal(feed.feed.entry.length, index.length);
  const dates = changes.map((l) => { const m = /^"([^"]+)","([^"]+)"$/.exec(l); assert.ok(m, l); return m[2]!; });
  assert.deepEqual([...dates].sort().reverse(), dates, 'changes.csv newest first');
  assert.equal((await fetch(local(`${dirUrl}${year}/${csafFilename(b.trackingId)}`))).status, 404);

  for (const rel of index) {
    const url = `${dirUrl}${rel}`;
    const body = Buffer.from(await (await fetch(local(url))).arrayBuffer());
    if (v) assert.equal(v.csaf(JSON.parse(body.toString('utf8'))), true);
    const sha256 = (await (await fetch(local(`${url}.sha256`))).text()).split(/\s+/)[0];
    const sha512 = (await (await fetch(local(`${url}.sha512`))).text()).split(/\s+/)[0];
    assert.equal(sha256, crypto.createHash('sha256').update(body).digest('hex'));
    assert.equal(sha512, crypto.createHash('sha512').update(body).digest('hex'));
    const sig = await (await fetch(local(`${url}.asc`))).text();
    assert.equal(await verifyDetached(armoredKey, body, sig), true, `signature of ${rel}`);
    assert.equal(await verifyDetached(armoredKey, Buffer.concat([body, Buffer.from(' ')]), sig), false, 'a changed byte fails');
    const entry = feed.feed.entry.find((e: { link: { rel: string; href: string }[] }) => e.link.some((l) => l.rel === 'self' && l.href === url));
    assert.ok(entry, `ROLIE entry for ${rel}`);
    assert.ok(entry.link.some((l: { rel: string }) => l.rel === 'hash') && entry.link.some((l: { rel: string }) => l.rel === 'signature'));
  }
  const listing = await (await fetch(local(dirUrl))).text();
  assert.match(listing, new RegExp(`href="${year}/"`));
});

test('Atom feed per language parses as XML with the required Atom elements', async () => {
  const { trackingId, id } = await publishNew();
  await author(`/api/advisories/${id}/texts/pt`, { method: 'PUT', body: { title: 'Execução remota de código no Acme Gateway', summary: 'Um atacante pode executar código & mais.', body: 'Texto', remediation: '' } });
  await author(`/api/advisories/${id}/submit`, { method: 'POST' });
  await author(`/api/advisories/${id}/publish`, { body: { summary: 'Portuguese translation' } });
  const hidden = await publishNew({ marking: { tlp: 'green', scope: 'network' } });
  const r = await anon()('/feeds/advisories.atom?lang=pt');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /application\/atom\+xml/);
  const text = await r.text();
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['entry', 'link', 'category'].includes(n) });
  const doc = parser.parse(text, true);
  const feed = doc.feed;
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  for (const k of ['id', 'title', 'updated', 'author']) assert.ok(feed[k], `feed/${k}`);
  assert.ok(feed.link.some((l: Record<string, string>) => l['@rel'] === 'self'));
  for (const e of feed.entry) for (const k of ['id', 'title', 'updated', 'summary']) assert.ok(e[k] !== undefined, `entry/${k}`);
  const mine = feed.entry.find((e: { title: string }) => String(e.title).startsWith(trackingId));
  assert.match(mine.title, /Execução remota/);
  assert.equal(mine['@xml:lang'], 'pt');
  assert.ok(!feed.entry.some((e: { title: string }) => String(e.title).startsWith(hidden.trackingId)), 'TLP:GREEN is not in the public feed');
  assert.equal((await anon()('/feeds/advisories.atom?lang=xx')).status, 400);
});

test('leak matrix: who reads which advisory, in every read path', async () => {
  const clear = await publishNew();
  const green = await publishNew({ marking: { tlp: 'green', scope: 'network' } });
  const amberOrg = await publishNew({ marking: { tlp: 'amber', scope: 'org' } });
  const { id: draftId } = await json(await author('/api/advisories', { body: draft() }));
  const readers: [string, Client][] = [['author', author], ['colleague', colleague], ['coordinator', coord], ['outsider CSIRT', outsider], ['stakeholder', stakeholder], ['anonymous', anon()]];
  const expect: Record<string, Record<string, boolean>> = {
    clear: { author: true, colleague: true, coordinator: true, 'outsider CSIRT': true, stakeholder: true, anonymous: true },
    green: { author: true, colleague: true, coordinator: false, 'outsider CSIRT': true, stakeholder: false, anonymous: false },
    amberOrg: { author: true, colleague: true, coordinator: false, 'outsider CSIRT': false, stakeholder: false, anonymous: false },
    draft: { author: true, colleague: true, coordinator: true, 'outsider CSIRT': false, stakeholder: false, anonymous: false },
  };
  const ids: Record<string, string> = { clear: clear.id, green: green.id, amberOrg: amberOrg.id, draft: draftId };
  for (const [what, id] of Object.entries(ids)) {
    for (const [who, c] of readers) {
      const want = expect[what]![who]!;
      const one = await c(`/api/advisories/${id}`);
      if (who === 'anonymous') assert.equal(one.status, 401);
      else assert.equal(one.status, want ? 200 : 404, `${who} GET ${what}`);
      if (who !== 'anonymous') {
        const list = await json(await c('/api/advisories?limit=200'));
        assert.equal(list.items.some((x: { id: string }) => x.id === id), want, `${who} list ${what}`);
        if (what !== 'draft') assert.equal((await c(`/api/advisories/${id}/csaf`)).status, want ? 200 : 404, `${who} csaf ${what}`);
      }
    }
    const pub = await json(await anon()('/api/public/advisories'));
    assert.equal(pub.items.some((x: { id: string }) => x.id === id), what === 'clear', `public list ${what}`);
  }
  const idx = await (await anon()('/.well-known/csaf/clear/index.txt')).text();
  assert.ok(idx.includes(csafFilename(clear.trackingId)) && !idx.includes(csafFilename(green.trackingId)) && !idx.includes(csafFilename(amberOrg.trackingId)));
  // Restricting a published CLEAR advisory takes it off every public path at once.
  await author(`/api/advisories/${clear.id}`, { method: 'PATCH', body: { marking: { tlp: 'green', scope: 'network' } } });
  assert.equal((await anon()(`/api/public/advisories/${clear.trackingId}`)).status, 404);
  assert.ok(!(await (await anon()('/.well-known/csaf/clear/index.txt')).text()).includes(csafFilename(clear.trackingId)));
  assert.equal((await anon()(`/.well-known/csaf/clear/${new Date().getUTCFullYear()}/${csafFilename(clear.trackingId)}`)).status, 404);
});

test('widening a published AMBER advisory in draft never serves the AMBER revision publicly', async () => {
  const a = await publishNew({ marking: { tlp: 'amber', scope: 'network' } });
  // The draft of the next revision is marked CLEAR/public, but nothing new is published yet.
  const patch = await author(`/api/advisories/${a.id}`, { method: 'PATCH', body: { marking: { tlp: 'clear', scope: 'public' } } });
  assert.equal(patch.status, 200, await patch.clone().text());
  assert.equal((await anon()(`/api/public/advisories/${a.trackingId}`)).status, 404, 'public advisory');
  assert.equal((await anon()(`/api/public/advisories/${a.trackingId}/csaf`)).status, 404, 'public CSAF');
  const pub = await json(await anon()('/api/public/advisories'));
  assert.ok(!pub.items.some((x: { id: string }) => x.id === a.id), 'public list');
  const atom = await (await anon()('/feeds/advisories.atom?lang=en')).text();
  assert.ok(!atom.includes(a.trackingId), 'Atom feed');
});
