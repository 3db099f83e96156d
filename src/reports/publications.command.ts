/**
 * The publications library: upload a report or document (file into the blob store, metadata here),
 * or post an announcement (text only); change metadata; withdraw. Public publications are
 * TLP:CLEAR with public scope; members-only ones TLP:GREEN to the trusted network — the marking
 * columns carry it so that every read goes through `visibleTo`. Every change is audited.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { orgIdsOf, userIdOf } from '../core/actor.ts';
import { appendAudit, type AuditMeta } from '../core/audit.ts';
import { inTx } from '../core/context.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isCoordinator } from '../core/policy.ts';
import type { BlobStore } from '../blobs/store.ts';
import type { DbOrTx } from '../db/client.ts';
import { LOCALES } from '../i18n/locales.ts';
import { publications } from './tables.ts';

export const PUBLICATION_KINDS = ['report', 'document', 'announcement'] as const;
export const AUDIENCES = ['public', 'members'] as const;
export const FILE_MAX_BYTES = 25 * 1024 * 1024;
export const FILE_TYPES = [
  'application/pdf', 'application/vnd.oasis.opendocument.text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'text/plain', 'text/markdown', 'text/csv', 'application/json',
  'image/png', 'image/jpeg',
] as const;

export const FileInput = z.object({
  filename: z.string().trim().min(1).max(200),
  contentType: z.string().trim().max(200),
  dataBase64: z.string().min(1).max(Math.ceil(FILE_MAX_BYTES * 1.4)).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'must be base64'),
});

const meta = {
  lang: z.enum(LOCALES),
  title: z.string().trim().min(3).max(300),
  summary: z.string().trim().min(1).max(5000),
  body: z.string().max(100_000).default(''),
  audience: z.enum(AUDIENCES),
  publishedAt: z.coerce.date().optional(),
};
export const CreatePublicationInput = z.object({
  kind: z.enum(PUBLICATION_KINDS),
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{2,80}$/, 'lowercase letters, digits and dashes').optional(),
  ...meta,
  file: FileInput.optional(),
}).strict();
export type CreatePublicationInput = z.infer<typeof CreatePublicationInput>;
export const UpdatePublicationInput = z.object({
  title: meta.title.optional(), summary: meta.summary.optional(), body: z.string().max(100_000).optional(), audience: meta.audience.optional(),
}).strict();

const markingFor = (audience: (typeof AUDIENCES)[number]) =>
  audience === 'public' ? { tlp: 'clear', scope: 'public' } : { tlp: 'green', scope: 'network' };

const slugify = (title: string) =>
  title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'publication';

async function storeFile(blobs: BlobStore, f: z.infer<typeof FileInput>) {
  const contentType = f.contentType.toLowerCase().split(';')[0]!.trim();
  if (!(FILE_TYPES as readonly string[]).includes(contentType)) {
    throw new DomainError('unsupported_media_type', 'This file type is not accepted', { accepted: FILE_TYPES });
  }
  const data = Buffer.from(f.dataBase64, 'base64');
  if (data.length === 0) throw invalid('The file is empty', [{ path: 'file.dataBase64', message: 'empty file' }]);
  if (contentType === 'application/pdf' && data.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw invalid('The file is not a PDF', [{ path: 'file.dataBase64', message: 'not a PDF' }]);
  }
  const stored = await blobs.put(data, { maxBytes: FILE_MAX_BYTES });
  return { fileSha256: stored.sha256, fileSize: stored.size, fileName: f.filename, fileContentType: contentType };
}

export async function createPublication(db: DbOrTx, blobs: BlobStore, m: AuditMeta, input: CreatePublicationInput) {
  if (input.kind !== 'announcement' && !input.file) throw invalid('A report or document needs its file', [{ path: 'file', message: 'required' }]);
  const file = input.file ? await storeFile(blobs, input.file) : {};
  return inTx(db, async (tx) => {
    const slug = input.slug ?? `${slugify(input.title)}-${newId().slice(0, 6)}`;
    const [dup] = await tx.select({ id: publications.id }).from(publications).where(eq(publications.slug, slug));
    if (dup && input.slug) {
      const same = await tx.select({ lang: publications.lang }).from(publications).where(eq(publications.slug, slug));
      if (same.some((s) => s.lang === input.lang)) throw conflict('This publication already exists in that language');
    }
    const row = {
      id: newId(), kind: input.kind, slug, lang: input.lang, title: input.title, summary: input.summary, body: input.body,
      ...file, ...markingFor(input.audience), ownerOrgId: orgIdsOf(m.actor)[0] ?? null, createdBy: userIdOf(m.actor),
      publishedAt: input.publishedAt ?? new Date(),
    };
    await tx.insert(publications).values(row);
    await appendAudit(tx, m, { action: 'publication.create', targetType: 'publication', targetId: row.id, orgId: row.ownerOrgId, after: row });
    return { id: row.id, slug };
  });
}

async function loadOwn(db: DbOrTx, m: AuditMeta, id: string) {
  const [p] = await db.select().from(publications).where(eq(publications.id, id)).for('update');
  if (!p) throw notFound('Publication');
  const mine = p.createdBy === userIdOf(m.actor) || (p.ownerOrgId !== null && orgIdsOf(m.actor).includes(p.ownerOrgId));
  if (!isCoordinator(m.actor) && !mine) throw forbidden('Only coordinators and the publishing organisation change a publication');
  return p;
}

export async function updatePublication(db: DbOrTx, m: AuditMeta, id: string, input: z.infer<typeof UpdatePublicationInput>) {
  return inTx(db, async (tx) => {
    const p = await loadOwn(tx, m, id);
    const patch = {
      title: input.title ?? p.title, summary: input.summary ?? p.summary, body: input.body ?? p.body,
      ...(input.audience ? markingFor(input.audience) : {}), updatedAt: new Date(),
    };
    await tx.update(publications).set(patch).where(eq(publications.id, id));
    const { search: _s, ...before } = p;
    await appendAudit(tx, m, { action: 'publication.update', targetType: 'publication', targetId: id, orgId: p.ownerOrgId, before, after: patch });
    return { id };
  });
}

export async function deletePublication(db: DbOrTx, m: AuditMeta, id: string) {
  return inTx(db, async (tx) => {
    const p = await loadOwn(tx, m, id);
    await tx.delete(publications).where(eq(publications.id, id));
    const { search: _s, ...before } = p;
    await appendAudit(tx, m, { action: 'publication.delete', targetType: 'publication', targetId: id, orgId: p.ownerOrgId, before });
    return { deleted: true };
  });
}
