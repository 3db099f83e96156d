/** The streaming bundle reader: original text of each element at any chunk size, multi-byte UTF-8 split across chunks, typed refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBundle } from './bundle-stream.ts';

const collect = async (text: string, size: number) => {
  const buf = Buffer.from(text, 'utf8');
  async function* src() { for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size); }
  const out = [];
  for await (const it of readBundle(src())) out.push(it);
  return out;
};

test('every element of objects comes out as its original text, whatever the chunk boundaries', async () => {
  const a = '{"a":"}\\"]","b":[1,{"c":2}],  "n": 1.50}';
  const b = '{"é":"\\u00e9 ü 😀"}';
  const text = `{ "type" : "bundle", "id":"bundle--x", "objects": [ ${a} ,\n${b}], "x_n": 12 , "x_z": null}`;
  for (const size of [1, 2, 3, 5, 7, 64, 100000]) {
    const out = await collect(text, size);
    assert.deepEqual(out, [
      { kind: 'object', index: 0, raw: a },
      { kind: 'object', index: 1, raw: b },
      { kind: 'header', header: { type: 'bundle', id: 'bundle--x', x_n: 12, x_z: null } },
    ], `chunk size ${size}`);
  }
});

test('malformed bundles are refused with a validation error', async () => {
  for (const bad of ['{"type":"bundle","objects":[1]}', '{"type":"bundle","objects":[{}', '[]', '{"type":"x","objects":[]}',
    '{"type":"bundle","objects":[{},]}', '{"type":"bundle","objects":[{}] } trailing', '{"objects":[]}', '{"type":"bundle","objects":{}}']) {
    await assert.rejects(collect(bad, 3), (e: Error & { code?: string }) => e.code === 'validation_failed', bad);
  }
  const invalidUtf8 = Buffer.concat([Buffer.from('{"type":"bundle","objects":[{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
  await assert.rejects(async () => { for await (const _ of readBundle((async function* () { yield invalidUtf8; })())) void _; },
    (e: Error & { code?: string }) => e.code === 'validation_failed');
});
