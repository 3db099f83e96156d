/**
 * TLP 2.0 (FIRST, 2022) labels and their STIX 2.1 / TLP 1.0 / MISP mappings.
 * See ../shared/reference/tlp-2.0.md. Ordering: most open first.
 */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const isTlp = (v: unknown): v is Tlp => typeof v === 'string' && (TLP_LEVELS as readonly string[]).includes(v);
export const tlpRank = (t: Tlp): number => TLP_LEVELS.indexOf(t);
/** The more restrictive of two labels (used when data is combined or forwarded). */
export const stricterTlp = (a: Tlp, b: Tlp): Tlp => (tlpRank(a) >= tlpRank(b) ? a : b);
export const tlpLabel = (t: Tlp): string => `TLP:${t.toUpperCase()}`;

export const TLP2_MARKING_IDS: Record<Tlp, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 definitions built into STIX 2.1; WHITE maps to CLEAR. */
export const TLP1_MARKING_IDS: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

const BY_MARKING_ID: Record<string, Tlp> = {
  ...TLP1_MARKING_IDS,
  ...Object.fromEntries(Object.entries(TLP2_MARKING_IDS).map(([k, v]) => [v, k as Tlp])),
};

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The STIX 2.1 marking-definition object for a TLP 2.0 label. */
export function tlp2MarkingDefinition(t: Tlp): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[t],
    created: '2022-10-01T00:00:00.000Z',
    name: tlpLabel(t),
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: t } },
  };
}

/** The most restrictive TLP among STIX marking refs (TLP 1.0 or 2.0); undefined when none is TLP. */
export function tlpFromMarkingRefs(refs: readonly string[] | undefined): Tlp | undefined {
  let found: Tlp | undefined;
  for (const ref of refs ?? []) {
    const t = BY_MARKING_ID[ref];
    if (t) found = found ? stricterTlp(found, t) : t;
  }
  return found;
}

/** MISP machine tags `tlp:…` (white → clear). Returns the most restrictive found. */
export function tlpFromMispTags(tags: readonly string[]): Tlp | undefined {
  let found: Tlp | undefined;
  for (const raw of tags) {
    const m = /^tlp:(clear|white|green|amber\+strict|amber|red)$/i.exec(raw.trim());
    if (!m) continue;
    const v = m[1]!.toLowerCase();
    const t: Tlp = v === 'white' ? 'clear' : (v as Tlp);
    found = found ? stricterTlp(found, t) : t;
  }
  return found;
}

export const tlpToMispTag = (t: Tlp): string => `tlp:${t}`;
