/** The public site's reports, documents and announcements (no sign-in), searchable in four languages. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { ErrorNotice, Page } from '../../components/ui.tsx';
import { PublicationEntry, SearchForm, type Filter, type Publication } from './shared.tsx';

export default function PublicReports() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Publication[] | null>(null);
  const [filter, setFilter] = useState<Filter>({ q: '', lang: '', kind: '' });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<{ items: Publication[] }>('/api/public/publications', filter).then((r) => setItems(r.items), setError); }, [filter]);
  return (
    <Page title={t('reports.publicTitle')}>
      <p className="text-slate-700">{t('reports.publicIntro')}</p>
      <Link to="/public/advisories" className="text-sm text-blue-800 underline">{t('advisories.publicTitle')}</Link>
      <SearchForm onSearch={setFilter} />
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{filter.q ? t('reports.noMatch') : t('reports.nonePublic')}</p>}
      <ul className="space-y-3">{items?.map((p) => <PublicationEntry key={p.id} p={p} fileBase="/api/public/publications" />)}</ul>
    </Page>
  );
}
