/**
 * Streaming reader of a STIX bundle: yields each element of the top-level `objects` array as its
 * ORIGINAL JSON text (so the store can keep it byte for byte), without ever holding the whole
 * bundle. Only the current element is buffered (bounded by `maxObjectChars`).
 *
 * Why hand-written: streaming parsers on npm (e.g. stream-json) hand out parsed tokens/values, and
 * re-serialising them does not reproduce the input text (escapes, number spelling, spacing). This
 * scanner tracks only strings and nesting, which is all that is needed to cut elements out; each
 * element is then parsed with JSON.parse (a syntax error there is a per-object failure).
 */
import { invalid } from '../core/errors.ts';

export type BundleHeader = { type?: unknown; id?: unknown; spec_version?: unknown };
export type BundleItem = { kind: 'object'; index: number; raw: string } | { kind: 'header'; header: BundleHeader };

type Options = { maxObjectChars?: number };
const MAX_HEADER_VALUE = 64 * 1024;

/** Reads chunks (Buffers or strings) and yields the raw text of every `objects` element, then the header. */
export async function* readBundle(source: AsyncIterable<Buffer | string>, opts: Options = {}): AsyncGenerator<BundleItem> {
  const maxObject = opts.maxObjectChars ?? 16 * 1024 * 1024;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const header: Record<string, unknown> = {};
  // States of the top level: before '{', expecting a key, inside objects array, etc.
  let state: 'start' | 'key' | 'colon' | 'value' | 'afterValue' | 'objects' | 'end' = 'start';
  let key = '';
  let sawObjects = false;
  let index = 0;
  // Element capture (inside `objects`) or top-level value capture.
  let buf = '';
  let capturing: 'none' | 'element' | 'header' | 'key' = 'none';
  let depth = 0; // nesting inside the captured value
  let inString = false;
  let escape = false;
  let scalar = false; // capturing a bare scalar (number, true, false, null)
  let objectsState: 'first' | 'item' | 'comma' = 'first';

  const fail = (message: string) => invalid(`Not a STIX bundle: ${message}`, [{ path: 'bundle', message }]);

  const finishHeaderValue = () => {
    let v: unknown;
    try { v = JSON.parse(buf); } catch { throw fail(`bad JSON value of "${key}"`); }
    header[key] = v;
    buf = '';
    capturing = 'none';
    state = 'afterValue';
  };

  for await (const chunk of source) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw fail('not valid UTF-8');
    }
    let start = 0; // start of the pending slice of `text` that belongs to the capture
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (capturing !== 'none') {
        if (inString) {
          if (escape) escape = false;
          else if (c === 92) escape = true;
          else if (c === 34) {
            inString = false;
            if (capturing === 'key' ) {
              buf += text.slice(start, i + 1);
              try { key = JSON.parse(buf) as string; } catch { throw fail('bad key'); }
              buf = '';
              capturing = 'none';
              state = 'colon';
              continue;
            }
            if (depth === 0 && capturing === 'header') { buf += text.slice(start, i + 1); finishHeaderValue(); }
            else if (depth === 0 && capturing === 'element') throw fail(`element ${index} of "objects" is not an object`);
          }
          continue;
        }
        if (scalar) {
          if (c === 44 || c === 125 || c === 93 || c <= 32) {
            buf += text.slice(start, i);
            scalar = false;
            if (capturing === 'element') throw fail(`element ${index} of "objects" is not an object`);
            finishHeaderValue();
            i--; // re-read the delimiter at the top level
          }
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if (c === 125 || c === 93) {
          depth--;
          if (depth === 0) {
            buf += text.slice(start, i + 1);
            if (capturing === 'element') {
              yield { kind: 'object', index: index++, raw: buf };
              buf = '';
              capturing = 'none';
              objectsState = 'comma';
            } else finishHeaderValue();
          }
        }
        if (capturing !== 'none' && buf.length + (i - start) > (capturing === 'element' ? maxObject : MAX_HEADER_VALUE)) {
          throw fail(capturing === 'element' ? `object ${index} is larger than ${maxObject} characters` : `value of "${key}" too large`);
        }
        continue;
      }
      // Top level (outside any capture).
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      const ch = text[i]!;
      switch (state) {
        case 'start':
          if (ch !== '{') throw fail('expected a JSON object');
          state = 'key';
          break;
        case 'key':
          if (ch === '}') { state = 'end'; break; }
          if (ch !== '"') throw fail('expected a property name');
          capturing = 'key'; inString = true; buf = ''; start = i;
          break;
        case 'colon':
          if (ch !== ':') throw fail('expected ":"');
          if (key === 'objects') {
            state = 'objects';
            objectsState = 'first';
            if (sawObjects) throw fail('"objects" given twice');
            sawObjects = true;
            if (typeof header.type === 'string' && header.type !== 'bundle') throw fail('"type" must be "bundle"');
          } else state = 'value';
          break;
        case 'value':
          buf = ''; start = i; depth = 0;
          capturing = 'header';
          if (ch === '"') inString = true;
          else if (ch === '{' || ch === '[') depth = 1;
          else scalar = true;
          break;
        case 'afterValue':
          if (ch === ',') state = 'key';
          else if (ch === '}') state = 'end';
          else throw fail('expected "," or "}"');
          break;
        case 'objects':
          if (objectsState === 'first') {
            if (ch !== '[') throw fail('"objects" must be a list');
            objectsState = 'item';
            // An empty list closes right away.
            break;
          }
          if (ch === ']') {
            if (objectsState === 'item' && index > 0) throw fail('trailing comma in "objects"');
            state = 'afterValue';
            break;
          }
          if (objectsState === 'comma') {
            if (ch !== ',') throw fail('expected "," between objects');
            objectsState = 'item';
            break;
          }
          if (ch !== '{') throw fail(`element ${index} of "objects" is not an object`);
          capturing = 'element'; depth = 1; buf = ''; start = i;
          break;
        case 'end':
          throw fail('unexpected text after the bundle');
      }
    }
    if (capturing !== 'none') buf += text.slice(start);
    if (buf.length > maxObject) throw fail(`object ${index} is larger than ${maxObject} characters`);
  }
  if (state !== 'end') throw fail('the bundle ends early (truncated upload?)');
  if (header.type !== 'bundle') throw fail('"type" must be "bundle"');
  yield { kind: 'header', header };
}
