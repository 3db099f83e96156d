/** Sections of the case page: tasks, timeline, links, attachments, observables (each reloads the case after a change). */
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, currentCsrfToken, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Field, Form } from '../../components/ui.tsx';
import { type CaseDetail, linkClass, Section, StatusBadge, TextArea, useLabels } from './shared.tsx';

type Props = { c: CaseDetail; reload: () => void };

export function Tasks({ c, reload }: Props) {
  const { t, i18n } = useTranslation();
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const add = async () => {
    setError(null);
    try {
      await post(`/api/incidents/cases/${c.id}/tasks`, { title, ...(due ? { dueAt: new Date(due).toISOString() } : {}) });
      setTitle(''); setDue(''); reload();
    } catch (e) { setError(e); }
  };
  const toggle = (id: string, done: boolean) => api('PATCH', `/api/incidents/cases/${c.id}/tasks/${id}`, { done }).then(reload, setError);
  return (
    <Section title={t('incidents.tasks')} id="tasks-h">
      {c.tasks.length === 0 && <p className="text-sm text-slate-700">{t('incidents.noTasks')}</p>}
      <ul className="space-y-1">
        {c.tasks.map((k) => (
          <li key={k.id} className="flex flex-wrap items-center gap-2 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={!!k.doneAt} disabled={!c.permissions.works} onChange={(e) => void toggle(k.id, e.target.checked)} />
              <span className={k.doneAt ? 'line-through' : ''}>{k.title}</span>
            </label>
            {k.dueAt && <span className="text-xs text-slate-700">{t('incidents.due', { when: formatDateTime(k.dueAt, i18n.language) })}</span>}
          </li>
        ))}
      </ul>
      {c.permissions.works && (
        <Form className="mt-3 flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <Field label={t('incidents.taskTitle')} value={title} onChange={setTitle} isRequired />
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('incidents.dueDate')}
            <input type="datetime-local" className="rounded border border-slate-400 px-3 py-2" value={due} onChange={(e) => setDue(e.target.value)} />
          </label>
          <Button type="submit" variant="secondary">{t('incidents.addTask')}</Button>
        </Form>
      )}
      <ErrorNotice error={error} />
    </Section>
  );
}

function entryText(t: (k: string, o?: Record<string, unknown>) => string, e: CaseDetail['timeline'][number]): string {
  if (e.kind === 'note') return e.body;
  const ev = e.event ?? '';
  const data = (e.data ?? {}) as Record<string, unknown>;
  if (ev.startsWith('field.')) return t('incidents.event.field', { field: ev.slice(6) });
  if (ev === 'status') return t('incidents.event.status', { from: t(`incidents.caseStatus.${String(data.from)}`), to: t(`incidents.caseStatus.${String(data.to)}`) }) + (data.reason ? ` — ${String(data.reason)}` : '');
  const known = ['created', 'participant.added', 'participant.removed', 'task.added', 'task.done', 'task.reopened', 'task.changed', 'link.added', 'attachment.added',
    'observables.added', 'constituency.notified', 'report.merged', 'assistance.requested'];
  const text = known.includes(ev) ? t(`incidents.event.${ev.replace('.', '_')}`, { name: data.name ?? '', title: data.title ?? '', filename: data.filename ?? '', count: data.count ?? 0 }) : ev;
  return e.body ? `${text} — ${e.body}` : text;
}

export function Timeline({ c, reload }: Props) {
  const { t, i18n } = useTranslation();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const add = async () => {
    setError(null);
    try { await post(`/api/incidents/cases/${c.id}/notes`, { body, internal }); setBody(''); reload(); } catch (e) { setError(e); }
  };
  return (
    <Section title={t('incidents.timeline')} id="timeline-h">
      <ol className="space-y-2">
        {c.timeline.map((e) => (
          <li key={e.id} className="border-l-2 border-slate-300 pl-3 text-sm" data-kind={e.kind}>
            <p className="text-xs text-slate-700">{formatDateTime(e.at, i18n.language)}{e.authorName ? ` · ${e.authorName}` : ''}{e.internal ? ` · ${t('incidents.internal')}` : ''}</p>
            <p className="whitespace-pre-wrap text-slate-900">{entryText(t, e)}</p>
          </li>
        ))}
      </ol>
      {c.permissions.works && (
        <Form className="mt-3 space-y-2" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <TextArea label={t('incidents.note')} value={body} onChange={setBody} rows={3} />
          {c.permissions.internal && (
            <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />{t('incidents.internalNote')}</label>
          )}
          <Button type="submit" variant="secondary">{t('incidents.addNote')}</Button>
        </Form>
      )}
      <ErrorNotice error={error} />
    </Section>
  );
}

export function Links({ c, reload }: Props) {
  const { t } = useTranslation();
  const [other, setOther] = useState('');
  const [error, setError] = useState<unknown>(null);
  const add = async () => {
    setError(null);
    try { await post(`/api/incidents/cases/${c.id}/links`, { otherCaseId: other.trim(), relation: 'related' }); setOther(''); reload(); } catch (e) { setError(e); }
  };
  return (
    <Section title={t('incidents.links')} id="links-h">
      {c.links.length === 0 && <p className="text-sm text-slate-700">{t('incidents.noLinks')}</p>}
      <ul className="space-y-1 text-sm">
        {c.links.map((k) => (
          <li key={k.otherCaseId}>{t(`incidents.relation.${k.relation}`)}: <Link className={linkClass} to={`/incidents/cases/${k.otherCaseId}`}>{k.reference} — {k.title}</Link> <StatusBadge status={k.status} /></li>
        ))}
      </ul>
      {c.permissions.owner && (
        <Form className="mt-3 flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <Field label={t('incidents.linkCaseId')} value={other} onChange={setOther} />
          <Button type="submit" variant="secondary">{t('incidents.addLink')}</Button>
        </Form>
      )}
      <ErrorNotice error={error} />
    </Section>
  );
}

export function Attachments({ c, reload }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const upload = async (file: File) => {
    setError(null);
    const res = await fetch(`/api/incidents/cases/${c.id}/attachments?filename=${encodeURIComponent(file.name)}`, {
      method: 'POST', credentials: 'same-origin', body: file, headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': currentCsrfToken() ?? '' },
    }).catch(() => null);
    if (!res || !res.ok) setError(new Error('upload')); else reload();
  };
  return (
    <Section title={t('incidents.attachments')} id="attachments-h">
      {c.attachments.length === 0 && <p className="text-sm text-slate-700">{t('incidents.noAttachments')}</p>}
      <ul className="space-y-1 text-sm">
        {c.attachments.map((a) => <li key={a.id}><a className={linkClass} href={`/api/incidents/cases/${c.id}/attachments/${a.id}`} download>{a.filename}</a></li>)}
      </ul>
      {c.permissions.works && (
        <label className="mt-3 flex flex-col gap-1 text-sm font-medium text-slate-800">{t('incidents.attachFile')}
          <input type="file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); }} />
        </label>
      )}
      <ErrorNotice error={error} />
    </Section>
  );
}

export function Observables({ c, reload }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const extract = async () => {
    setError(null);
    try { await post(`/api/incidents/cases/${c.id}/observables`, { text }); setText(''); reload(); } catch (e) { setError(e); }
  };
  const teams = [...new Map(c.observables.flatMap((o) => o.teams).map((x) => [x.id, x])).values()];
  const notifyTeams = () => post(`/api/incidents/cases/${c.id}/notify-teams`, { orgIds: teams.map((x) => x.id) }).then(reload, setError);
  return (
    <Section title={t('incidents.observables')} id="observables-h">
      {c.observables.length === 0 && <p className="text-sm text-slate-700">{t('incidents.noObservables')}</p>}
      {c.observables.length > 0 && (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('incidents.observables')}</caption>
          <thead><tr><th className="p-1">{t('incidents.obsKind')}</th><th className="p-1">{t('incidents.obsValue')}</th><th className="p-1">{t('incidents.suggestedTeams')}</th></tr></thead>
          <tbody>
            {c.observables.map((o) => (
              <tr key={o.id} className="border-t border-slate-100"><td className="p-1 font-mono">{o.kind}</td><td className="break-all p-1 font-mono">{o.value}</td><td className="p-1">{o.teams.map((x) => x.name).join(', ') || '—'}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {c.permissions.owner && teams.length > 0 && <Button className="mt-2" variant="secondary" onPress={() => void notifyTeams()}>{t('incidents.notifyTeams')}</Button>}
      {c.permissions.works && (
        <Form className="mt-3 space-y-2" onSubmit={(e) => { e.preventDefault(); void extract(); }}>
          <TextArea label={t('incidents.extractFrom')} value={text} onChange={setText} rows={3} description={t('incidents.extractHelp')} />
          <Button type="submit" variant="secondary">{t('incidents.extract')}</Button>
        </Form>
      )}
      <ErrorNotice error={error} />
    </Section>
  );
}

export function Participants({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const l = useLabels();
  return (
    <Section title={t('incidents.participants')} id="participants-h">
      <ul className="space-y-1 text-sm">
        <li>{c.owner?.name} — {t('incidents.ownerRole')}</li>
        {c.participants.map((p) => <li key={p.orgId} data-participant={p.orgId}>{p.name}{p.countryCode ? ` (${p.countryCode})` : ''} — {l.role(p.role)}</li>)}
      </ul>
    </Section>
  );
}
