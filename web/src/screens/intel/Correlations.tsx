/**
 * The object page's correlation and sighting sections: "also seen by" (other organisations'
 * objects sharing an observable with this one — exactly what the server returns, which is only what
 * this reader may see on both sides), sightings counted per organisation, and a "we saw this too"
 * form with the sighting's own TLP and scope, shown only when the page's permissions allow it.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, Card, ErrorNotice, Form, Notice } from '../../components/ui.tsx';
import type { AlsoSeen, OrgSightings } from '../../../../src/intel/correlation/correlations.query.ts';
import { labelClass, objectPath, selectClass, TLP_VALUES, TlpBadge, TypeBadge, type ObjectSection, type SharingOptions } from './shared.tsx';

type Sightings = { total: number; byOrganisation: OrgSightings[] };
type Reported = { stixId: string; orgId: string; count: number; lastSeen: string };
const SIGHTING_SCOPES = ['network', 'group', 'org'] as const;
const base = (id: string) => `/api/intel/objects/${encodeURIComponent(id)}`;

function AlsoSeenBy({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<AlsoSeen[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setData(null); setError(null);
    get<{ alsoSeenBy: AlsoSeen[] }>(`${base(id)}/correlations`).then((r) => setData(r.alsoSeenBy), setError);
  }, [id]);
  return (
    <Card title={t('intel.correlation.alsoSeenTitle')}>
      <ErrorNotice error={error} />
      {!data && !error && <p role="status">{t('common.loading')}</p>}
      {data && data.length === 0 && <p className="text-slate-700">{t('intel.correlation.noneSeen')}</p>}
      {data && data.length > 0 && (
        <ul className="space-y-3" aria-label={t('intel.correlation.alsoSeenTitle')}>
          {data.map((org) => (
            <li key={org.orgId ?? 'none'} data-also-seen-org={org.orgId ?? ''}>
              <h3 className="font-semibold text-slate-900">{org.orgName ?? t('intel.correlation.unknownOrg')}</h3>
              <ul className="mt-1 space-y-1 pl-4 text-sm">
                {org.objects.map((o) => (
                  <li key={`${o.id}-${o.kind}-${o.value}`} className="flex flex-wrap items-center gap-2">
                    <Link to={objectPath(o.id)} className="break-all text-blue-800 underline">{o.title ?? o.id}</Link>
                    <TypeBadge type={o.type} /> <TlpBadge tlp={o.tlp} />
                    <span className="text-slate-700">{t('intel.correlation.sharedValue')} <code className="font-mono text-xs break-all">{o.kind}: {o.value}</code></span>
                    <span className="text-xs text-slate-700">{t('intel.correlation.matchedOn', { when: formatDateTime(o.matchedAt, i18n.language) })}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ReportSighting({ id, onReported }: { id: string; onReported: (r: Reported) => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [orgId, setOrgId] = useState('');
  const [tlp, setTlp] = useState('amber');
  const [scope, setScope] = useState<(typeof SIGHTING_SCOPES)[number]>('network');
  const [groupId, setGroupId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get<SharingOptions>('/api/intel/sharing-options').then((o) => { setOptions(o); setOrgId(o.orgs[0]?.id ?? ''); }, setError);
  }, []);
  const org = options?.orgs.find((o) => o.id === orgId);
  const groups = org?.sharingGroups ?? [];
  const scopes = SIGHTING_SCOPES.filter((s) => s !== 'group' || groups.length > 0);
  return (
    <Form className="mt-4 flex flex-col gap-3 border-t border-slate-200 pt-4" aria-label={t('intel.correlation.reportTitle')} onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true); setError(null);
      try {
        const body = {
          orgId: orgId || undefined, tlp, scope, note: note.trim() || undefined,
          ...(scope === 'group' ? { sharingGroupId: groupId || groups[0]?.id } : {}),
        };
        onReported(await post<Reported>(`${base(id)}/sightings`, body));
        setNote('');
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h3 className="font-semibold text-slate-900">{t('intel.correlation.reportTitle')}</h3>
      <p className="text-sm text-slate-700">{t('intel.correlation.reportHelp')}</p>
      <div className="flex flex-wrap items-end gap-3">
        {options && options.orgs.length > 1 && (
          <label className={labelClass}>{t('intel.correlation.reportingOrg')}
            <select className={selectClass} value={orgId} onChange={(e) => setOrgId(e.target.value)}>
              {options.orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </label>
        )}
        <label className={labelClass}>{t('intel.correlation.sightingTlp')}
          <select className={selectClass} value={tlp} onChange={(e) => setTlp(e.target.value)}>
            {TLP_VALUES.map((x) => <option key={x} value={x}>TLP:{x.toUpperCase()}</option>)}
          </select>
        </label>
        <label className={labelClass}>{t('intel.correlation.sightingScope')}
          <select className={selectClass} value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
            {scopes.map((s) => <option key={s} value={s}>{t(`intel.scopes.${s}`)}</option>)}
          </select>
        </label>
        {scope === 'group' && (
          <label className={labelClass}>{t('intel.sharingGroup')}
            <select className={selectClass} value={groupId || groups[0]?.id} onChange={(e) => setGroupId(e.target.value)}>
              {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </label>
        )}
      </div>
      {tlp === 'red' && <p className="text-sm text-slate-700">{t('intel.correlation.redHelp')}</p>}
      <label htmlFor={`sighting-note-${id}`} className="text-sm font-medium text-slate-800">{t('intel.correlation.note')}</label>
      <textarea id={`sighting-note-${id}`} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)}
        className="rounded border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900" />
      <ErrorNotice error={error} />
      <Button type="submit" className="self-start" isDisabled={busy || !options}>{t('intel.correlation.sawThisToo')}</Button>
    </Form>
  );
}

function SightingsCard({ id, mayReport }: { id: string; mayReport: boolean }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<Sightings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reported, setReported] = useState<Reported | null>(null);
  const load = useCallback(() => get<Sightings>(`${base(id)}/sightings`).then(setData, setError), [id]);
  useEffect(() => {
    setData(null); setError(null); setReported(null);
    void load();
  }, [load]);
  return (
    <Card title={t('intel.correlation.sightingsTitle')}>
      <ErrorNotice error={error} />
      {!data && !error && <p role="status">{t('common.loading')}</p>}
      {data && (
        <>
          <p className="mb-2 text-sm" data-sightings-total={data.total}>{t('intel.correlation.total', { n: data.total })}</p>
          {data.byOrganisation.length === 0 ? <p className="text-slate-700">{t('intel.correlation.noSightings')}</p> : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('intel.correlation.sightingsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="py-1 pr-3">{t('intel.correlation.organisation')}</th>
                  <th scope="col" className="py-1 pr-3">{t('intel.correlation.count')}</th>
                  <th scope="col" className="py-1 pr-3">{t('intel.correlation.sources')}</th>
                  <th scope="col" className="py-1">{t('intel.correlation.lastSeen')}</th>
                </tr>
              </thead>
              <tbody>
                {data.byOrganisation.map((o) => (
                  <tr key={o.orgId ?? 'none'} className="border-t border-slate-100" data-sighting-org={o.orgId ?? ''} data-count={o.count}>
                    <th scope="row" className="py-1 pr-3 font-medium">{o.orgName ?? t('intel.correlation.unknownOrg')}</th>
                    <td className="py-1 pr-3 font-semibold">{o.count}</td>
                    <td className="py-1 pr-3 text-slate-700">{t('intel.correlation.sourcesValue', { reports: o.reports, stix: o.stixSightings })}</td>
                    <td className="py-1">{o.lastSeen ? formatDateTime(o.lastSeen, i18n.language) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {reported && <div className="mt-3"><Notice>{t('intel.correlation.reported', { n: reported.count })}</Notice></div>}
      {mayReport && <ReportSighting id={id} onReported={(r) => { setReported(r); void load(); }} />}
    </Card>
  );
}

/** Registered in object-sections.tsx: both cards for one object. */
export const CorrelationsSection: ObjectSection = ({ id, permissions }) => (
  <>
    <AlsoSeenBy id={id} />
    <SightingsCard id={id} mayReport={permissions.reportSighting} />
  </>
);
