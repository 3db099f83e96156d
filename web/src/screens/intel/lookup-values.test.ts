/** The lookup screen's parsing of pasted text and its CSV: order kept, duplicates counted, formulas neutralised. */
import { describe, expect, test } from 'vitest';
import { countResults, CSV_HEADER, csvCell, resultsCsv, splitValues, type LookupResult } from './lookup-values.ts';

describe('splitValues', () => {
  test('lines, commas, semicolons, tabs and spaces separate values; quotes and brackets go; duplicates are counted once', () => {
    const { values, duplicates } = splitValues('203.0.113.9\r\n"evil.example.com", <a@example.org>;\thttps://x.example.net/p?q=1  203.0.113.9\n\n[2001:db8::1]');
    expect(values).toEqual(['203.0.113.9', 'evil.example.com', 'a@example.org', 'https://x.example.net/p?q=1', '2001:db8::1']);
    expect(duplicates).toBe(1);
  });
  test('blank input gives nothing', () => {
    expect(splitValues(' \n\t,; ')).toEqual({ values: [], duplicates: 0 });
  });
});

describe('CSV', () => {
  test('quotes cells with separators and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell(3)).toBe('3');
  });
  const results: LookupResult[] = [
    { input: '10.0.0.1', kind: 'ipv4', value: '10.0.0.1', warnings: [{ list: 'private-ipv4', reason: 'private address (RFC 1918)' }], matchCount: 0, matches: [] },
    {
      input: 'Evil.Example.com', kind: 'domain', value: 'evil.example.com', warnings: [], matchCount: 2,
      matches: [{ id: 'indicator--1', type: 'indicator', title: 'x', tlp: 'amber', ownerOrgId: null, revoked: false }, { id: 'domain-name--2', type: 'domain-name', title: null, tlp: 'green', ownerOrgId: null, revoked: false }],
    },
    { input: 'hello', kind: null, value: null, warnings: [], matchCount: 0, matches: [] },
  ] as unknown as LookupResult[];
  test('one row per value with warnings and matches', () => {
    const lines = resultsCsv(results).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[1]).toBe('10.0.0.1,ipv4,10.0.0.1,private-ipv4,private address (RFC 1918),0,');
    expect(lines[2]).toBe('Evil.Example.com,domain,evil.example.com,,,2,"indicator--1 (indicator, TLP:AMBER) | domain-name--2 (domain-name, TLP:GREEN)"');
    expect(lines[3]).toBe('hello,unrecognised,,,,0,');
  });
  test('counts', () => {
    expect(countResults(results)).toEqual({ values: 3, recognised: 2, unrecognised: 1, matched: 1, matches: 2, flagged: 1 });
  });
});
