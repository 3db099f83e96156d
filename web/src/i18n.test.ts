/**
 * Every string of the app exists in all four languages, with the same placeholders, and is really
 * translated: a value left identical to English fails unless it is a proper noun or a term used
 * as-is in that language (allow-list below). Run by `npm run test:web` and by `npm test`.
 */
import { describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { LANGUAGES, resources } from './i18n.ts';

type Tree = { [k: string]: string | Tree };
const flatten = (t: Tree, prefix = ''): Record<string, string> =>
  Object.entries(t).reduce<Record<string, string>>((acc, [k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'string' ? { ...acc, [key]: v } : { ...acc, ...flatten(v, key) };
  }, {});

/** Words that are the same in every language. */
const PROPER_NOUNS = ['Hemisphere', 'TLP', 'API', 'TOTP', 'CSIRT', 'SMTP', 'QR'];
/** key → languages where the English text is also the right text. */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  'audit.actor': ['es'],
  // The French words are spelt as the English ones.
  'nav.group.communication': ['fr'], 'shell.notices': ['fr'], 'incidents.notificationsNav': ['fr'],
};

const en = flatten(resources.en as Tree);
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const onlyProperNouns = (s: string) => {
  let rest = s.replace(/\{\{\s*\w+\s*\}\}/g, '');
  for (const n of PROPER_NOUNS) rest = rest.split(n).join('');
  return !/\p{L}{2,}/u.test(rest);
};

describe('locales', () => {
  test('the four language files exist and parse', () => {
    for (const l of LANGUAGES) {
      const file = path.join(import.meta.dirname, 'locales', `${l}.json`);
      expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
    }
  });

  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    const other = flatten(resources[lang] as Tree);
    test(`${lang}: no key missing or extra`, () => {
      expect(Object.keys(other).filter((k) => !(k in en))).toEqual([]);
      expect(Object.keys(en).filter((k) => !(k in other))).toEqual([]);
    });
    test(`${lang}: nothing empty, nothing left in English`, () => {
      const untranslated = Object.keys(en).filter((k) =>
        other[k] !== undefined && other[k] === en[k] && !onlyProperNouns(en[k]!) && !(SAME_AS_ENGLISH[k] ?? []).includes(lang));
      expect(untranslated).toEqual([]);
      expect(Object.keys(other).filter((k) => !other[k]?.trim())).toEqual([]);
    });
    test(`${lang}: the same placeholders as English`, () => {
      const wrong = Object.keys(en).filter((k) => other[k] !== undefined && placeholders(other[k]!).join() !== placeholders(en[k]!).join());
      expect(wrong).toEqual([]);
    });
  }

  test('every key the code uses exists in English', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')) {
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.]+)'/g)) used.add(m[1]!);
        }
      }
    };
    walk(import.meta.dirname);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  test('the checker itself catches an untranslated string', () => {
    expect(onlyProperNouns('Sign in')).toBe(false);
    expect(onlyProperNouns('Hemisphere')).toBe(true);
    expect(onlyProperNouns('TLP: {{level}}')).toBe(true);
  });
});
