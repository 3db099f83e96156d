/** HTTP: the CSAF trusted-provider tree and security.txt (public; no redirects, direct answers). */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { Module } from '../http/app.ts';
import { platformPublicKey } from '../crypto/platform-key.ts';
import {
  changesCsv, CSAF_BASE, directoryListing, FEED_FILE, indexTxt, listPublicCsaf, providerMetadata, PUBLIC_FOLDER, publicCsafFile, rolieFeed,
} from './provider.query.ts';

const FILE_RE = /^([+\-a-z0-9_]+\.json)(\.sha256|\.sha512|\.asc)?$/;
const pub = { config: { access: { permission: 'public' as const } } };
const cache = (reply: FastifyReply) => reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');

export const csafProviderRoutes: Module = (app, deps) => {
  const db = deps.database.db;
  const base = deps.config.publicUrl;
  const publisher = deps.config.publisher;
  const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');

  app.get(`${CSAF_BASE}/provider-metadata.json`, { ...pub, schema: { tags: ['csaf'], summary: 'CSAF provider metadata (role csaf_trusted_provider)' } }, async (_req, reply) => {
    const [docs, key] = await Promise.all([listPublicCsaf(db), platformPublicKey(db, deps.config)]);
    return cache(reply).type('application/json').send(JSON.stringify(providerMetadata(docs, base, publisher, key), null, 2));
  });

  app.get('/.well-known/security.txt', { ...pub, schema: { tags: ['csaf'], summary: 'security.txt (RFC 9116) with the CSAF provider-metadata URL' } }, async (_req, reply) => {
    const expires = new Date(Date.now() + 180 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const contact = publisher.contact.includes('@') && !publisher.contact.includes(':') ? `mailto:${publisher.contact}` : publisher.contact;
    return reply.type('text/plain; charset=utf-8').send(
      `Contact: ${contact}\nExpires: ${expires}\nEncryption: ${base}${CSAF_BASE}/openpgp/${(await platformPublicKey(db, deps.config)).fingerprint}.asc\n` +
      `Preferred-Languages: en, es, pt, fr\nCanonical: ${base}/.well-known/security.txt\nCSAF: ${base}${CSAF_BASE}/provider-metadata.json\n`);
  });

  app.get(`${CSAF_BASE}/`, { ...pub, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(directoryListing(CSAF_BASE, ['provider-metadata.json', `${PUBLIC_FOLDER}/`, 'openpgp/'])));

  app.get(`${CSAF_BASE}/openpgp/`, { ...pub, schema: { hide: true } }, async (_req, reply) => {
    const key = await platformPublicKey(db, deps.config);
    return reply.type('text/html; charset=utf-8').send(directoryListing(`${CSAF_BASE}/openpgp`, [`${key.fingerprint}.asc`]));
  });

  app.get(`${CSAF_BASE}/openpgp/:file`, { ...pub, schema: { tags: ['csaf'], summary: "The platform's public OpenPGP key", params: z.object({ file: z.string().max(100) }) } }, async (req, reply) => {
    const key = await platformPublicKey(db, deps.config);
    if (req.params.file !== `${key.fingerprint}.asc`) return notFound(reply);
    return cache(reply).type('application/pgp-keys').send(key.armored);
  });

  app.get(`${CSAF_BASE}/${PUBLIC_FOLDER}/`, { ...pub, schema: { hide: true } }, async (_req, reply) => {
    const years = [...new Set((await listPublicCsaf(db)).map((d) => d.year))].sort((a, b) => b - a);
    return reply.type('text/html; charset=utf-8').send(directoryListing(`${CSAF_BASE}/${PUBLIC_FOLDER}`, ['index.txt', 'changes.csv', FEED_FILE, ...years.map((y) => `${y}/`)]));
  });

  app.get(`${CSAF_BASE}/${PUBLIC_FOLDER}/index.txt`, { ...pub, schema: { tags: ['csaf'], summary: 'Every TLP:CLEAR document path, one per line' } }, async (_req, reply) =>
    cache(reply).type('text/plain; charset=utf-8').send(indexTxt(await listPublicCsaf(db))));

  app.get(`${CSAF_BASE}/${PUBLIC_FOLDER}/changes.csv`, { ...pub, schema: { tags: ['csaf'], summary: 'path,current_release_date — newest first' } }, async (_req, reply) =>
    cache(reply).type('text/csv; charset=utf-8').send(changesCsv(await listPublicCsaf(db))));

  app.get(`${CSAF_BASE}/${PUBLIC_FOLDER}/${FEED_FILE}`, { ...pub, schema: { tags: ['csaf'], summary: 'ROLIE feed (RFC 8322) of the TLP:CLEAR documents' } }, async (_req, reply) =>
    cache(reply).type('application/json').send(JSON.stringify(rolieFeed(await listPublicCsaf(db), base, publisher), null, 2)));

  const Year = z.coerce.number().int().min(1990).max(2999);
  app.get(`${CSAF_BASE}/${PUBLIC_FOLDER}/:year/`, { ...pub, schema: { hide: true, params: z.object({ year: Year }) } }, async (req, reply) => {
    const docs = (await listPublicCsaf(db)).filter((d) => d.year === req.params.year);
    if (docs.length === 0) return notFound(reply);
    const files = docs.flatMap((d) => [d.filename, `${d.filename}.asc`, `${d.filename}.sha256`, `${d.filename}.sha512`]).sort();
    return reply.type('text/html; charset=utf-8').send(directoryListing(`${CSAF_BASE}/${PUBLIC_FOLDER}/${req.params.year}`, files));
  });

  app.get(`${CSAF_BASE}/${PUBLIC_FOLDER}/:year/:file`, {
    ...pub, schema: { tags: ['csaf'], summary: 'A CSAF document, its .sha256/.sha512 hash or .asc signature', params: z.object({ year: Year, file: z.string().max(300) }) },
  }, async (req, reply) => {
    const m = FILE_RE.exec(req.params.file);
    if (!m) return notFound(reply);
    const doc = await publicCsafFile(db, req.params.year, m[1]!);
    if (!doc) return notFound(reply);
    cache(reply);
    switch (m[2]) {
      case '.sha256': return reply.type('text/plain; charset=utf-8').send(`${doc.sha256}  ${m[1]}\n`);
      case '.sha512': return reply.type('text/plain; charset=utf-8').send(`${doc.sha512}  ${m[1]}\n`);
      case '.asc': return reply.type('application/pgp-signature').send(doc.signature);
      default: return reply.type('application/json').send(doc.json);
    }
  });
};
