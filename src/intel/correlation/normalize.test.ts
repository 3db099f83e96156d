/** Observable normalisation, recognition of free input, pattern extraction, and warning lists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectObservable, normalizeAs, observablesOf, observablesOfPattern } from './normalize.ts';
import { warningsFor } from './warning-lists.ts';

test('IPs: leading zeros, IPv6 forms (RFC 5952), IPv4-mapped, invalid values refused', () => {
  assert.deepEqual(detectObservable(' 010.001.002.003 '), { kind: 'ipv4', value: '10.1.2.3' });
  assert.notEqual(detectObservable('256.1.1.1')?.kind, 'ipv4');
  for (const v of ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '[2001:db8::1]']) {
    assert.deepEqual(detectObservable(v), { kind: 'ipv6', value: '2001:db8::1' }, v);
  }
  assert.deepEqual(normalizeAs('ipv6', '2001:db8:0:0:1:0:0:1'), { kind: 'ipv6', value: '2001:db8::1:0:0:1' });
  assert.deepEqual(normalizeAs('ipv6', '::ffff:192.0.2.1'), { kind: 'ipv4', value: '192.0.2.1' });
  assert.deepEqual(normalizeAs('ipv6', '2001:db8::1:0:0:0'), { kind: 'ipv6', value: '2001:db8:0:0:1::' });
});

test('domains, URLs, e-mail and hashes in one canonical spelling', () => {
  assert.deepEqual(detectObservable('Evil.EXAMPLE.com.'), { kind: 'domain', value: 'evil.example.com' });
  assert.deepEqual(detectObservable('bücher.example'), { kind: 'domain', value: 'xn--bcher-kva.example' });
  assert.deepEqual(detectObservable('HTTP://Evil.Example.COM:80/a/../b?x=1#frag'), { kind: 'url', value: 'http://evil.example.com/b?x=1' });
  assert.deepEqual(detectObservable('Bad.Guy@Example.ORG'), { kind: 'email', value: 'bad.guy@example.org' });
  assert.deepEqual(detectObservable('D41D8CD98F00B204E9800998ECF8427E'), { kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' });
  assert.equal(detectObservable('a'.repeat(40))?.kind, 'sha1');
  assert.equal(detectObservable('a'.repeat(64))?.kind, 'sha256');
  assert.equal(detectObservable('a'.repeat(128))?.kind, 'sha512');
  assert.equal(detectObservable('not a value at all'), null);
  assert.equal(detectObservable(''), null);
});

test('indicator patterns and SCOs yield their observables', () => {
  assert.deepEqual(observablesOfPattern("[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'Evil.Example.com']"), [
    { kind: 'ipv4', value: '198.51.100.1' }, { kind: 'domain', value: 'evil.example.com' },
  ]);
  assert.deepEqual(observablesOfPattern("[file:hashes.'SHA-256' = 'AA" + 'a'.repeat(62) + "']"), [{ kind: 'sha256', value: 'a'.repeat(64) }]);
  assert.deepEqual(observablesOfPattern("[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]").map((o) => o.value), ['192.0.2.1', '192.0.2.2']);
  assert.deepEqual(observablesOf({ type: 'file', id: 'file--x', hashes: { MD5: 'D41D8CD98F00B204E9800998ECF8427E' } }), [{ kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }]);
  assert.deepEqual(observablesOf({ type: 'url', value: 'https://example.com/x' }), [{ kind: 'url', value: 'https://example.com/x' }]);
  assert.deepEqual(observablesOf({ type: 'malware', name: '1.2.3.4' }), []);
});

test('warning lists: private, documentation and special ranges, reserved and benign domains', () => {
  const lists = (v: string) => warningsFor(detectObservable(v)!).map((w) => w.list);
  assert.deepEqual(lists('10.20.30.40'), ['private-ipv4']);
  assert.deepEqual(lists('192.168.1.1'), ['private-ipv4']);
  assert.deepEqual(lists('203.0.113.9'), ['documentation-ipv4']);
  assert.deepEqual(lists('198.51.100.200'), ['documentation-ipv4']);
  assert.deepEqual(lists('8.8.8.8'), ['benign-ipv4']);
  assert.deepEqual(lists('2001:db8::5'), ['documentation-ipv6']);
  assert.deepEqual(lists('fd00::1'), ['private-ipv6']);
  assert.deepEqual(lists('::1'), ['special-ipv6']);
  assert.deepEqual(lists('www.example.com'), ['reserved-domains']);
  assert.deepEqual(lists('login.microsoft.com'), ['benign-domains']);
  assert.deepEqual(lists('http://192.168.0.1/x'), ['private-ipv4']);
  assert.deepEqual(lists('d41d8cd98f00b204e9800998ecf8427e'), ['empty-hash']);
  assert.deepEqual(lists('185.220.101.1'), []);
  assert.deepEqual(lists('evil-domain.ru'), []);
  assert.deepEqual(lists('172.32.0.1'), [], 'just outside 172.16.0.0/12');
});
