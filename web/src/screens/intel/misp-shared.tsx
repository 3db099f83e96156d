/**
 * What the MISP and feed screens share: API types (type-only imports from the server's own code),
 * the MISP distribution names, and the sharing fields (organisation, default TLP, widest scope,
 * sharing group or named organisations) offered from /api/intel/sharing-options — the same
 * choices the STIX upload offers; the server still enforces its own rules.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MispEventResult, previewEvents } from '../../../../src/intel/misp/import.command.ts';
import type { eventAttributesPage, listMispEvents } from '../../../../src/intel/misp/events.query.ts';
import type { FeedView } from '../../../../src/intel/feeds/feeds.command.ts';
import type { PullOutcome } from '../../../../src/intel/feeds/pull.command.ts';
import { labelClass, selectClass, TLP_VALUES, type SharingOptions } from './shared.tsx';

type Jsonified<T> = T extends Date ? string : T extends (infer U)[] ? Jsonified<U>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;

export type MispPreview = ReturnType<typeof previewEvents>[number];
export type MispImportResult = MispEventResult;
export type MispEvent = Jsonified<Awaited<ReturnType<typeof listMispEvents>>[number]>;
export type MispAttributePage = Jsonified<Awaited<ReturnType<typeof eventAttributesPage>>>;
export type MispAttribute = {
  uuid?: string; type?: string; category?: string; value?: string; to_ids?: boolean | string; comment?: string; object_relation?: string;
  distribution?: string | number; timestamp?: string | number; Tag?: { name: string }[];
};
export type Feed = Jsonified<FeedView>;
export type { PullOutcome };

/** MISP distribution levels, by their number. */
export const DISTRIBUTIONS = ['0', '1', '2', '3', '4', '5'] as const;

export type Sharing = { orgId: string; tlp: string; scope: string; groupId: string; namedOrgs: string[] };
export const initialSharing: Sharing = { orgId: '', tlp: 'amber', scope: 'org', groupId: '', namedOrgs: [] };

/** The sharing part of a request is complete (a group chosen for `group`, someone named for `orgs`). */
export const sharingComplete = (s: Sharing) => !!s.orgId && (s.scope !== 'group' || !!s.groupId) && (s.scope !== 'orgs' || s.namedOrgs.length > 0);

export function SharingFields({ options, value, onChange, idPrefix }: { options: SharingOptions; value: Sharing; onChange: (s: Sharing) => void; idPrefix: string }) {
  const { t } = useTranslation();
  const org = useMemo(() => options.orgs.find((o) => o.id === value.orgId), [options, value.orgId]);
  const scopes = org?.scopes ?? [];
  const set = (patch: Partial<Sharing>) => onChange({ ...value, ...patch });
  // Public is only ever TLP:CLEAR; a scope the organisation does not offer falls back to the organisation.
  useEffect(() => { if (value.scope === 'public' && value.tlp !== 'clear') set({ scope: 'network' }); });
  useEffect(() => { if (org && !org.scopes.includes(value.scope as never)) set({ scope: 'org' }); });
  return (
    <>
      {options.orgs.length > 1 && (
        <label className={labelClass}>{t('intel.sharingOrg')}
          <select className={selectClass} value={value.orgId} onChange={(e) => set({ orgId: e.target.value, groupId: '', namedOrgs: [] })}>
            {options.orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </label>
      )}
      <label className={labelClass}>{t('intel.tlpDefault')}
        <select className={selectClass} value={value.tlp} onChange={(e) => set({ tlp: e.target.value })} aria-describedby={`${idPrefix}-tlp-d`}>
          {TLP_VALUES.map((x) => <option key={x} value={x}>TLP:{x.toUpperCase()}</option>)}
        </select>
        <span id={`${idPrefix}-tlp-d`} className="text-xs font-normal text-slate-600">{value.tlp === 'red' ? t('intel.redHelp') : t('misp.tlpDefaultHelp')}</span>
      </label>
      <label className={labelClass}>{t('misp.widestScope')}
        <select className={selectClass} value={value.scope} onChange={(e) => set({ scope: e.target.value })} aria-describedby={`${idPrefix}-scope-d`}>
          {scopes.map((s) => <option key={s} value={s} disabled={s === 'public' && value.tlp !== 'clear'}>{t(`intel.scopes.${s}`)}{s === 'public' && value.tlp !== 'clear' ? ` (${t('intel.clearOnly')})` : ''}</option>)}
        </select>
        <span id={`${idPrefix}-scope-d`} className="text-xs font-normal text-slate-600">{t(`intel.scopeHelp.${value.scope}`)} {t('misp.widestScopeHelp')}</span>
      </label>
      {value.scope === 'group' && (
        <label className={labelClass}>{t('intel.sharingGroup')}
          <select className={selectClass} value={value.groupId} onChange={(e) => set({ groupId: e.target.value })} required>
            <option value="">{t('intel.chooseGroup')}</option>
            {org?.sharingGroups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        </label>
      )}
      {value.scope === 'orgs' && (
        <label className={`${labelClass} sm:col-span-2`}>{t('intel.namedOrgs')}
          <select multiple size={6} className={selectClass} value={value.namedOrgs} onChange={(e) => set({ namedOrgs: [...e.target.selectedOptions].map((o) => o.value) })}>
            {options.nameableOrgs.filter((o) => o.id !== value.orgId).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
          <span className="text-xs font-normal text-slate-600">{t('intel.namedOrgsHelp')}</span>
        </label>
      )}
    </>
  );
}

/** A count shown as a small labelled pill. */
export function CountPill({ label, n, name }: { label: string; n: number; name: string }) {
  const { i18n } = useTranslation();
  return <li data-count={name} className="rounded bg-slate-100 px-3 py-1 text-sm">{label}: <strong>{new Intl.NumberFormat(i18n.language).format(n)}</strong></li>;
}
