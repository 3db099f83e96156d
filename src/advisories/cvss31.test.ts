/** CVSS v3.1 base scores against FIRST's published examples and calculator values; v4.0 vector validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCvss31, roundup } from './cvss31.ts';
import { parseCvss40 } from './cvss40.ts';

const score = (v: string) => {
  const r = parseCvss31(v);
  if (!r.ok) throw new Error(r.error);
  return [r.value.baseScore, r.value.baseSeverity];
};

test('v3.1 base scores match the FIRST specification and calculator', () => {
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), [9.8, 'CRITICAL']);
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), [10, 'CRITICAL']);
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), [6.1, 'MEDIUM']); // spec example: XSS
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N'), [6.4, 'MEDIUM']);
  assert.deepEqual(score('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'), [7.8, 'HIGH']);
  assert.deepEqual(score('CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'), [1.6, 'LOW']);
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N'), [5.9, 'MEDIUM']); // Heartbleed in v3.1
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'), [0, 'NONE']);
  assert.deepEqual(score('CVSS:3.1/AV:A/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H'), [8.4, 'HIGH']);
  // temporal metrics accepted, base score unchanged
  assert.deepEqual(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C'), [9.8, 'CRITICAL']);
});

test('Roundup avoids floating-point artefacts (Appendix A)', () => {
  assert.equal(roundup(4.000000000000001), 4);
  assert.equal(roundup(4.02), 4.1);
  assert.equal(roundup(4), 4);
});

test('invalid v3.1 vectors are refused with the reason', () => {
  for (const [v, why] of [
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /CVSS:3.1/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /missing base metric A/],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /invalid value X for AV/],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /twice/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', /unknown metric/],
  ] as const) {
    const r = parseCvss31(v);
    assert.equal(r.ok, false, v);
    assert.match(r.ok ? '' : r.error, why);
  }
});

test('v4.0 vectors are validated (base metrics mandatory, order, values)', () => {
  assert.equal(parseCvss40('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N').ok, true);
  assert.equal(parseCvss40('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Red').ok, true);
  assert.equal(parseCvss40('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N').ok, false);
  assert.equal(parseCvss40('CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N').ok, false);
  assert.equal(parseCvss40('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N').ok, false);
});
