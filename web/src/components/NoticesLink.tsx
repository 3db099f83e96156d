/**
 * The header's link to the person's incident notifications, with the unread count. Read when the
 * page changes and each time the server says a notification arrived (`incidents.notice` on the
 * tab's WebSocket) or the socket comes back (`hello`: notices may have been missed meanwhile).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { formatNumber } from '../format.ts';
import { useSession } from '../session.tsx';

export function NoticesLink() {
  const { t, i18n } = useTranslation();
  const { connection } = useSession();
  const { pathname } = useLocation();
  const [unread, setUnread] = useState<number | null>(null);
  const load = useCallback(() => {
    get<{ unread: number }>('/api/incidents/notifications').then((r) => setUnread(r.unread), () => setUnread(null));
  }, []);
  useEffect(load, [load, pathname]);
  useEffect(() => connection?.subscribe((m) => { if (m.type === 'incidents.notice' || m.type === 'hello') load(); }), [connection, load]);
  if (unread === null) return null;
  return (
    <Link to="/incidents/notifications" data-unread={unread} className="flex items-center gap-1 rounded px-2 py-1 text-sm text-white hover:bg-slate-800">
      {t('shell.notices')}
      {unread > 0 && (
        <span className="rounded-full bg-amber-400 px-2 text-xs font-semibold text-slate-900">
          {formatNumber(unread, i18n.language)}<span className="sr-only"> {t('shell.unread')}</span>
        </span>
      )}
    </Link>
  );
}
