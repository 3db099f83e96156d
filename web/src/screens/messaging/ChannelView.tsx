/**
 * The open channel, live. History comes from the API (newest page, then older pages on request);
 * the tab's feed adds, replaces (edit, urgent) and tombstones (delete) messages as they happen,
 * merged by id — so a message that arrives both in a page and on the socket shows once. After each
 * (re)subscription the newest page is fetched again, which also closes the window between the
 * first page and the first subscription. New messages from others are announced politely to
 * screen readers; the read marker moves while the tab is visible.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { Button, ErrorNotice } from '../../components/ui.tsx';
import { useFeed } from './feed.ts';
import { Composer } from './Composer.tsx';
import { MessageItem } from './MessageItem.tsx';
import { ChannelMembers } from './ChannelMembers.tsx';
import { TlpBadge } from './TlpBadge.tsx';
import type { Channel, HistoryPage, Member, Message } from './types.ts';

type Msgs = Map<string, Message>;
const sorted = (m: Msgs) => [...m.values()].sort((a, b) => a.seq - b.seq);
const merge = (prev: Msgs, items: Message[]): Msgs => {
  const next = new Map(prev);
  for (const i of items) next.set(i.id, { ...next.get(i.id), ...i, replyCount: i.replyCount ?? next.get(i.id)?.replyCount });
  return next;
};

function Thread({ root, channel, members, names, refreshMembers, onClose }: {
  root: Message; channel: Channel; members: Member[]; names: Map<string, string>; refreshMembers: () => void; onClose: () => void;
}) {
  const { t } = useTranslation();
  const { connection } = useSession();
  const [msgs, setMsgs] = useState<Msgs>(new Map());
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => get<HistoryPage>(`/api/messaging/channels/${channel.id}/messages`, { thread: root.id, limit: 200 })
    .then((p) => setMsgs((m) => merge(m, p.items)), setError), [channel.id, root.id]);
  useEffect(() => { void load(); }, [load]);
  useFeed(connection, {
    onEvent: (e) => { if (e.message.id === root.id || e.message.threadRootId === root.id) setMsgs((m) => merge(m, [e.message])); },
    onSubscribed: () => void load(),
  });
  const list = sorted(msgs);
  return (
    <section aria-labelledby="thread-title" className="space-y-3 rounded border border-blue-200 bg-blue-50/40 p-3">
      <div className="flex items-center justify-between">
        <h3 id="thread-title" className="font-semibold text-slate-900">{t('messaging.thread.title')}</h3>
        <Button variant="secondary" onPress={onClose}>{t('messaging.thread.close')}</Button>
      </div>
      <ErrorNotice error={error} />
      <ol aria-label={t('messaging.thread.title')} className="space-y-2">
        {list.map((m) => <li key={m.id}><MessageItem m={m} channel={channel} names={names} onChanged={(x) => setMsgs((s) => merge(s, [x]))} /></li>)}
      </ol>
      <Composer channel={channel} members={members} refreshMembers={refreshMembers} replyTo={root} onPosted={(m) => setMsgs((s) => merge(s, [m]))} />
    </section>
  );
}

export function ChannelView({ channel, onChanged, onRead }: { channel: Channel; onChanged: () => void; onRead: () => void }) {
  const { t } = useTranslation();
  const { me, connection } = useSession();
  const [msgs, setMsgs] = useState<Msgs>(new Map());
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [thread, setThread] = useState<Message | null>(null);
  const [announce, setAnnounce] = useState('');
  const [error, setError] = useState<unknown>(null);
  const lastRead = useRef(channel.lastReadSeq);
  const seen = useRef(new Set<string>());

  const loadNewest = useCallback(() => get<HistoryPage>(`/api/messaging/channels/${channel.id}/messages`, { limit: 50 }).then((p) => {
    for (const i of p.items) seen.current.add(i.id);
    setMsgs((m) => merge(m, p.items));
    setNextBefore((n) => n ?? p.nextBefore);
  }, setError), [channel.id]);
  const loadMembers = useCallback(() => get<{ items: Member[] }>(`/api/messaging/channels/${channel.id}/members`).then((r) => setMembers(r.items), setError), [channel.id]);
  useEffect(() => { void loadNewest(); void loadMembers(); }, [loadNewest, loadMembers]);

  useFeed(connection, {
    onEvent: (e) => {
      const m = e.message;
      if (m.channelId !== channel.id) return;
      if (m.authorId && !members.some((x) => x.userId === m.authorId)) void loadMembers(); // someone new spoke
      if (m.threadRootId) {
        if (e.kind === 'created' && !seen.current.has(m.id)) {
          seen.current.add(m.id);
          setMsgs((s) => { const root = s.get(m.threadRootId!); return root ? merge(s, [{ ...root, replyCount: (root.replyCount ?? 0) + 1 }]) : s; });
        }
        return;
      }
      seen.current.add(m.id);
      setMsgs((s) => merge(s, [m]));
      if (e.kind === 'created' && m.authorId !== me?.user.id) setAnnounce(t('messaging.newMessage', { author: m.authorName ?? t('messaging.someone') }));
    },
    onSubscribed: () => void loadNewest(),
  });

  const list = useMemo(() => sorted(msgs), [msgs]);
  const names = useMemo(() => new Map(members.map((m) => [m.userId, m.displayName])), [members]);

  // Read marker: the newest message shown, while the tab is visible.
  useEffect(() => {
    const top = list.length ? list[list.length - 1]!.seq : 0;
    if (!channel.member || top <= lastRead.current) return;
    const mark = () => {
      if (document.visibilityState !== 'visible' || top <= lastRead.current) return;
      lastRead.current = top;
      post(`/api/messaging/channels/${channel.id}/read`, { seq: top }).then(onRead, () => { lastRead.current = 0; });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [list, channel.id, channel.member, onRead]);

  const older = () => nextBefore && get<HistoryPage>(`/api/messaging/channels/${channel.id}/messages`, { before: nextBefore, limit: 50 })
    .then((p) => { setMsgs((m) => merge(m, p.items)); setNextBefore(p.nextBefore); }, setError);

  return (
    <section aria-labelledby="channel-title" className="space-y-4">
      <header className="space-y-1">
        <h2 id="channel-title" className="flex flex-wrap items-center gap-2 text-xl font-semibold text-slate-900">
          # {channel.name} <TlpBadge tlp={channel.defaultTlp} />
        </h2>
        <p className="text-sm text-slate-700">
          {t(`messaging.kinds.${channel.kind}`)} · {t(`messaging.access.${channel.access}`)}{channel.topic ? ` · ${channel.topic}` : ''}
        </p>
      </header>
      <ChannelMembers channel={channel} members={members} onChanged={() => { void loadMembers(); onChanged(); }} />
      <ErrorNotice error={error} />
      <p aria-live="polite" className="sr-only">{announce}</p>
      {nextBefore !== null && <Button variant="secondary" onPress={() => void older()}>{t('messaging.older')}</Button>}
      {list.length === 0 && <p className="text-slate-700">{t('messaging.empty')}</p>}
      <ol aria-label={t('messaging.messagesIn', { channel: channel.name })} className="space-y-2">
        {list.map((m) => (
          <li key={m.id}>
            <MessageItem m={m} channel={channel} names={names} onReply={setThread} onChanged={(x) => setMsgs((s) => merge(s, [x]))} />
          </li>
        ))}
      </ol>
      {thread && <Thread key={thread.id} root={thread} channel={channel} members={members} names={names} refreshMembers={loadMembers} onClose={() => setThread(null)} />}
      {!thread && <Composer channel={channel} members={members} refreshMembers={loadMembers} onPosted={(m) => { seen.current.add(m.id); setMsgs((s) => merge(s, [m])); if (!channel.member) onChanged(); }} />}
    </section>
  );
}
