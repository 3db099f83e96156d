/**
 * A small blob store: content-addressed by sha256, with a size limit. The default keeps files in a
 * local directory (DATA_DIR/blobs/ab/cd/<sha256>); an S3-compatible store can implement the same
 * interface. Writes are atomic (temp file + rename) and idempotent (same content, same key).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../core/errors.ts';

export type StoredBlob = { sha256: string; size: number };

export interface BlobStore {
  put(data: Buffer, opts?: { maxBytes?: number }): Promise<StoredBlob>;
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
}

const SHA_RE = /^[0-9a-f]{64}$/;

export class LocalBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private file(sha: string): string {
    if (!SHA_RE.test(sha)) throw new DomainError('validation_failed', 'Not a blob key');
    return path.join(this.dir, sha.slice(0, 2), sha.slice(2, 4), sha);
  }

  async put(data: Buffer, opts: { maxBytes?: number } = {}): Promise<StoredBlob> {
    if (opts.maxBytes !== undefined && data.length > opts.maxBytes) {
      throw new DomainError('payload_too_large', `The file is larger than ${opts.maxBytes} bytes`, { maxBytes: opts.maxBytes });
    }
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    const file = this.file(sha256);
    if (!fs.existsSync(file)) {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      await fs.promises.writeFile(tmp, data);
      await fs.promises.rename(tmp, file);
    }
    return { sha256, size: data.length };
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(this.file(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return fs.existsSync(this.file(sha256));
  }
}

/** The platform's blob store: a directory under the data directory. */
export const blobStoreFor = (dataDir: string): BlobStore => new LocalBlobStore(path.join(dataDir, 'blobs'));
