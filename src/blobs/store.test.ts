import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { tempDir } from '../../test/harness.ts';
import { DomainError } from '../core/errors.ts';
import { LocalBlobStore } from './store.ts';

const dir = tempDir('blobs');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('blobs are content-addressed, idempotent and size-limited', async () => {
  const store = new LocalBlobStore(dir);
  const data = Buffer.from(`%PDF-1.4 mandate ${crypto.randomUUID()}`);
  const a = await store.put(data);
  const b = await store.put(data);
  assert.equal(a.sha256, crypto.createHash('sha256').update(data).digest('hex'));
  assert.deepEqual(a, b);
  assert.deepEqual(await store.get(a.sha256), data);
  assert.equal(await store.has(a.sha256), true);
  assert.equal(await store.get('0'.repeat(64)), null);
  await assert.rejects(store.put(Buffer.alloc(11), { maxBytes: 10 }), (e: unknown) => e instanceof DomainError && e.code === 'payload_too_large');
  await assert.rejects(store.get('../../etc/passwd'), (e: unknown) => e instanceof DomainError && e.code === 'validation_failed');
});
