/** Applications the signed-in person vets: coordinators see all, national points of contact their countries'. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import type { Application } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { Card, ErrorNotice, Page } from '../../components/ui.tsx';

export default function Applications() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<Application[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: Application[] }>('/api/membership/applications').then((r) => setItems(r.items), setError);
  }, []);
  return (
    <Page title={t('applications.title')}>
      <ErrorNotice error={error} />
      {items && (
        <Card>
          {items.length === 0 ? <p>{t('applications.none')}</p> : (
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="py-2 pr-3">{t('apply.orgName')}</th>
                  <th scope="col" className="py-2 pr-3">{t('apply.country')}</th>
                  <th scope="col" className="py-2 pr-3">{t('status.status')}</th>
                  <th scope="col" className="py-2 pr-3">{t('status.submittedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} className="border-b border-slate-100">
                    <td className="py-1 pr-3"><Link to={`/membership/applications/${a.id}`} className="text-blue-800 underline">{a.orgName}</Link></td>
                    <td className="py-1 pr-3">{a.countryCode}</td>
                    <td className="py-1 pr-3">{t(`applicationStatus.${a.status}`)}</td>
                    <td className="py-1 pr-3">{formatDateTime(a.createdAt, i18n.language, me?.user.timeZone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
    </Page>
  );
}
