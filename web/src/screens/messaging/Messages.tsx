/**
 * Messaging: channels on the left (unread badges, live), the open channel (or search results, or
 * the new-channel form) on the right. /messages and /messages/:channelId (links in urgent alerts
 * and digests land here).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Button, ErrorNotice, Page } from '../../components/ui.tsx';
import { selectClass } from '../reports/shared.tsx';
import { useFeed } from './feed.ts';
import { ChannelView } from './ChannelView.tsx';
import { NewChannel } from './NewChannel.tsx';
import { SearchPanel } from './SearchPanel.tsx';
import { tlpLabel, type Channel, type DigestFrequency, type Prefs } from './types.ts';

function DigestPreference() {
  const { t } = useTranslation();
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { get<Prefs>('/api/messaging/prefs').then(setPrefs, setError); }, []);
  if (!prefs) return <ErrorNotice error={error} />;
  return (
    <div className="space-y-1">
      <label htmlFor="digest-frequency" className="text-sm font-medium text-slate-800">{t('messaging.digest.label')}</label>
      <select id="digest-frequency" className={`${selectClass} w-full`} value={prefs.digest} aria-describedby="digest-help"
        onChange={(e) => {
          setSaved(false);
          api<Prefs>('PUT', '/api/messaging/prefs', { digest: e.target.value as DigestFrequency }).then((p) => { setPrefs(p); setSaved(true); }, setError);
        }}>
        {(['off', 'hourly', 'daily'] as const).map((f) => <option key={f} value={f}>{t(`messaging.digest.${f}`)}</option>)}
      </select>
      <p id="digest-help" className="text-xs text-slate-600">{t('messaging.digest.help')}</p>
      {saved && <p role="status" className="text-xs text-green-900">{t('common.saved')}</p>}
      <ErrorNotice error={error} />
    </div>
  );
}

function ChannelNav({ channels, current }: { channels: Channel[]; current?: string }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('messaging.channels')}>
      <ul className="space-y-1">
        {channels.map((c) => (
          <li key={c.id}>
            <NavLink to={`/messages/${c.id}`} aria-current={c.id === current ? 'page' : undefined}
              className={`flex items-center justify-between gap-2 rounded px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-700 ${c.id === current ? 'bg-blue-100 font-semibold text-blue-950' : 'text-slate-900 hover:bg-slate-100'}`}>
              <span className="truncate"># {c.name} <span className="sr-only">({t(`messaging.kinds.${c.kind}`)}, {tlpLabel(c.defaultTlp)})</span></span>
              {c.unread > 0 && (
                <span data-testid="unread" className="rounded-full bg-blue-800 px-2 text-xs font-semibold text-white">
                  {c.unread}<span className="sr-only"> {t('messaging.unread', { count: c.unread })}</span>
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function Messages() {
  const { t } = useTranslation();
  const { channelId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { me, connection } = useSession();
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [mode, setMode] = useState<'channel' | 'search' | 'new'>('channel');
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => get<{ items: Channel[] }>('/api/messaging/channels').then((r) => setChannels(r.items), setError), []);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => { if (channelId) setMode('channel'); }, [channelId, location.key]); // any link to a channel shows it

  // Unread badges follow the feed: a new message elsewhere counts, one in the open channel is read there.
  useFeed(connection, {
    onEvent: (e) => {
      if (e.kind !== 'created' || e.message.authorId === me?.user.id) return;
      setChannels((list) => {
        if (!list) return list;
        if (!list.some((c) => c.id === e.message.channelId)) {
          void load(); // a channel newly visible to me
          return list;
        }
        return list.map((c) => c.id === e.message.channelId && c.member && c.id !== channelId ? { ...c, unread: c.unread + 1 } : c);
      });
    },
  });

  const current = channels?.find((c) => c.id === channelId);
  return (
    <Page title={t('messaging.title')}>
      <div className="flex flex-wrap gap-2">
        <Button variant={mode === 'search' ? 'primary' : 'secondary'} onPress={() => setMode('search')}>{t('messaging.search.open')}</Button>
        <Button variant={mode === 'new' ? 'primary' : 'secondary'} onPress={() => setMode('new')}>{t('messaging.create.open')}</Button>
      </div>
      <ErrorNotice error={error} />
      <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
        <aside className="space-y-6">
          <div>
            <h2 className="mb-2 text-lg font-semibold text-slate-900">{t('messaging.channels')}</h2>
            {channels && channels.length === 0 && <p className="text-sm text-slate-700">{t('messaging.noChannels')}</p>}
            {channels && <ChannelNav channels={channels} current={channelId} />}
          </div>
          <DigestPreference />
        </aside>
        <div className="min-w-0">
          {mode === 'search' && <SearchPanel />}
          {mode === 'new' && <NewChannel onCreated={(id) => { void load().then(() => navigate(`/messages/${id}`)); setMode('channel'); }} />}
          {mode === 'channel' && channelId && channels && !current && (
            <p role="alert" className="text-slate-800">{t('messaging.channelNotFound')} <Link to="/messages" className="text-blue-800 underline">{t('messaging.backToChannels')}</Link></p>
          )}
          {mode === 'channel' && current && (
            <ChannelView key={current.id} channel={current} onChanged={() => void load()}
              onRead={() => setChannels((l) => l?.map((c) => (c.id === current.id ? { ...c, unread: 0 } : c)) ?? l)} />
          )}
          {mode === 'channel' && !channelId && channels && channels.length > 0 && <p className="text-slate-700">{t('messaging.pickChannel')}</p>}
        </div>
      </div>
    </Page>
  );
}
