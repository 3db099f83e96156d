/** What exists for this user: who they are, what needs them now (cases, requests, notices, advisories, feeds), and the tools their role opens. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { get } from '../api.ts';
import type { Application } from '../api-types.ts';
import { useTranslation } from 'react-i18next';
import { can, useSession } from '../session.tsx';
import { formatNumber } from '../format.ts';
import { Card, Page } from '../components/ui.tsx';
import { AttentionCards } from './DashboardCards.tsx';

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  // Applications this person may decide on (the server computes the policies per application).
  const [toReview, setToReview] = useState<Application[]>([]);
  useEffect(() => {
    get<{ items: Application[] }>('/api/membership/applications')
      .then((r) => setToReview(r.items.filter((a) => a.policies.canValidate || a.policies.canDecline || a.policies.canApprove || a.policies.canReject)), () => undefined);
  }, []);
  if (!me) return null;
  const role = me.user.platformRole;
  return (
    <Page title={t('dashboard.title')}>
      <p className="text-slate-700">{t('dashboard.welcome', { name: me.user.displayName || me.user.email })}</p>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t('dashboard.account')}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="font-medium">{t('common.email')}</dt>
            <dd>{me.user.email}</dd>
            <dt className="font-medium">{t('dashboard.role')}</dt>
            <dd>{role ? t(`roles.${role}`) : t('roles.none')}</dd>
            <dt className="font-medium">{t('dashboard.organisations')}</dt>
            <dd>{formatNumber(me.memberships.length, i18n.language)}</dd>
          </dl>
          <Link to="/profile" className="mt-3 inline-block text-blue-800 underline">{t('dashboard.toProfile')}</Link>
        </Card>
        {toReview.length > 0 && (
          <Card title={t('dashboard.toReview')}>
            <p className="mb-2 text-sm">{t('dashboard.toReviewCount', { n: formatNumber(toReview.length, i18n.language) })}</p>
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {toReview.map((a) => <li key={a.id}><Link to={`/membership/applications/${a.id}`} className="text-blue-800 underline">{a.orgName}</Link></li>)}
            </ul>
          </Card>
        )}
        <AttentionCards />
        {can(me, 'admin') && (
          <Card title={t('dashboard.administration')}>
            <ul className="list-disc space-y-1 pl-5 text-sm">
              <li><Link to="/admin/audit" className="text-blue-800 underline">{t('nav.audit')}</Link></li>
              <li><Link to="/admin/outbox" className="text-blue-800 underline">{t('nav.outbox')}</Link></li>
            </ul>
          </Card>
        )}
      </div>
    </Page>
  );
}
