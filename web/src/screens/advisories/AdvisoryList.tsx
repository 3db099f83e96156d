/** Members: the advisories they may read (published by TLP; drafts and reviews to their editors), filtered and searched. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { can, useSession } from '../../session.tsx';
import { Button, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import { selectClass, SeverityBadge, StatusBadge, STATUSES, TlpBadge, TranslationBadge, type AdvisoryItem } from './shared.tsx';

export default function AdvisoryList() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<AdvisoryItem[] | null>(null);
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [query, setQuery] = useState({ status: '', q: '' });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: AdvisoryItem[] }>('/api/advisories', { status: query.status, q: query.q, lang: i18n.language }).then((r) => setItems(r.items), setError);
  }, [query, i18n.language]);
  return (
    <Page title={t('advisories.listTitle')}>
      <div className="flex flex-wrap items-end gap-3">
        {can(me, 'network') && <Link to="/advisories/new" className="rounded bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">{t('advisories.new')}</Link>}
        <Link to="/public/advisories" className="text-sm text-blue-800 underline">{t('advisories.publicSite')}</Link>
      </div>
      <Form className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); setQuery({ status, q }); }}>
        <Field label={t('advisories.search')} value={q} onChange={setQ} type="search" />
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('advisories.statusLabel')}
          <select className={selectClass} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('advisories.allStatuses')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`advisories.status.${s}`)}</option>)}
          </select>
        </label>
        <Button type="submit" variant="secondary">{t('advisories.apply')}</Button>
      </Form>
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{t('advisories.none')}</p>}
      {items && items.length > 0 && (
        <table className="w-full border-collapse bg-white text-left text-sm shadow-sm">
          <caption className="sr-only">{t('advisories.listTitle')}</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th className="p-2">{t('advisories.trackingId')}</th><th className="p-2">{t('advisories.title')}</th><th className="p-2">{t('advisories.statusLabel')}</th>
              <th className="p-2">{t('advisories.tlp')}</th><th className="p-2">{t('advisories.severityLabel')}</th><th className="p-2">{t('advisories.languages')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} className="border-b border-slate-100 align-top" data-advisory={a.trackingId}>
                <td className="p-2 font-mono">{a.trackingId}</td>
                <td className="p-2">
                  <Link to={a.canEdit ? `/advisories/edit/${a.id}` : `/advisories/view/${a.id}`} lang={a.lang} className="font-medium text-blue-800 underline">{a.title}</Link>
                  {a.cves.length > 0 && <p className="font-mono text-xs text-slate-600">{a.cves.join(', ')}</p>}
                </td>
                <td className="p-2"><StatusBadge status={a.status} />{a.publishedRevision > 0 && a.status !== 'published' && <p className="text-xs text-slate-600">{t('advisories.publishedRevision', { n: a.publishedRevision })}</p>}</td>
                <td className="p-2"><TlpBadge tlp={a.tlp} /></td>
                <td className="p-2"><SeverityBadge severity={a.severity} /></td>
                <td className="p-2">
                  <ul className="flex flex-wrap gap-1">
                    {Object.entries(a.translations).map(([l, s]) => <li key={l} className="flex items-center gap-1 text-xs"><span className="font-mono uppercase">{l}</span><TranslationBadge state={s} /></li>)}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
