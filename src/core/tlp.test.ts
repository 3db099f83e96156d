import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isTlp, stricterTlp, tlp2MarkingDefinition, TLP2_EXTENSION_ID, TLP2_MARKING_IDS, tlpFromMarkingRefs, tlpFromMispTags, tlpLabel, tlpToMispTag,
} from './tlp.ts';

// From ../shared/reference/tlp-2.0.md
const V1 = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};
const V2 = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

test('labels, order and the most restrictive label', () => {
  assert.equal(isTlp('amber+strict'), true);
  assert.equal(isTlp('white'), false);
  assert.equal(isTlp('AMBER'), false);
  assert.equal(tlpLabel('amber+strict'), 'TLP:AMBER+STRICT');
  assert.equal(stricterTlp('green', 'amber'), 'amber');
  assert.equal(stricterTlp('amber+strict', 'amber'), 'amber+strict');
  assert.equal(stricterTlp('red', 'clear'), 'red');
  assert.equal(stricterTlp('clear', 'clear'), 'clear');
});

test('STIX marking definitions: TLP 2.0 ids and extension, TLP 1.0 WHITE read as CLEAR', () => {
  assert.deepEqual(TLP2_MARKING_IDS, V2);
  const def = tlp2MarkingDefinition('amber+strict');
  assert.equal(def.id, V2['amber+strict']);
  assert.equal(def.type, 'marking-definition');
  assert.equal(def.name, 'TLP:AMBER+STRICT');
  assert.deepEqual(def.extensions, { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } });

  assert.equal(tlpFromMarkingRefs([V1.white]), 'clear');
  assert.equal(tlpFromMarkingRefs([V1.green]), 'green');
  assert.equal(tlpFromMarkingRefs([V1.amber]), 'amber');
  assert.equal(tlpFromMarkingRefs([V1.red]), 'red');
  for (const [t, ref] of Object.entries(V2)) assert.equal(tlpFromMarkingRefs([ref]), t);
  assert.equal(tlpFromMarkingRefs([V1.white, V2.amber, V1.green]), 'amber', 'most restrictive wins, across versions');
  assert.equal(tlpFromMarkingRefs([V2['amber+strict'], V1.amber]), 'amber+strict');
  assert.equal(tlpFromMarkingRefs(['marking-definition--00000000-0000-4000-8000-000000000000']), undefined);
  assert.equal(tlpFromMarkingRefs([]), undefined);
  assert.equal(tlpFromMarkingRefs(undefined), undefined);
});

test('MISP tags: white → clear, case-insensitive, most restrictive wins, others ignored', () => {
  assert.equal(tlpFromMispTags(['tlp:white']), 'clear');
  assert.equal(tlpFromMispTags(['TLP:WHITE']), 'clear');
  assert.equal(tlpFromMispTags(['tlp:clear', 'tlp:green']), 'green');
  assert.equal(tlpFromMispTags(['tlp:amber+strict', 'tlp:amber']), 'amber+strict');
  assert.equal(tlpFromMispTags(['tlp:amber', 'PAP:RED', ' tlp:red ']), 'red');
  assert.equal(tlpFromMispTags(['pap:red', 'tlp:purple', 'misp:tlp:red', 'tlp:amber+']), undefined);
  assert.equal(tlpFromMispTags([]), undefined);
  assert.equal(tlpToMispTag('amber+strict'), 'tlp:amber+strict');
  assert.equal(tlpToMispTag('clear'), 'tlp:clear');
});
