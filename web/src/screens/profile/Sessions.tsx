/** Where I am signed in; revoke one, or sign out everywhere. */
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api.ts';
import type { SessionItem } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { Button, Card, ErrorNotice } from '../../components/ui.tsx';

export function Sessions() {
  const { t, i18n } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const [items, setItems] = useState<SessionItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setItems((await get<{ items: SessionItem[] }>('/api/me/sessions')).items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const tz = me?.user.timeZone;
  return (
    <Card title={t('profile.sessions')}>
      <ul className="mb-4 divide-y divide-slate-100 text-sm">
        {items.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-3 py-2">
            <span className="min-w-0 flex-1">
              <span className="block truncate">{s.userAgent ?? t('profile.unknownDevice')}</span>
              <span className="text-slate-600">{s.ip} · {t('profile.lastSeen', { when: formatDateTime(s.lastSeenAt, i18n.language, tz) })}</span>
            </span>
            {s.current ? <span className="rounded bg-green-100 px-2 py-0.5 text-green-900">{t('profile.thisSession')}</span> : (
              <Button variant="secondary" onPress={async () => {
                try {
                  await api('DELETE', `/api/me/sessions/${s.id}`);
                  await load();
                } catch (e) {
                  setError(e);
                }
              }}>{t('profile.revoke')}</Button>
            )}
          </li>
        ))}
      </ul>
      <p className="mb-3 text-sm text-slate-700">{t('profile.everywhereHint')}</p>
      <ErrorNotice error={error} />
      <Button variant="danger" onPress={async () => {
        await signOut(true);
        navigate('/login', { replace: true });
      }}>{t('profile.signOutEverywhere')}</Button>
    </Card>
  );
}
