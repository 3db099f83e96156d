/**
 * Conformance of our validator with the OASIS STIX 2.1 JSON schemas (Ajv, in tests only): every
 * object of the OASIS examples and ATT&CK for ICS is accepted by both, and systematically broken
 * variants of them are refused by both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { validateStixObject } from './object.ts';
import { CATALOG } from './catalog.ts';
import { jsonFiles, SKIP_NO_TESTDATA, STIX_SCHEMAS_DIR, stixSources } from '../test/fixtures.ts';

type Obj = Record<string, unknown>;

function loadAjv() {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ajv = new (Ajv2020 as any)({ strict: false, unicodeRegExp: false, allErrors: true, logger: false });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (addFormats as any)(ajv);
  const ids = new Map<string, string>();
  for (const f of jsonFiles(STIX_SCHEMAS_DIR!)) {
    const schema = JSON.parse(fs.readFileSync(f, 'utf8'));
    ajv.addSchema(schema);
    ids.set(path.basename(f, '.json'), schema.$id);
  }
  return { validate: (type: string, o: Obj): boolean | null => (ids.has(type) ? (ajv.validate(ids.get(type)!, o) as boolean) : null) };
}

/**
 * Known places where the STIX 2.1 specification is stricter than the OASIS schemas (their README
 * says the schemas cannot enforce everything): object_marking_refs MUST point to marking
 * definitions (spec 7.2.2; core.json only checks the identifier form), and marking definitions
 * too may not carry null or empty-list values (spec 3.3; marking-definition.json omits that rule).
 */
const SPEC_STRICTER: { what: string; type?: string }[] = [
  { what: 'object_marking_refs to an identity' },
  { what: 'a null property', type: 'marking-definition' },
  { what: 'an empty list', type: 'marking-definition' },
];

const ours = (o: Obj) => validateStixObject(o).length === 0;
const clone = (o: Obj): Obj => structuredClone(o);

/** Broken variants of an object, each with what was broken. */
function variants(o: Obj): [string, Obj][] {
  const out: [string, Obj][] = [];
  const type = o.type as string;
  const rule = CATALOG[type];
  const required = ['type', 'id', ...(rule?.kind === 'sco' ? [] : ['spec_version', 'created']), ...(rule?.kind === 'sdo' || rule?.kind === 'sro' ? ['modified'] : []), ...(rule?.required ?? [])];
  for (const p of required) {
    if (!(p in o)) continue;
    // malware: name is required only for families; grouping etc. keep their own rules.
    const v = clone(o);
    delete v[p];
    out.push([`without ${p}`, v]);
  }
  out.push(['id not a UUID', { ...clone(o), id: `${type}--1234` }]);
  out.push(['id with another type', { ...clone(o), id: String(o.id).replace(/^[a-z0-9-]+--/, 'zz-other--') }]);
  out.push(['id with a UUID of no RFC 4122 variant', { ...clone(o), id: String(o.id).replace(/-[0-9a-f]{4}-([0-9a-f]{12})$/i, '-0000-$1') }]);
  for (const p of ['created', 'modified']) {
    if (typeof o[p] !== 'string') continue;
    out.push([`${p} without Z`, { ...clone(o), [p]: (o[p] as string).replace(/Z$/, '+00:00') }]);
    out.push([`${p} as a date only`, { ...clone(o), [p]: (o[p] as string).slice(0, 10) }]);
    out.push([`${p} in month 13`, { ...clone(o), [p]: (o[p] as string).replace(/^(\d{4})-\d{2}/, '$1-13') }]);
  }
  if (typeof o.created === 'string' && rule?.kind !== 'meta') out.push(['created to the second only', { ...clone(o), created: (o.created as string).replace(/(\.\d+)?Z$/, 'Z'), modified: (o.created as string).replace(/(\.\d+)?Z$/, 'Z') }]);
  if (Array.isArray(o.object_marking_refs)) out.push(['object_marking_refs to an identity', { ...clone(o), object_marking_refs: ['identity--311b2d2d-f010-4473-83ec-1edf84858f4c'] }]);
  if (type === 'relationship') out.push(['relationship to a marking definition', { ...clone(o), target_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' }]);
  if (type === 'sighting' || type === 'indicator') out.push(['where_sighted_refs to a malware', { ...clone(o), type: 'sighting', id: String(o.id).replace(/^[a-z-]+--/, 'sighting--'), sighting_of_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b', where_sighted_refs: ['malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b'] }]);
  out.push(['spec_version 3.0', { ...clone(o), spec_version: '3.0' }]);
  out.push(['a null property', { ...clone(o), description: null }]);
  out.push(['an empty list', { ...clone(o), labels: [] }]);
  if (rule?.kind === 'sdo') out.push(['the reserved property severity', { ...clone(o), severity: 'high' }]);
  return out;
}

test('every object of the OASIS examples and ATT&CK ICS: we and the OASIS schemas accept it', { skip: SKIP_NO_TESTDATA }, () => {
  const ajv = loadAjv();
  let n = 0;
  let schemaChecked = 0;
  for (const s of stixSources()) {
    for (const o of s.objects) {
      assert.deepEqual(validateStixObject(o), [], `${path.basename(s.file)} ${String(o.id)}`);
      const theirs = ajv.validate(o.type as string, o);
      if (theirs !== null) { assert.equal(theirs, true, `OASIS schema refuses ${String(o.id)}`); schemaChecked++; }
      n++;
    }
  }
  assert.ok(n >= 1900, `only ${n} objects`);
  assert.ok(schemaChecked > 1500);
});

test('systematically broken variants: our verdict agrees with the OASIS schemas', { skip: SKIP_NO_TESTDATA }, () => {
  const ajv = loadAjv();
  const disagreements: string[] = [];
  let stricter = 0;
  let compared = 0;
  // One object per (file, type) keeps the run short while covering every type present.
  const seen = new Set<string>();
  for (const s of stixSources()) {
    for (const o of s.objects) {
      const key = `${s.file} ${String(o.type)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const [what, v] of variants(o)) {
        const theirs = ajv.validate(v.type as string, v);
        if (theirs === null) continue; // custom type: no OASIS schema to compare with
        compared++;
        const mine = ours(v);
        if (SPEC_STRICTER.some((x) => what === x.what && (!x.type || x.type === o.type))) {
          // Where the specification is stricter than the schemas, we follow the specification.
          assert.equal(mine, false, `${String(o.id)} ${what}`);
          stricter++;
          continue;
        }
        if (mine !== theirs) disagreements.push(`${String(o.id)} ${what}: ours=${mine} oasis=${theirs}`);
        if (mine) disagreements.push(`${String(o.id)} ${what}: accepted a broken object`);
      }
    }
  }
  assert.deepEqual(disagreements, []);
  assert.ok(stricter > 0);
  assert.ok(compared > 200, `only ${compared} variants compared`);
});

test('custom x- types and properties are kept: ATT&CK x-mitre objects validate with the common rules', { skip: SKIP_NO_TESTDATA }, () => {
  const attack = stixSources().find((s) => s.file.endsWith('ics-attack.json'))!;
  const custom = attack.objects.filter((o) => String(o.type).startsWith('x-'));
  assert.ok(custom.length > 100);
  for (const o of custom) assert.deepEqual(validateStixObject(o), []);
  const broken = { ...custom[0]!, id: 'x-mitre-tactic--nope' };
  assert.deepEqual(validateStixObject(broken).map((i) => i.path), ['id']);
});
