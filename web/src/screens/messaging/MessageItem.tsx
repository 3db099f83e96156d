/**
 * One message: author, time, TLP, the text, attachments, thread and actions (reply, edit, delete,
 * mark urgent — each shown only where the server's rules allow it; the server decides again).
 *
 * The body is `message.html`, which the SERVER renders from Markdown with raw HTML disabled and
 * only http/https/mailto links (src/messaging/markdown.ts). It is the only HTML inserted here, and
 * never anything typed in this browser: a draft is shown as text until the server has rendered it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { formatBytes, formatDateTime } from '../../format.ts';
import { Button, ErrorNotice } from '../../components/ui.tsx';
import { TlpBadge } from './TlpBadge.tsx';
import type { Channel, Message } from './types.ts';

const areaClass = 'w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';
const linkButton = 'text-sm text-blue-800 underline hover:text-blue-950 focus-visible:outline-2 focus-visible:outline-blue-700';

export function MessageItem({ m, channel, onReply, onChanged, names }: {
  m: Message; channel: Channel; onReply?: (m: Message) => void; onChanged: (m: Message) => void; names: Map<string, string>;
}) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(m.body);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [history, setHistory] = useState<{ body: string; editedAt: string }[] | null>(null);
  const [alerted, setAlerted] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mine = !!me && m.authorId === me.user.id;
  const when = formatDateTime(m.createdAt, i18n.language, me?.user.timeZone);

  if (m.deleted) {
    return (
      <article data-message-id={m.id} aria-label={t('messaging.message.deletedLabel')} className="rounded border border-dashed border-slate-400 bg-slate-50 px-3 py-2">
        <p className="text-sm italic text-slate-700">{t('messaging.message.deleted')} · <time dateTime={m.createdAt}>{when}</time></p>
      </article>
    );
  }
  const recipients = m.recipientUserIds.map((id) => names.get(id) ?? t('messaging.someone')).join(', ');
  return (
    <article data-message-id={m.id} aria-label={t('messaging.message.label', { author: m.authorName ?? t('messaging.someone'), when })}
      className={`rounded border bg-white px-3 py-2 ${m.urgent ? 'border-red-700 ring-1 ring-red-700' : 'border-slate-200'}`}>
      <header className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold text-slate-900">{m.authorName ?? t('messaging.someone')}</span>
        <time dateTime={m.createdAt} className="text-slate-700">{when}</time>
        <TlpBadge tlp={m.tlp} />
        {m.urgent && <span className="rounded bg-red-800 px-2 text-xs font-semibold text-white">{t('messaging.message.urgent')}</span>}
        {m.edited && (
          <button type="button" className={linkButton} onClick={() => (history ? setHistory(null) : get<{ items: { body: string; editedAt: string }[] }>(`/api/messaging/messages/${m.id}/edits`).then((r) => setHistory(r.items), setError))}>
            {t('messaging.message.edited')}
          </button>
        )}
      </header>
      {m.tlp === 'red' && <p className="text-xs text-red-900">{t('messaging.message.onlyFor', { names: recipients })}</p>}
      {editing ? (
        <form className="mt-2 space-y-2" onSubmit={(e) => {
          e.preventDefault();
          api<Message>('PATCH', `/api/messaging/messages/${m.id}`, { body: draft }).then((x) => { onChanged(x); setEditing(false); }, setError);
        }}>
          <label htmlFor={`edit-${m.id}`} className="sr-only">{t('messaging.message.editLabel')}</label>
          <textarea id={`edit-${m.id}`} className={areaClass} rows={3} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <div className="flex gap-2">
            <Button type="submit">{t('common.save')}</Button>
            <Button variant="secondary" onPress={() => { setEditing(false); setDraft(m.body); }}>{t('messaging.cancel')}</Button>
          </div>
        </form>
      ) : (
        // Server-sanitised HTML (see the comment at the top of this file).
        <div className="message-body prose-sm mt-1 break-words text-slate-900 [&_a]:text-blue-800 [&_a]:underline" lang={m.lang} dangerouslySetInnerHTML={{ __html: m.html }} />
      )}
      {history && (
        <div className="mt-2 rounded bg-slate-50 p-2 text-sm">
          <p className="font-medium">{t('messaging.message.earlier')}</p>
          <ol className="list-decimal pl-5">
            {history.map((h, i) => <li key={i}><span className="whitespace-pre-wrap">{h.body}</span> <span className="text-slate-700">({formatDateTime(h.editedAt, i18n.language, me?.user.timeZone)})</span></li>)}
          </ol>
        </div>
      )}
      {m.attachments.length > 0 && (
        <ul aria-label={t('messaging.attachments.label')} className="mt-2 space-y-1 text-sm">
          {m.attachments.map((a) => (
            <li key={a.id}>
              <a href={`/api/messaging/attachments/${a.id}`} download={a.filename} className="text-blue-800 underline">{a.filename}</a>
              <span className="text-slate-700"> · {formatBytes(a.size, i18n.language)}</span>
            </li>
          ))}
        </ul>
      )}
      <footer className="mt-2 flex flex-wrap items-center gap-3">
        {onReply && (
          <button type="button" className={linkButton} onClick={() => onReply(m)}>
            {m.replyCount ? t('messaging.message.replies', { count: m.replyCount }) : t('messaging.message.reply')}
          </button>
        )}
        {mine && !editing && <button type="button" className={linkButton} onClick={() => { setDraft(m.body); setEditing(true); }}>{t('messaging.message.edit')}</button>}
        {(mine || channel.canManage) && !confirmDelete && <button type="button" className={linkButton} onClick={() => setConfirmDelete(true)}>{t('messaging.message.delete')}</button>}
        {confirmDelete && (
          <span className="flex items-center gap-2 text-sm">
            {t('messaging.message.confirmDelete')}
            <Button variant="danger" onPress={() => api('DELETE', `/api/messaging/messages/${m.id}`).then(() => onChanged({ ...m, deleted: true, body: '', html: '', attachments: [] }), setError)}>
              {t('messaging.message.delete')}
            </Button>
            <Button variant="secondary" onPress={() => setConfirmDelete(false)}>{t('messaging.cancel')}</Button>
          </span>
        )}
        {channel.canUrgent && !m.urgent && (
          <button type="button" className={linkButton} onClick={() => api<{ alerted: number }>('POST', `/api/messaging/messages/${m.id}/urgent`, {})
            .then((r) => { setAlerted(r.alerted); onChanged({ ...m, urgent: true }); }, setError)}>
            {t('messaging.message.markUrgent')}
          </button>
        )}
        {alerted !== null && <span role="status" className="text-sm text-green-900">{t('messaging.message.alerted', { count: alerted })}</span>}
      </footer>
      <ErrorNotice error={error} />
    </article>
  );
}
