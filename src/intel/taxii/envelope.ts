/**
 * A POSTed TAXII envelope (`{"objects": [...]}`, no `type`) streamed into the store's bundle
 * reader, which expects a bundle: `"type":"bundle"` is spliced in after the opening brace, and
 * nothing else is touched, so every object keeps its original bytes. Bytes are counted on the way:
 * over max_content_length is a 413 even without a Content-Length header.
 */
import { DomainError } from '../../core/errors.ts';

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

export async function* envelopeAsBundle(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let done = false;
  for await (const chunk of source) {
    if (done) { yield chunk; continue; }
    head = Buffer.concat([head, chunk]);
    let i = 0;
    while (i < head.length && isSpace(head[i]!)) i++;
    if (i === head.length) continue;
    if (head[i] !== 0x7b) { done = true; yield head; continue; } // not an object: the reader reports it
    let j = i + 1;
    while (j < head.length && isSpace(head[j]!)) j++;
    if (j === head.length) continue; // need the next significant byte
    const empty = head[j] === 0x7d;
    done = true;
    yield Buffer.from(empty ? '{"type":"bundle"' : '{"type":"bundle",');
    yield head.subarray(i + 1);
  }
  if (!done && head.length) yield head;
}

export async function* limitBytes(source: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of source) {
    n += chunk.length;
    if (n > max) throw new DomainError('payload_too_large', `The body exceeds max_content_length (${max} bytes)`);
    yield chunk;
  }
}
