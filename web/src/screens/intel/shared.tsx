/**
 * What the intel screens share: API types (type-only imports from the server's own queries), TLP
 * and scope badges, a readable title for a STIX object, and the object-page section registry where
 * other intel screens (correlations, sightings) plug in without touching the page.
 */
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredObject } from '../../../../src/intel/objects.query.ts';
import type { SharingOptions } from '../../../../src/intel/sharing-options.query.ts';
import type { IngestReport } from '../../../../src/intel/ingest.command.ts';

export { TlpBadge } from '../advisories/shared.tsx';

export type ObjectMeta = Omit<StoredObject, 'raw'>;
export type StixObject = { id: string; type: string; [k: string]: unknown };
export type Listed = { meta: ObjectMeta; object: StixObject };
export type ObjectList = { items: Listed[]; more: boolean; next: string | null };
export type ObjectDetail = {
  item: Listed;
  permissions: { reportSighting: boolean; ownedByYou: boolean };
  versions: { version: string | null; dateAdded: string; revoked: boolean }[];
  relationships: Listed[];
  related: Record<string, { type: string; title: string | null }>;
};
export type { SharingOptions, IngestReport };

export const SCOPE_VALUES = ['org', 'orgs', 'group', 'network', 'public'] as const;
export const TLP_VALUES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

/** Object types offered in the browse filter (any other type is still shown when found). */
export const COMMON_TYPES = [
  'indicator', 'malware', 'threat-actor', 'intrusion-set', 'campaign', 'attack-pattern', 'tool', 'vulnerability', 'identity',
  'infrastructure', 'report', 'note', 'sighting', 'relationship', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'file', 'email-addr',
] as const;

export const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';
export const labelClass = 'flex flex-col gap-1 text-sm font-medium text-slate-800';

export function ScopeBadge({ scope }: { scope: string }) {
  const { t } = useTranslation();
  return <span data-scope={scope} className="inline-block rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-800">{t(`intel.scopes.${scope}`, { defaultValue: scope })}</span>;
}

export function TypeBadge({ type }: { type: string }) {
  return <span className="inline-block rounded bg-blue-50 px-2 py-0.5 font-mono text-xs text-blue-900">{type}</span>;
}

/** The object's human title: name, value, pattern, relationship, else its id. */
export function titleOf(meta: { title: string | null; id: string }): string {
  return meta.title ?? meta.id;
}

export const objectPath = (id: string, version?: string | null) =>
  `/intel/objects/${encodeURIComponent(id)}${version ? `?version=${encodeURIComponent(version)}` : ''}`;

/**
 * Sections other intel screens add to the object page (e.g. correlations, sightings): one line in
 * object-sections.tsx each, rendered below relationships with the object id and the permissions.
 */
export type ObjectSection = ComponentType<{ id: string; permissions: ObjectDetail['permissions'] }>;
