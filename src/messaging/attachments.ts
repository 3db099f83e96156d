/**
 * Message attachments in the platform blob store. The content type is sniffed from the bytes (the
 * client's claim is ignored); files are served as attachments with nosniff. Until its message is
 * posted only the uploader can read an attachment; after, exactly those who can read the message.
 */
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Actor } from '../core/actor.ts';
import { forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { BlobStore } from '../blobs/store.ts';
import type { DbOrTx } from '../db/client.ts';
import { messageReadable } from './access.ts';
import { channels, messageAttachments, messages } from './tables.ts';

const MAGIC: [string, number[]][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]],
  ['application/gzip', [0x1f, 0x8b]],
];

/** The content type from the bytes: known magic numbers, UTF-8 text, or octet-stream. */
export function sniffContentType(data: Buffer): string {
  for (const [type, sig] of MAGIC) if (sig.every((b, i) => data[i] === b)) return type;
  const head = data.subarray(0, 4096);
  if (head.includes(0)) return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length < data.length ? trimUtf8(head) : head);
    return 'text/plain; charset=utf-8';
  } catch {
    return 'application/octet-stream';
  }
}
const trimUtf8 = (b: Buffer) => {
  let end = b.length;
  while (end > 0 && (b[end - 1]! & 0xc0) === 0x80) end--;
  return end > 0 && b[end - 1]! >= 0xc0 ? b.subarray(0, end - 1) : b.subarray(0, end);
};

const cleanName = (name: string) => name.replace(/[\\/\x00-\x1f"]/g, '_').slice(0, 200) || 'file';

export async function uploadAttachment(db: DbOrTx, store: BlobStore, actor: Actor, input: { filename: string; data: Buffer; maxBytes: number }) {
  if (actor.kind !== 'user') throw forbidden();
  if (input.data.length === 0) throw invalid('The file is empty', [{ path: 'body', message: 'empty' }]);
  const blob = await store.put(input.data, { maxBytes: input.maxBytes });
  const [row] = await db.insert(messageAttachments).values({
    id: newId(), uploadedBy: actor.userId, filename: cleanName(input.filename), contentType: sniffContentType(input.data),
    size: blob.size, sha256: blob.sha256,
  }).returning();
  return { id: row!.id, filename: row!.filename, contentType: row!.contentType, size: row!.size };
}

/** The attachment and its bytes, if the actor may read it; not_found otherwise. */
export async function readAttachment(db: DbOrTx, store: BlobStore, actor: Actor, id: string) {
  if (actor.kind !== 'user') throw notFound('Attachment');
  const [row] = await db.select({ a: messageAttachments }).from(messageAttachments)
    .leftJoin(messages, eq(messages.id, messageAttachments.messageId))
    .leftJoin(channels, eq(channels.id, messages.channelId))
    .where(and(eq(messageAttachments.id, id), or(
      and(isNull(messageAttachments.messageId), eq(messageAttachments.uploadedBy, actor.userId)),
      sql`(${messages.id} IS NOT NULL AND ${messages.deletedAt} IS NULL AND ${messageReadable(actor)})`,
    )));
  if (!row) throw notFound('Attachment');
  const data = await store.get(row.a.sha256);
  if (!data) throw notFound('Attachment');
  return { ...row.a, data };
}
