/** My incident notifications (newest first): what happened and a link to the case or request; mark all read. */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Page } from '../../components/ui.tsx';
import { linkClass, type Notification } from './shared.tsx';

const KINDS = ['assistance.published', 'assistance.offer', 'assistance.accepted', 'assistance.closed', 'case.assigned', 'case.constituency', 'case.participant', 'report.received'];

export default function Notifications() {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<{ items: Notification[]; unread: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => { get<{ items: Notification[]; unread: number }>('/api/incidents/notifications').then(setData, setError); }, []);
  useEffect(load, [load]);
  return (
    <Page title={t('incidents.notificationsTitle')}>
      <ErrorNotice error={error} />
      {data && <p className="text-sm text-slate-700">{t('incidents.unreadCount', { count: data.unread })}</p>}
      {data && data.unread > 0 && <Button variant="secondary" onPress={() => void post('/api/incidents/notifications/read').then(load, setError)}>{t('incidents.markAllRead')}</Button>}
      {data && data.items.length === 0 && <p className="text-slate-700">{t('incidents.noNotifications')}</p>}
      <ul className="space-y-2">
        {(data?.items ?? []).map((n) => (
          <li key={n.id} className={`rounded border p-3 text-sm ${n.readAt ? 'border-slate-200 bg-white' : 'border-blue-300 bg-blue-50'}`} data-kind={n.kind}>
            <p className="font-medium">{KINDS.includes(n.kind) ? t(`incidents.notification.${n.kind.replace('.', '_')}`) : n.kind}</p>
            <p className="text-xs text-slate-700">{formatDateTime(n.createdAt, i18n.language)}</p>
            {n.requestId ? <Link className={linkClass} to={`/incidents/assistance/${n.requestId}`}>{t('incidents.openRequest')}</Link>
              : n.caseId ? <Link className={linkClass} to={`/incidents/cases/${n.caseId}`}>{t('incidents.openCase')}</Link> : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}
