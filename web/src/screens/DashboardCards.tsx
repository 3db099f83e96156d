/**
 * The dashboard's "what needs me" cards, each from an existing list endpoint (so each shows only
 * what the reader may see, TLP included): open cases, open assistance requests, unread incident
 * notifications, the latest published advisories, and subscribed feeds whose last pull failed.
 * A card whose source the reader may not use (or that has nothing to show) is left out.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { formatNumber } from '../format.ts';
import { Card } from '../components/ui.tsx';
import type { AdvisoryItem } from './advisories/shared.tsx';
import { type CaseItem, type Notification, type RequestItem, SeverityBadge, StatusBadge, TlpBadge } from './incidents/shared.tsx';
import type { Feed } from './intel/misp-shared.tsx';

const SHOWN = 5;
const link = 'text-blue-800 underline';

/** The items of a list endpoint, or null while loading or when the reader may not use it. */
function useList<T>(path: string, query: Record<string, string | number>): T[] | null {
  const [items, setItems] = useState<T[] | null>(null);
  const key = JSON.stringify(query);
  useEffect(() => {
    let live = true;
    get<{ items: T[] }>(path, query).then((r) => live && setItems(r.items), () => live && setItems(null));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the query is compared by value
  }, [path, key]);
  return items;
}

function More({ to, label }: { to: string; label: string }) {
  return <Link to={to} className={`mt-3 inline-block text-sm ${link}`}>{label}</Link>;
}

export function AttentionCards() {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  const cases = useList<CaseItem>('/api/incidents/cases', { open: 'true', limit: 200 });
  const requests = useList<RequestItem>('/api/incidents/assistance', { status: 'open', limit: SHOWN });
  const notifications = useList<Notification>('/api/incidents/notifications', {});
  const advisories = useList<AdvisoryItem>('/api/advisories', { status: 'published', limit: SHOWN, lang: i18n.language });
  const feeds = useList<Feed>('/api/intel/feeds', {});
  const openCases = cases ?? [];
  const unread = (notifications ?? []).filter((x) => !x.readAt).length;
  const failing = (feeds ?? []).filter((f) => f.enabled && f.lastError && (!f.lastSuccessAt || (f.lastErrorAt ?? '') > f.lastSuccessAt));
  return (
    <>
      {cases && (
        <Card title={t('dashboard.openCases')}>
          {openCases.length === 0 ? <p className="text-sm text-slate-700">{t('dashboard.noOpenCases')}</p> : (
            <>
              <p className="mb-2 text-sm">{t('dashboard.openCasesCount', { n: n(openCases.length) })}</p>
              <ul className="space-y-2 text-sm">
                {openCases.slice(0, SHOWN).map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-xs">{c.reference}</span>
                    <Link to={`/incidents/cases/${c.id}`} className={link}>{c.title}</Link>
                    <StatusBadge status={c.status} /><SeverityBadge severity={c.severity} /><TlpBadge tlp={c.tlp} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <More to="/incidents/cases" label={t('dashboard.allCases')} />
        </Card>
      )}
      {requests && requests.length > 0 && (
        <Card title={t('dashboard.openRequests')}>
          <ul className="space-y-2 text-sm">
            {requests.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2">
                <Link to={`/incidents/assistance/${r.id}`} className={link}>{r.title}</Link>
                <span className="text-xs text-slate-600">{r.requesterName}</span><TlpBadge tlp={r.tlp} />
              </li>
            ))}
          </ul>
          <More to="/incidents/assistance" label={t('dashboard.allRequests')} />
        </Card>
      )}
      {unread > 0 && (
        <Card title={t('dashboard.notifications')}>
          <p className="text-sm">{t('dashboard.unreadCount', { n: n(unread) })}</p>
          <More to="/incidents/notifications" label={t('dashboard.readNotifications')} />
        </Card>
      )}
      {advisories && advisories.length > 0 && (
        <Card title={t('dashboard.latestAdvisories')}>
          <ul className="space-y-2 text-sm">
            {advisories.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs">{a.trackingId}</span>
                <Link to={`/advisories/view/${a.id}`} lang={a.lang} className={link}>{a.title}</Link>
                <TlpBadge tlp={a.tlp} />
              </li>
            ))}
          </ul>
          <More to="/advisories" label={t('dashboard.allAdvisories')} />
        </Card>
      )}
      {failing.length > 0 && (
        <Card title={t('dashboard.failingFeeds')}>
          <ul className="space-y-2 text-sm">
            {failing.map((f) => <li key={f.id}><span className="font-medium">{f.name}</span>: <span className="text-red-900">{f.lastError}</span></li>)}
          </ul>
          <More to="/intel/feeds" label={t('dashboard.toFeeds')} />
        </Card>
      )}
    </>
  );
}
