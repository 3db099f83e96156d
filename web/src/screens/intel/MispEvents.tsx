/**
 * Imported MISP events the reader may see (the server filters by TLP and scope), and one event's
 * attributes as a paged table: the page and its size live in the address, and the server answers
 * any page in the time of one (a 350,000-attribute event opens as fast as a small one). Attributes
 * the reader may not see are simply absent from their page.
 */
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { Button, ErrorNotice, Page } from '../../components/ui.tsx';
import { labelClass, ScopeBadge, selectClass, TlpBadge, type SharingOptions } from './shared.tsx';
import type { MispAttribute, MispAttributePage, MispEvent } from './misp-shared.tsx';

const SIZES = [25, 100, 500] as const;

function Links({ canImport }: { canImport: boolean }) {
  const { t } = useTranslation();
  return (
    <p className="flex flex-wrap items-center gap-4 text-sm">
      <Link to="/intel/misp/export" className="text-blue-800 underline">{t('misp.export.title')}</Link>
      <Link to="/intel/feeds" className="text-blue-800 underline">{t('feeds.title')}</Link>
      {canImport && <Link to="/intel/misp/import" className="ml-auto rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">{t('misp.importLink')}</Link>}
    </p>
  );
}

export default function MispEvents() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<MispEvent[] | null>(null);
  const [options, setOptions] = useState<SharingOptions | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: MispEvent[] }>('/api/intel/misp/events', { limit: 500 }).then((r) => setItems(r.items), setError);
    get<SharingOptions>('/api/intel/sharing-options').then(setOptions, () => setOptions(null));
  }, []);
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <Page title={t('misp.eventsTitle')}>
      <Links canImport={!!options?.canUpload} />
      <p className="text-slate-700">{t('misp.eventsIntro')}</p>
      <ErrorNotice error={error} />
      {!items && !error && <p role="status">{t('common.loading')}</p>}
      {items && items.length === 0 && <p className="text-slate-700">{t('misp.noEvents')}</p>}
      {items && items.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('misp.eventsTitle')}</caption>
            <thead className="bg-slate-100 text-slate-800"><tr>
              <th scope="col" className="px-3 py-2">{t('misp.event')}</th>
              <th scope="col" className="px-3 py-2">{t('misp.attributes')}</th>
              <th scope="col" className="px-3 py-2">{t('misp.objects')}</th>
              <th scope="col" className="px-3 py-2">{t('intel.marking')}</th>
              <th scope="col" className="px-3 py-2">{t('misp.imported')}</th>
            </tr></thead>
            <tbody>
              {items.map((e) => (
                <tr key={`${e.uuid}/${e.ownerOrgId ?? ''}`} data-event={e.uuid} className="border-t border-slate-200 align-top">
                  <td className="max-w-md px-3 py-2">
                    <Link to={`/intel/misp/${e.uuid}`} className="break-words text-blue-800 underline">{e.info || e.uuid}</Link>
                    <span className="block font-mono text-xs text-slate-600">{e.uuid}</span>
                  </td>
                  <td className="px-3 py-2">{n(e.attributeCount)}</td>
                  <td className="px-3 py-2">{n(e.objectCount)}</td>
                  <td className="space-x-1 px-3 py-2 whitespace-nowrap"><TlpBadge tlp={e.tlp} /> <ScopeBadge scope={e.scope} /></td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-700">{formatDateTime(e.importedAt, i18n.language)} <span className="block text-xs">{t(`misp.sourceKind.${e.source.startsWith('feed:') ? 'feed' : e.source}`, { defaultValue: e.source })}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

const yes = (v: unknown) => v === true || v === '1' || v === 1 || v === 'true';

export function MispEventPage() {
  const { t, i18n } = useTranslation();
  const { uuid = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const size = SIZES.includes(Number(params.get('size')) as never) ? Number(params.get('size')) : 100;
  const [data, setData] = useState<MispAttributePage | null>(null);
  const [event, setEvent] = useState<MispEvent | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    get<MispAttributePage>(`/api/intel/misp/events/${encodeURIComponent(uuid)}/attributes`, { page, size }).then(setData, setError);
  }, [uuid, page, size]);
  useEffect(() => {
    get<{ items: MispEvent[] }>('/api/intel/misp/events', { limit: 500 }).then((r) => setEvent(r.items.find((e) => e.uuid === uuid) ?? null), () => setEvent(null));
  }, [uuid]);
  const go = (p: number, s = size) => setParams(new URLSearchParams({ page: String(p), size: String(s) }));
  const n = (x: number) => formatNumber(x, i18n.language);
  const pages = data?.pages ?? 0;

  return (
    <Page title={event?.info || t('misp.eventTitle')}>
      <Link to="/intel/misp" className="text-sm text-blue-800 underline">{t('misp.toEvents')}</Link>
      {event && (
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(10rem,auto)_1fr]">
          <dt className="font-semibold">{t('misp.uuid')}</dt><dd className="font-mono">{event.uuid}</dd>
          <dt className="font-semibold">{t('intel.marking')}</dt><dd className="space-x-1"><TlpBadge tlp={event.tlp} /> <ScopeBadge scope={event.scope} /></dd>
          <dt className="font-semibold">{t('misp.counts')}</dt><dd>{t('misp.eventCounts', { attributes: n(event.attributeCount), objects: n(event.objectCount) })}</dd>
          {event.timestamp > 0 && <><dt className="font-semibold">{t('misp.mispTimestamp')}</dt><dd>{formatDateTime(event.timestamp * 1000, i18n.language)}</dd></>}
          <dt className="font-semibold">{t('misp.imported')}</dt><dd>{formatDateTime(event.importedAt, i18n.language)}</dd>
        </dl>
      )}
      <ErrorNotice error={error} />
      {data && (
        <section aria-labelledby="attrs-h" aria-busy={data.page !== page || data.size !== size} className="space-y-3">
          <h2 id="attrs-h" className="text-lg font-semibold">{t('misp.attributesTitle', { total: n(data.total) })}</h2>
          <div className="flex flex-wrap items-end gap-3">
            <label className={labelClass}>{t('misp.pageSize')}
              <select className={selectClass} value={size} onChange={(e) => go(0, Number(e.target.value))}>
                {SIZES.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
            {/* The page shown is the page loaded (never the one still being fetched). */}
            <p role="status" className="text-sm text-slate-700" data-page={data.page}>{t('misp.pageOf', { page: n(data.page + 1), pages: n(Math.max(pages, 1)) })}</p>
          </div>
          {data.items.length === 0 ? <p className="text-slate-700">{t('misp.noAttributes')}</p> : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t('misp.attributesTitle', { total: n(data.total) })}</caption>
                <thead className="bg-slate-100 text-slate-800"><tr>
                  <th scope="col" className="px-2 py-1">#</th>
                  <th scope="col" className="px-2 py-1">{t('misp.category')}</th>
                  <th scope="col" className="px-2 py-1">{t('misp.attrType')}</th>
                  <th scope="col" className="px-2 py-1">{t('misp.value')}</th>
                  <th scope="col" className="px-2 py-1">{t('misp.toIds')}</th>
                  <th scope="col" className="px-2 py-1">{t('misp.tags')}</th>
                  <th scope="col" className="px-2 py-1">{t('intel.marking')}</th>
                </tr></thead>
                <tbody>
                  {data.items.map((it) => {
                    const a = (it.attribute ?? {}) as MispAttribute;
                    return (
                      <tr key={it.ord} data-attribute={a.uuid ?? it.stixId} className="border-t border-slate-200 align-top">
                        <td className="px-2 py-1 text-slate-600">{it.ord + 1}</td>
                        <td className="px-2 py-1">{a.category}</td>
                        <td className="px-2 py-1 font-mono text-xs">{a.object_relation ? `${a.object_relation}: ` : ''}{a.type}</td>
                        <td className="max-w-sm px-2 py-1 font-mono text-xs break-all">
                          <Link to={`/intel/objects/${encodeURIComponent(it.stixId)}`} className="text-blue-800 underline">{a.value}</Link>
                          {a.comment && <span className="block font-sans text-slate-600">{a.comment}</span>}
                        </td>
                        <td className="px-2 py-1">{yes(a.to_ids) ? t('misp.yes') : t('misp.no')}</td>
                        <td className="px-2 py-1 text-xs">{(a.Tag ?? []).map((x) => x.name).join(', ')}</td>
                        <td className="space-x-1 px-2 py-1 whitespace-nowrap"><TlpBadge tlp={it.tlp} /> <ScopeBadge scope={it.scope} /></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <nav aria-label={t('intel.paging')} className="flex flex-wrap gap-3">
            <Button variant="secondary" isDisabled={page === 0} onPress={() => go(0)}>{t('misp.firstPage')}</Button>
            <Button variant="secondary" isDisabled={page === 0} onPress={() => go(page - 1)}>{t('intel.previous')}</Button>
            <Button variant="secondary" isDisabled={page + 1 >= pages} onPress={() => go(page + 1)}>{t('intel.next')}</Button>
            <Button variant="secondary" isDisabled={page + 1 >= pages} onPress={() => go(Math.max(pages - 1, 0))}>{t('misp.lastPage')}</Button>
          </nav>
        </section>
      )}
    </Page>
  );
}
