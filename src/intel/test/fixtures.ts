/** Test-only helpers for the intel module: the third-party STIX test data and small bundles. */
import fs from 'node:fs';
import path from 'node:path';
import { testdataPath } from '../../../test/harness.ts';

export const STIX_EXAMPLES_DIR = testdataPath('stix-schemas', 'examples');
export const STIX_SCHEMAS_DIR = testdataPath('stix-schemas', 'schemas');
export const ICS_ATTACK = testdataPath('attack', 'ics-attack.json');
export const SKIP_NO_TESTDATA = STIX_EXAMPLES_DIR && STIX_SCHEMAS_DIR && ICS_ATTACK
  ? false
  : 'third-party STIX test data absent: ../shared/testdata/{stix-schemas,attack} not found (see ../shared/testdata/README.md)';

/** Every JSON file under a directory. */
export function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export type SourceFile = { file: string; text: string; objects: Record<string, unknown>[] };

/** The OASIS examples and the ATT&CK ICS bundle as (file text, objects). A lone object counts as a one-object bundle. */
export function stixSources(): SourceFile[] {
  if (SKIP_NO_TESTDATA) return [];
  return [...jsonFiles(STIX_EXAMPLES_DIR!), ICS_ATTACK!].map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as Record<string, unknown>;
    return { file, text, objects: doc.type === 'bundle' ? (doc.objects as Record<string, unknown>[]) : [doc] };
  });
}

/** The file as bundle text: bundles as they are, a lone object wrapped byte for byte. */
export function asBundleText(s: SourceFile): string {
  const doc = JSON.parse(s.text) as { type: string };
  if (doc.type === 'bundle') return s.text;
  return `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[${s.text.trim()}]}`;
}

/** A stream of a text in small chunks (exercises chunk boundaries). */
export async function* chunks(text: string, size = 4096): AsyncGenerator<Buffer> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

export const bundleOf = (objects: unknown[]): string =>
  JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });
