/** Full-text search (en, es, pt, fr) over the messages the server lets me read. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Field, Form } from '../../components/ui.tsx';
import { TlpBadge } from './TlpBadge.tsx';
import type { Message } from './types.ts';

export function SearchPanel() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Message[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <section aria-labelledby="search-title" className="space-y-3">
      <h2 id="search-title" className="text-xl font-semibold text-slate-900">{t('messaging.search.title')}</h2>
      <Form role="search" className="flex flex-wrap items-end gap-3" onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) get<{ items: Message[] }>('/api/messaging/search', { q }).then((r) => setItems(r.items), setError);
      }}>
        <Field label={t('messaging.search.label')} value={q} onChange={setQ} type="search" />
        <Button type="submit">{t('messaging.search.submit')}</Button>
      </Form>
      <ErrorNotice error={error} />
      {items && <p role="status" className="text-sm text-slate-700">{t('messaging.search.found', { count: items.length })}</p>}
      <ol aria-label={t('messaging.search.results')} className="space-y-2">
        {items?.map((m) => (
          <li key={m.id} className="rounded border border-slate-200 bg-white px-3 py-2">
            <p className="flex flex-wrap items-center gap-2 text-sm">
              <Link to={`/messages/${m.channelId}`} className="font-medium text-blue-800 underline"># {m.channelName}</Link>
              <span>{m.authorName ?? t('messaging.someone')}</span>
              <time dateTime={m.createdAt} className="text-slate-700">{formatDateTime(m.createdAt, i18n.language, me?.user.timeZone)}</time>
              <TlpBadge tlp={m.tlp} />
            </p>
            {/* Server-sanitised HTML (src/messaging/markdown.ts), as in MessageItem. */}
            <div className="mt-1 break-words text-slate-900 [&_a]:text-blue-800 [&_a]:underline" lang={m.lang} dangerouslySetInnerHTML={{ __html: m.html }} />
          </li>
        ))}
      </ol>
    </section>
  );
}
