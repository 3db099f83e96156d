/** Coordinators: start a contact check (all teams or a sharing group), schedule it, read the reports. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, Card, ErrorNotice, Form, Notice, Page } from '../../components/ui.tsx';
import { selectClass } from './types.ts';

type Check = { id: string; startedAt: string; requests: number; answered: number; teams: number };
type Report = { unreachable: { orgId: string; name: string; asked: number }[]; teams: { orgId: string; name: string; reachable: boolean; contacts: { requestId: string; name: string | null; email: string; answeredAt: string | null }[] }[] };

export default function ContactChecks() {
  const { t, i18n } = useTranslation();
  const [checks, setChecks] = useState<Check[]>([]);
  const [groups, setGroups] = useState<{ id: string; name: string }[]>([]);
  const [scope, setScope] = useState('all');
  const [report, setReport] = useState<Report | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => get<{ items: Check[] }>('/api/directory/contact-checks').then((r) => setChecks(r.items), setError);
  useEffect(() => {
    void load();
    get<{ items: { id: string; name: string }[] }>('/api/sharing-groups').then((r) => setGroups(r.items), setError);
  }, []);
  const body = () => (scope === 'all' ? { scope: 'all' } : { scope: 'group', sharingGroupId: scope });
  return (
    <Page title={t('directory.checksTitle')}>
      <ErrorNotice error={error} />
      {notice && <Notice>{notice}</Notice>}
      <Card>
        <Form className="flex flex-wrap items-end gap-3" onSubmit={(e) => {
          e.preventDefault();
          void post<{ requests: number }>('/api/directory/contact-checks', body()).then((r) => { setNotice(t('directory.checkStarted', { n: r.requests })); void load(); }, setError);
        }}>
          <label className="flex flex-col text-sm font-medium text-slate-800">{t('directory.checkScope')}
            <select className={selectClass} value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="all">{t('directory.scopeAll')}</option>
              {groups.map((g) => <option key={g.id} value={g.id}>{t('directory.scopeGroup', { name: g.name })}</option>)}
            </select>
          </label>
          <Button type="submit">{t('directory.startCheck')}</Button>
          <Button variant="secondary" onPress={() => post('/api/directory/contact-check-schedules', { ...body(), everyMonths: 3 }).then(() => setNotice(t('directory.scheduled')), setError)}>{t('directory.schedule')}</Button>
        </Form>
      </Card>
      <Card>
        <ul className="divide-y divide-slate-100 text-sm">
          {checks.map((c) => (
            <li key={c.id} className="flex items-center gap-3 py-2">
              <span className="flex-1">{t('directory.checkRow', { date: formatDateTime(c.startedAt, i18n.language), answered: c.answered, requests: c.requests })}</span>
              <Button variant="secondary" onPress={() => get<Report>(`/api/directory/contact-checks/${c.id}`).then(setReport, setError)}>{t('directory.report')}</Button>
            </li>
          ))}
        </ul>
      </Card>
      {report && (
        <Card title={t('directory.unreachable')}>
          {report.unreachable.length === 0 ? <p>{t('directory.allReachable')}</p> : (
            <ul className="mb-3 list-disc pl-5 text-sm">{report.unreachable.map((u) => <li key={u.orgId}>{u.name}</li>)}</ul>
          )}
          <ul className="text-sm">
            {report.teams.map((tm) => (
              <li key={tm.orgId} className="py-1"><span className="font-medium">{tm.name}</span>
                <ul className="pl-4">{tm.contacts.map((c) => <li key={c.requestId}>{c.name ?? c.email} · {c.answeredAt ? `${t('directory.reachable')} ${formatDateTime(c.answeredAt, i18n.language)}` : t('directory.notAnswered')}</li>)}</ul>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </Page>
  );
}
