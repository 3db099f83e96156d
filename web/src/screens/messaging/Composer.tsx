/**
 * Writing a message: Markdown text, TLP (never below the channel's default), named recipients
 * for TLP:RED, mentions of people and organisations, attachments (uploaded first, raw bytes; the
 * server sniffs the type). Ctrl+Enter sends.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, currentCsrfToken, get, post } from '../../api.ts';
import type { OrgSummary } from '../../api-types.ts';
import { useSession } from '../../session.tsx';
import { formatBytes } from '../../format.ts';
import { Button, ErrorNotice } from '../../components/ui.tsx';
import { selectClass } from '../reports/shared.tsx';
import { TLPS, tlpLabel, tlpRank, type Attachment, type Channel, type Member, type Message } from './types.ts';

async function upload(file: File): Promise<Attachment> {
  const res = await fetch(`/api/messaging/attachments?filename=${encodeURIComponent(file.name)}`, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { 'content-type': 'application/octet-stream', accept: 'application/json', 'x-csrf-token': currentCsrfToken() ?? '' },
  }).catch(() => null);
  if (!res) throw new ApiError({ status: 0, code: 'network' });
  const data = (await res.json().catch(() => ({}))) as Attachment & { code?: string };
  if (!res.ok) throw new ApiError({ status: res.status, code: data.code ?? 'internal' });
  return data;
}

export function Composer({ channel, members, refreshMembers, replyTo, onPosted }: {
  channel: Channel; members: Member[]; refreshMembers: () => void; replyTo?: Message; onPosted: (m: Message) => void;
}) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const id = useId();
  const [body, setBody] = useState('');
  const [tlp, setTlp] = useState(channel.defaultTlp);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [mentionUsers, setMentionUsers] = useState<Member[]>([]);
  const [mentionOrgs, setMentionOrgs] = useState<OrgSummary[]>([]);
  const [orgs, setOrgs] = useState<OrgSummary[]>([]);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [needRecipients, setNeedRecipients] = useState(false);

  useEffect(() => {
    get<{ items: OrgSummary[] }>('/api/orgs').then((r) => setOrgs(channel.scopeOrgIds.length ? r.items.filter((o) => channel.scopeOrgIds.includes(o.id)) : r.items), () => setOrgs([]));
  }, [channel.scopeOrgIds]);

  const send = async () => {
    if (!body.trim() || busy) return;
    if (tlp === 'red' && recipients.length === 0) {
      setNeedRecipients(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const m = await post<Message>(`/api/messaging/channels/${channel.id}/messages`, {
        body, tlp, lang: i18n.language,
        ...(tlp === 'red' ? { recipientUserIds: recipients } : {}),
        ...(replyTo ? { replyToId: replyTo.id } : {}),
        ...(mentionUsers.length ? { mentionUserIds: mentionUsers.map((u) => u.userId) } : {}),
        ...(mentionOrgs.length ? { mentionOrgIds: mentionOrgs.map((o) => o.id) } : {}),
        ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}),
      });
      // Each message is marked on purpose: the next one starts again from the channel's default.
      setBody(''); setFiles([]); setMentionUsers([]); setMentionOrgs([]); setNeedRecipients(false); setTlp(channel.defaultTlp); setRecipients([]);
      onPosted(m);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const others = members.filter((m) => m.userId !== me?.user.id);
  const label = replyTo ? t('messaging.composer.replyLabel') : t('messaging.composer.label', { channel: channel.name });
  return (
    <form className="space-y-3 rounded border border-slate-200 bg-white p-3" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-body`} className="text-sm font-medium text-slate-800">{label}</label>
        <textarea id={`${id}-body`} rows={3} value={body} onChange={(e) => setBody(e.target.value)} aria-describedby={`${id}-hint`}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void send(); } }}
          className="rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-700" />
        <p id={`${id}-hint`} className="text-xs text-slate-600">{t('messaging.composer.hint')}</p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-tlp-select`} className="text-sm font-medium text-slate-800">{t('messaging.composer.tlp')}</label>
          <select id={`${id}-tlp-select`} className={selectClass} value={tlp} onChange={(e) => { setTlp(e.target.value); if (e.target.value === 'red') refreshMembers(); }} aria-describedby={`${id}-tlp`}>
            {TLPS.filter((x) => tlpRank(x) >= tlpRank(channel.defaultTlp)).map((x) => <option key={x} value={x}>{tlpLabel(x)}</option>)}
          </select>
        </div>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('messaging.composer.mentionPerson')}
          <select className={selectClass} value="" onChange={(e) => {
            const who = members.find((m) => m.userId === e.target.value);
            if (who && !mentionUsers.some((u) => u.userId === who.userId)) { setMentionUsers([...mentionUsers, who]); setBody((b) => `${b}${b && !b.endsWith(' ') ? ' ' : ''}@${who.displayName} `); }
          }}>
            <option value="">—</option>
            {others.map((m) => <option key={m.userId} value={m.userId}>{m.displayName}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('messaging.composer.mentionOrg')}
          <select className={selectClass} value="" onChange={(e) => {
            const o = orgs.find((x) => x.id === e.target.value);
            if (o && !mentionOrgs.some((x) => x.id === o.id)) { setMentionOrgs([...mentionOrgs, o]); setBody((b) => `${b}${b && !b.endsWith(' ') ? ' ' : ''}@${o.shortName ?? o.name} `); }
          }}>
            <option value="">—</option>
            {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </label>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-file`} className="text-sm font-medium text-slate-800">{t('messaging.attachments.add')}</label>
          <input id={`${id}-file`} type="file" multiple className="text-sm" onChange={(e) => {
            const list = [...(e.target.files ?? [])];
            e.target.value = '';
            setError(null);
            Promise.all(list.map(upload)).then((up) => setFiles((f) => [...f, ...up]), setError);
          }} />
        </div>
      </div>
      <p id={`${id}-tlp`} className="text-xs text-slate-600">{t('messaging.composer.tlpHint', { tlp: tlpLabel(channel.defaultTlp) })}</p>
      {tlp === 'red' && (
        <fieldset className="rounded border border-red-800 p-2" aria-describedby={`${id}-red`}>
          <legend className="px-1 text-sm font-medium text-red-900">{t('messaging.composer.recipients')}</legend>
          <p id={`${id}-red`} className="text-xs text-slate-700">{t('messaging.composer.recipientsHint')}</p>
          {others.length === 0 && <p className="text-sm text-slate-700">{t('messaging.composer.noRecipients')}</p>}
          <ul className="flex flex-wrap gap-3">
            {others.map((m) => (
              <li key={m.userId}>
                <label className="flex items-center gap-1 text-sm">
                  <input type="checkbox" checked={recipients.includes(m.userId)}
                    onChange={(e) => setRecipients(e.target.checked ? [...recipients, m.userId] : recipients.filter((x) => x !== m.userId))} />
                  {m.displayName}
                </label>
              </li>
            ))}
          </ul>
          {needRecipients && <p role="alert" className="text-sm text-red-900">{t('messaging.composer.pickRecipients')}</p>}
        </fieldset>
      )}
      {(mentionUsers.length > 0 || mentionOrgs.length > 0) && (
        <ul aria-label={t('messaging.composer.mentions')} className="flex flex-wrap gap-2 text-sm">
          {[...mentionUsers.map((u) => ({ id: u.userId, name: u.displayName, drop: () => setMentionUsers(mentionUsers.filter((x) => x !== u)) })),
            ...mentionOrgs.map((o) => ({ id: o.id, name: o.name, drop: () => setMentionOrgs(mentionOrgs.filter((x) => x !== o)) }))].map((x) => (
            <li key={x.id} className="flex items-center gap-1 rounded bg-slate-100 px-2">
              @{x.name}
              <button type="button" onClick={x.drop} aria-label={t('messaging.composer.removeMention', { name: x.name })} className="text-slate-800">×</button>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul aria-label={t('messaging.attachments.label')} className="space-y-1 text-sm">
          {files.map((f) => (
            <li key={f.id} className="flex items-center gap-2">
              {f.filename} · {formatBytes(f.size, i18n.language)}
              <button type="button" className="text-blue-800 underline" onClick={() => setFiles(files.filter((x) => x !== f))}>{t('messaging.attachments.remove', { name: f.filename })}</button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={error} />
      <Button type="submit" isDisabled={busy || !body.trim()}>{t('messaging.composer.send')}</Button>
    </form>
  );
}
