/**
 * Browse and search the STIX objects the reader may see: by type, TLP, sharing scope and text, paged
 * by the server's cursor. Filters live in the address so a search can be shared or bookmarked. What
 * the list shows is exactly what the server returns (it filters by TLP and scope before anything).
 */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import {
  COMMON_TYPES, labelClass, objectPath, ScopeBadge, SCOPE_VALUES, selectClass, titleOf, TLP_VALUES, TlpBadge, TypeBadge,
  type ObjectList as ListResponse, type SharingOptions,
} from './shared.tsx';

const PAGE_SIZE = 25;
type Filter = { q: string; type: string; tlp: string; scope: string };

function FilterForm({ initial, onSearch }: { initial: Filter; onSearch: (f: Filter) => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState<Filter>(initial);
  return (
    <Form role="search" aria-label={t('intel.searchLabel')} className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); onSearch(f); }}>
      <Field type="search" label={t('intel.searchLabel')} value={f.q} onChange={(q) => setF({ ...f, q })} description={t('intel.searchHint')} />
      <label className={labelClass}>{t('intel.type')}
        <select className={selectClass} value={f.type} onChange={(e) => setF({ ...f, type: e.target.value })}>
          <option value="">{t('intel.allTypes')}</option>
          {COMMON_TYPES.map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
      </label>
      <label className={labelClass}>{t('intel.tlp')}
        <select className={selectClass} value={f.tlp} onChange={(e) => setF({ ...f, tlp: e.target.value })}>
          <option value="">{t('intel.allTlp')}</option>
          {TLP_VALUES.map((x) => <option key={x} value={x}>TLP:{x.toUpperCase()}</option>)}
        </select>
      </label>
      <label className={labelClass}>{t('intel.scope')}
        <select className={selectClass} value={f.scope} onChange={(e) => setF({ ...f, scope: e.target.value })}>
          <option value="">{t('intel.allScopes')}</option>
          {SCOPE_VALUES.map((x) => <option key={x} value={x}>{t(`intel.scopes.${x}`)}</option>)}
        </select>
      </label>
      <Button type="submit" variant="secondary">{t('intel.searchButton')}</Button>
    </Form>
  );
}

export default function ObjectList() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter: Filter = { q: params.get('q') ?? '', type: params.get('type') ?? '', tlp: params.get('tlp') ?? '', scope: params.get('scope') ?? '' };
  const cursor = params.get('next') ?? '';
  // Cursors of the pages before this one, so "Previous" can go back (the server pages forward only).
  const [back, setBack] = useState<string[]>([]);
  const [data, setData] = useState<ListResponse | null>(null);
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = params.toString();

  useEffect(() => {
    setError(null);
    get<ListResponse>('/api/intel/objects', { ...filter, next: cursor, limit: PAGE_SIZE, revoked: 'include' }).then(setData, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(() => { get<SharingOptions>('/api/intel/sharing-options').then(setOptions, () => setOptions(null)); }, []);

  const go = (f: Filter, next = '') => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...f, next })) if (v) p.set(k, v);
    setParams(p);
  };

  return (
    <Page title={t('intel.listTitle')}>
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-slate-700">{t('intel.listIntro')}</p>
        {options?.canUpload && <Link to="/intel/upload" className="ml-auto rounded bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">{t('intel.uploadLink')}</Link>}
      </div>
      <FilterForm key={key} initial={filter} onSearch={(f) => { setBack([]); go(f); }} />
      <ErrorNotice error={error} />
      {data && data.items.length === 0 && <p className="text-slate-700">{t('intel.none')}</p>}
      {data && data.items.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('intel.listTitle')}</caption>
            <thead className="bg-slate-100 text-slate-800">
              <tr>
                <th scope="col" className="px-3 py-2">{t('intel.object')}</th>
                <th scope="col" className="px-3 py-2">{t('intel.type')}</th>
                <th scope="col" className="px-3 py-2">{t('intel.marking')}</th>
                <th scope="col" className="px-3 py-2">{t('intel.added')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map(({ meta }) => (
                <tr key={`${meta.id}/${meta.version ?? ''}/${meta.ownerOrgId ?? ''}`} className="border-t border-slate-200" data-stix-id={meta.id}>
                  <td className="max-w-md px-3 py-2">
                    <Link to={objectPath(meta.id)} className="break-all text-blue-800 underline">{titleOf(meta)}</Link>
                    {meta.revoked && <span className="ml-2 rounded bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900">{t('intel.revoked')}</span>}
                  </td>
                  <td className="px-3 py-2"><TypeBadge type={meta.type} /></td>
                  <td className="space-x-1 px-3 py-2 whitespace-nowrap"><TlpBadge tlp={meta.tlp} /> <ScopeBadge scope={meta.scope} /></td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-700">{formatDateTime(meta.dateAdded, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t('intel.paging')} className="flex gap-3">
        {back.length > 0 && <Button variant="secondary" onPress={() => { const prev = back.slice(0, -1); setBack(prev); go(filter, back.at(-1)!); }}>{t('intel.previous')}</Button>}
        {data?.more && data.next && <Button variant="secondary" onPress={() => { setBack([...back, cursor]); go(filter, data.next!); }}>{t('intel.next')}</Button>}
      </nav>
    </Page>
  );
}
