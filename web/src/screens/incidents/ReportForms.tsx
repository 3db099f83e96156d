/**
 * Reporting an incident: members report to a team (signed in); the public reports through a form
 * whose report waits until the e-mailed link is opened (the confirmation page reads the token from
 * the URL fragment, which never reaches a server log).
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { Button, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import { linkClass, type MemberReportBody, type PublicReportBody, REGIONAL_CLASSES, Select, TextArea, useLabels } from './shared.tsx';

type Team = { orgId: string; name: string; countryCode: string | null };

function useTeams(path: string) {
  const [teams, setTeams] = useState<Team[]>([]);
  useEffect(() => { get<{ items: Team[] }>(path).then((r) => setTeams(r.items), () => setTeams([])); }, [path]);
  return teams;
}

const teamOptions = (teams: Team[], first: string): [string, string][] => [['', first], ...teams.map((x) => [x.orgId, `${x.name}${x.countryCode ? ` (${x.countryCode})` : ''}`] as [string, string])];

export function MemberReport() {
  const { t } = useTranslation();
  const l = useLabels();
  const teams = useTeams('/api/directory/teams');
  const [f, setF] = useState({ toOrgId: '', title: '', description: '', classification: '', tlp: 'amber' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      const body: MemberReportBody = { toOrgId: f.toOrgId, title: f.title, description: f.description, tlp: f.tlp as MemberReportBody['tlp'], ...(f.classification ? { classification: f.classification as MemberReportBody['classification'] } : {}) };
      const r = await post<{ id: string }>('/api/incidents/reports', body);
      setDone(r.id);
    } catch (e) { setError(e); }
  };
  return (
    <Page title={t('incidents.reportTitle')}>
      <p className="text-sm text-slate-700">{t('incidents.reportIntro')}</p>
      {done ? <Notice>{t('incidents.reportSent')}</Notice> : (
        <Form className="max-w-2xl space-y-4" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Select label={t('incidents.toTeam')} value={f.toOrgId} onChange={(toOrgId) => setF({ ...f, toOrgId })} options={teamOptions(teams, t('incidents.chooseTeam'))} />
          <Field label={t('incidents.titleLabel')} value={f.title} onChange={(title) => setF({ ...f, title })} isRequired />
          <TextArea label={t('incidents.description')} value={f.description} onChange={(description) => setF({ ...f, description })} rows={6} />
          <Select label={t('incidents.classificationLabel')} value={f.classification} onChange={(classification) => setF({ ...f, classification })}
            options={[['', t('incidents.unknownClass')], ...REGIONAL_CLASSES.map((c) => [c, l.cls(c)] as [string, string])]} />
          <Select label="TLP" value={f.tlp} onChange={(tlp) => setF({ ...f, tlp })} options={['clear', 'green', 'amber', 'amber+strict'].map((x) => [x, `TLP:${x.toUpperCase()}`])} />
          <ErrorNotice error={error} />
          <Button type="submit">{t('incidents.sendReport')}</Button>
        </Form>
      )}
    </Page>
  );
}

export function PublicReport() {
  const { t, i18n } = useTranslation();
  const l = useLabels();
  const teams = useTeams('/api/directory/public');
  const [f, setF] = useState({ toOrgId: '', name: '', email: '', title: '', description: '', classification: '' });
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const submit = async () => {
    setError(null);
    try {
      const lang = (['en', 'es', 'pt', 'fr'].includes(i18n.language) ? i18n.language : 'en') as PublicReportBody['locale'];
      const body: PublicReportBody = {
        email: f.email, title: f.title, description: f.description, locale: lang,
        ...(f.toOrgId ? { toOrgId: f.toOrgId } : {}), ...(f.name.trim() ? { name: f.name.trim() } : {}), ...(f.classification ? { classification: f.classification as PublicReportBody['classification'] } : {}),
      };
      await post('/api/public/incident-reports', body);
      setSent(true);
    } catch (e) { setError(e); }
  };
  return (
    <Page title={t('incidents.publicReportTitle')}>
      <p className="text-sm text-slate-700">{t('incidents.publicReportIntro')}</p>
      {sent ? <Notice>{t('incidents.checkEmail', { email: f.email })}</Notice> : (
        <Form className="max-w-2xl space-y-4" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Select label={t('incidents.toTeamOptional')} value={f.toOrgId} onChange={(toOrgId) => setF({ ...f, toOrgId })} options={teamOptions(teams, t('incidents.letHubRoute'))} />
          <Field label={t('incidents.yourName')} value={f.name} onChange={(name) => setF({ ...f, name })} />
          <Field label={t('incidents.yourEmail')} type="email" value={f.email} onChange={(email) => setF({ ...f, email })} isRequired description={t('incidents.emailWhy')} />
          <Field label={t('incidents.titleLabel')} value={f.title} onChange={(title) => setF({ ...f, title })} isRequired />
          <TextArea label={t('incidents.description')} value={f.description} onChange={(description) => setF({ ...f, description })} rows={6} />
          <Select label={t('incidents.classificationLabel')} value={f.classification} onChange={(classification) => setF({ ...f, classification })}
            options={[['', t('incidents.unknownClass')], ...REGIONAL_CLASSES.map((c) => [c, l.cls(c)] as [string, string])]} />
          <ErrorNotice error={error} />
          <Button type="submit">{t('incidents.sendReport')}</Button>
        </Form>
      )}
    </Page>
  );
}

export function ConfirmReport() {
  const { t } = useTranslation();
  const [state, setState] = useState<'working' | 'done'>('working');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const token = window.location.hash.replace(/^#/, '');
    if (!token) { setError(new Error('missing')); return; }
    post('/api/public/incident-reports/confirm', { token }).then(() => setState('done'), setError);
  }, []);
  return (
    <Page title={t('incidents.confirmTitle')}>
      <ErrorNotice error={error} />
      {!error && state === 'working' && <p role="status">{t('common.loading')}</p>}
      {state === 'done' && <Notice>{t('incidents.confirmed')}</Notice>}
      <Link to="/report" className={linkClass}>{t('incidents.reportAnother')}</Link>
    </Page>
  );
}
