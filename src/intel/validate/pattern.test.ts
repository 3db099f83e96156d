/** The STIX pattern parser: the grammar's constructs are accepted, malformed patterns refused with a position. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonsOf, parsePattern, PatternSyntaxError } from './pattern.ts';
import { validateStixObject } from './object.ts';
import { SKIP_NO_TESTDATA, stixSources } from '../test/fixtures.ts';

const VALID = [
  "[ipv4-addr:value = '198.51.100.1/32']",
  "[ipv4-addr:value == '198.51.100.1' OR ipv4-addr:value <> '203.0.113.5']",
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:size > 1024]",
  "[url:value LIKE '%evil%'] AND [domain-name:value MATCHES '^ex.*\\\\.com$'] WITHIN 300 SECONDS",
  "([a:b = 1] FOLLOWEDBY [c:d[*].e NOT IN (1, 'x', true, -2, 0.5, -.5)]) REPEATS 5 TIMES",
  "[x:y = 1] START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00.123Z' WITHIN 1.5 SECONDS",
  "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8' OR NOT EXISTS network-traffic:src_port]",
  "[network-traffic:dst_ref.value NOT ISSUPERSET '10.0.0.0/8']",
  "[windows-registry-key:values[0].data = h'ab01' AND windows-registry-key:values[-1].name = 'x']",
  "[artifact:payload_bin = b'aGVsbG8=']",
  "[file:name = 'it\\'s' /* comment */ ] // trailing comment",
  "[x-custom-type:x_prop.'with space' >= t'2020-02-29T23:59:60Z']",
  "[a:b IN ()]",
];

const INVALID: [string, RegExp][] = [
  ['', /Expected "\[" or "\("/],
  ["ipv4-addr:value = '1.2.3.4'", /Expected "\[" or "\("/],
  ["[ipv4-addr:value = '1.2.3.4'", /Expected "\]"/],
  ["[ipv4-addr:value = ]", /Expected a literal/],
  ["[a:b > true]", /orderable literal/],
  ["[a:b = 'x\\q']", /may be escaped/],
  ["[a:b = 'unterminated]", /Unterminated string/],
  ["[a:b = 1 AND c:d = 2]", /one object type/],
  ["[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", /only one within/],
  ["[a:b = 1] REPEATS -1 TIMES", /positive integer/],
  ["[a:b = 1] WITHIN 5", /Expected SECONDS/],
  ["[a:b = t'2020-13-01T00:00:00Z']", /Malformed timestamp/],
  ["[a:b = h'abc']", /Malformed hex/],
  ["[a:b = b'abc']", /Malformed binary/],
  ["[a:b LIKE 5]", /string literal after LIKE/],
  ["[a = 1]", /Expected ":"/],
  ["[a:b = 1] AND", /Expected "\[" or "\("/],
  ["[a:b = 1] [c:d = 2]", /end of the pattern/],
  ["[a:b = 1 §]", /Unexpected character/],
  ["[a:b ~ 1]", /Unexpected character/],
];

test('valid patterns of every construct parse', () => {
  for (const p of VALID) assert.doesNotThrow(() => parsePattern(p), p);
  const ast = parsePattern("[file:hashes.'SHA-256' = 'ab' AND file:name = 'x.exe'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.7']");
  assert.deepEqual(comparisonsOf(ast).map((c) => [c.path.objectType, c.path.steps, c.op]), [
    ['file', [{ key: 'hashes' }, { key: 'SHA-256' }], '='],
    ['file', [{ key: 'name' }], '='],
    ['ipv4-addr', [{ key: 'value' }], '='],
  ]);
});

test('invalid patterns are refused with a message and a position', () => {
  for (const [p, msg] of INVALID) {
    assert.throws(() => parsePattern(p), (e: unknown) => e instanceof PatternSyntaxError && msg.test(e.message) && e.pos >= 0, p);
  }
});

test('an indicator with a broken STIX pattern is refused at path "pattern"; other pattern types are not parsed as STIX', () => {
  const ind = {
    type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '1.2.3.4'", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z',
  };
  const issues = validateStixObject(ind);
  assert.deepEqual(issues.map((i) => i.path), ['pattern']);
  assert.match(issues[0]!.message, /Expected "\]"/);
  assert.deepEqual(validateStixObject({ ...ind, pattern_type: 'yara', pattern: 'rule x { condition: true }' }), []);
});

test('every STIX pattern in the OASIS examples and ATT&CK ICS parses', { skip: SKIP_NO_TESTDATA }, () => {
  let n = 0;
  for (const s of stixSources()) for (const o of s.objects) if (o.type === 'indicator' && o.pattern_type === 'stix') { parsePattern(o.pattern as string); n++; }
  assert.ok(n >= 10, `only ${n} patterns`);
});
