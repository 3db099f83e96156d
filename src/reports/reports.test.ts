/** The publications library over HTTP: upload to the blob store, language-aware full-text search, public vs members, audit. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { json, startTestPlatform, type TestPlatform } from '../../test/harness.ts';
import { apiClient, createTestUser, sessionFor } from '../auth/test-helpers.ts';
import { auditLog } from '../core/tables.ts';

let p: TestPlatform;
type Client = ReturnType<typeof apiClient>;
let csirt: Client, other: Client, stakeholder: Client;
const anon = () => apiClient(p.url);
const pdf = Buffer.from('%PDF-1.4\n% annual report\n%%EOF\n');

before(async () => {
  p = await startTestPlatform({ REQUIRE_2FA_ROLES: '' });
  const db = p.database.db;
  csirt = apiClient(p.url, await sessionFor(db, (await createTestUser(db, { org: { networkMember: true } })).id));
  other = apiClient(p.url, await sessionFor(db, (await createTestUser(db, { org: { networkMember: true } })).id));
  stakeholder = apiClient(p.url, await sessionFor(db, (await createTestUser(db, { org: { networkMember: false } })).id));
});
after(() => p.close());

const upload = (c: Client, over: Record<string, unknown>) =>
  c('/api/publications', { body: { kind: 'report', lang: 'en', audience: 'public', file: { filename: 'report.pdf', contentType: 'application/pdf', dataBase64: pdf.toString('base64') }, ...over } });

test('upload, language-aware full-text search, download, public vs members', async () => {
  const tag = `t${Date.now().toString(36)}`;
  const en = await upload(csirt, { title: `Ransomware trends in ports ${tag}`, summary: 'Attacks against shipping companies increased sharply.' });
  assert.equal(en.status, 201, await en.clone().text());
  const { id: enId, slug } = await json(en);
  const es = await json(await upload(csirt, { slug, lang: 'es', title: `Tendencias de ransomware en puertos ${tag}`, summary: 'Los ataques contra las navieras aumentaron.' }));
  const members = await json(await upload(csirt, { lang: 'fr', audience: 'members', title: `Vulnérabilités critiques des passerelles ${tag}`, summary: 'Les vulnérabilités exploitées par des groupes criminels.' }));
  const ann = await csirt('/api/publications', { body: { kind: 'announcement', lang: 'pt', audience: 'public', title: `Exercício regional de resposta ${tag}`, summary: 'Inscrições abertas para o exercício.', body: 'Detalhes **aqui**.' } });
  assert.equal(ann.status, 201);

  const search = async (c: Client, q: string, pub = false) =>
    (await json(await c(`${pub ? '/api/public' : '/api'}/publications?q=${encodeURIComponent(q)}`))).items.map((x: { id: string }) => x.id) as string[];
  // Stemming per language: "attack" finds "Attacks", "navieras" the Spanish word, "vulnérabilité" the French plural.
  assert.ok((await search(csirt, 'attack shipping')).includes(enId));
  assert.ok((await search(csirt, 'naviera')).includes(es.id));
  assert.ok((await search(csirt, 'vulnérabilité exploitée')).includes(members.id));
  assert.ok(!(await search(csirt, 'vulnérabilité exploitée')).includes(enId));
  assert.ok((await search(csirt, `"ransomware trends" ${tag}`)).includes(enId));
  assert.ok((await search(csirt, `${tag} -puertos`)).every((id) => id !== es.id), 'websearch negation');

  // members-only: network members yes, stakeholders and the public no (list, search, one, file)
  assert.ok((await search(other, tag)).includes(members.id));
  assert.ok(!(await search(stakeholder, tag)).includes(members.id));
  assert.ok(!(await search(anon(), tag, true)).includes(members.id));
  assert.ok((await search(anon(), tag, true)).includes(enId));
  assert.equal((await stakeholder(`/api/publications/${members.id}`)).status, 404);
  assert.equal((await anon()(`/api/public/publications/${members.id}`)).status, 404);
  assert.equal((await anon()(`/api/public/publications/${members.id}/file`)).status, 404);
  assert.equal((await other(`/api/publications/${members.id}/file`)).status, 200);

  const file = await anon()(`/api/public/publications/${enId}/file`);
  assert.equal(file.status, 200);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), pdf);
  const one = await json(await anon()(`/api/public/publications/${enId}`));
  assert.deepEqual(one.translations.map((t: { lang: string }) => t.lang), ['es']);

  const audits = await p.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, enId));
  assert.deepEqual(audits.map((a) => a.action), ['publication.create']);
  assert.equal((await other(`/api/publications/${enId}`, { method: 'PATCH', body: { title: 'Hijacked title' } })).status, 403);
  assert.equal((await csirt(`/api/publications/${enId}`, { method: 'PATCH', body: { audience: 'members' } })).status, 200);
  assert.equal((await anon()(`/api/public/publications/${enId}`)).status, 404, 'moved to members: gone from the public site');
});

test('bad uploads are typed 4xx and store nothing', async () => {
  const before = (await p.database.db.select().from(auditLog)).length;
  assert.equal((await upload(csirt, { title: 'Fake PDF', summary: 's', file: { filename: 'x.pdf', contentType: 'application/pdf', dataBase64: Buffer.from('hello').toString('base64') } })).status, 400);
  assert.equal((await upload(csirt, { title: 'Executable', summary: 's', file: { filename: 'x.exe', contentType: 'application/x-msdownload', dataBase64: 'TVo=' } })).status, 415);
  assert.equal((await upload(csirt, { title: 'No file', summary: 's', file: undefined })).status, 400);
  assert.equal((await upload(stakeholder, { title: 'Not a member', summary: 's' })).status, 403);
  assert.equal((await upload(csirt, { title: 'Bad lang', summary: 's', lang: 'de' })).status, 400);
  assert.equal((await p.database.db.select().from(auditLog)).length, before);
});
