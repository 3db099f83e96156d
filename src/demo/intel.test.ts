/**
 * The demo intel generator: every object passes our STIX validator, ids are unique and stable across
 * runs, and every observable is clearly fictional (documentation IP ranges, example domains).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateStixObject } from '../intel/validate/object.ts';
import { demoIntelBundles } from './intel.ts';

test('demo intel: valid STIX, unique stable ids, varied TLP and scopes, only documentation ranges and example domains', () => {
  const bundles = demoIntelBundles();
  const objects = bundles.flatMap((b) => b.objects);
  const problems = objects.flatMap((o) => validateStixObject(o).map((i) => `${o.id} ${i.path}: ${i.message}`));
  assert.deepEqual(problems, []);
  assert.equal(new Set(objects.map((o) => o.id)).size, objects.length);
  assert.deepEqual(JSON.stringify(demoIntelBundles()), JSON.stringify(bundles), 'the generator is deterministic');
  assert.deepEqual([...new Set(bundles.map((b) => b.scope))].sort(), ['group', 'network', 'org', 'orgs', 'public']);
  const markings = new Set(objects.flatMap((o) => (o.object_marking_refs as string[] | undefined) ?? []));
  assert.ok(markings.size >= 5, 'CLEAR, GREEN, AMBER, AMBER+STRICT and RED all appear');
  for (const type of ['indicator', 'malware', 'threat-actor', 'campaign', 'relationship', 'sighting']) assert.ok(objects.some((o) => o.type === type), type);
  const text = JSON.stringify(objects);
  for (const ip of text.match(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? []) assert.match(ip, /^(192\.0\.2|198\.51\.100|203\.0\.113)\./, ip);
  for (const ip6 of text.match(/\b[0-9a-f]{1,4}:[0-9a-f:]+::?[0-9a-f]*\b/gi) ?? []) assert.match(ip6, /^2001:db8:/i, ip6);
  for (const d of text.match(/\b(?:[a-z0-9-]+\.)+(?:com|net|org)\b/g) ?? []) assert.match(d, /(^|\.)example\.(com|net|org)$|^attack\.mitre\.org$/, d);
});
