/** Cross-border assistance: requests visible to my team, and asking the network for help. */
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import { can, useSession } from '../../session.tsx';
import { type AssistanceBody, Checkboxes, Duration, HELP_KINDS, linkClass, PAP_LEVELS, REGIONAL_CLASSES, REQUEST_TLPS, type RequestItem, Select, StatusBadge, TextArea, TlpBadge, URGENCIES, UrgencyBadge, useLabels } from './shared.tsx';

export default function Assistance() {
  const { t, i18n } = useTranslation();
  const l = useLabels();
  const { me } = useSession();
  const [items, setItems] = useState<RequestItem[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<{ items: RequestItem[] }>('/api/incidents/assistance', { status }).then((r) => setItems(r.items), setError); }, [status]);
  return (
    <Page title={t('incidents.assistanceTitle')}>
      <p className="text-sm text-slate-700">{t('incidents.assistanceIntro')}</p>
      <div className="flex flex-wrap items-end gap-3">
        <Link to="/incidents/assistance/new" className="inline-flex items-center rounded bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">{t('incidents.askForHelp')}</Link>
        {can(me, 'coordinator') && <Link to="/incidents/assistance-stats" className={linkClass}>{t('incidents.statsNav')}</Link>}
        <Select label={t('incidents.statusLabel')} value={status} onChange={setStatus}
          options={[['', t('incidents.any')], ...['open', 'in_progress', 'closed', 'withdrawn'].map((s) => [s, t(`incidents.requestStatus.${s}`)] as [string, string])]} />
      </div>
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{t('incidents.noRequests')}</p>}
      {items && items.length > 0 && (
        <table className="w-full border-collapse bg-white text-left text-sm shadow-sm">
          <caption className="sr-only">{t('incidents.assistanceTitle')}</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th className="p-2">{t('incidents.titleLabel')}</th><th className="p-2">{t('incidents.requester')}</th><th className="p-2">{t('incidents.helpKinds')}</th>
              <th className="p-2">{t('incidents.urgencyLabel')}</th><th className="p-2">{t('incidents.statusLabel')}</th><th className="p-2">{t('incidents.offersCount')}</th>
              <th className="p-2">{t('incidents.timeToFirstOffer')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} className="border-b border-slate-100 align-top" data-request={r.id}>
                <td className="p-2"><Link to={`/incidents/assistance/${r.id}`} className="font-medium text-blue-800 underline">{r.title}</Link> <TlpBadge tlp={r.tlp} />
                  <p className="text-xs text-slate-600">{formatDateTime(r.createdAt, i18n.language)}</p></td>
                <td className="p-2">{r.requesterName}{r.countryCode ? ` (${r.countryCode})` : ''}</td>
                <td className="p-2">{r.helpKinds.map(l.help).join(', ')}</td>
                <td className="p-2"><UrgencyBadge urgency={r.urgency} /></td>
                <td className="p-2"><StatusBadge status={r.status} kind="request" /></td>
                <td className="p-2">{r.offers}</td>
                <td className="p-2"><Duration seconds={r.timeToFirstOfferSeconds} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

type Team = { orgId: string; name: string; countryCode: string | null };
type Group = { id: string; name: string };

export function NewRequest() {
  const { t } = useTranslation();
  const l = useLabels();
  const navigate = useNavigate();
  const [teams, setTeams] = useState<Team[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [f, setF] = useState({ title: '', whatHappened: '', helpKinds: [] as string[], urgency: 'normal', classification: 'other', tlp: 'amber', pap: 'amber', audience: 'network', sharingGroupId: '', teamOrgIds: [] as string[] });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: Team[] }>('/api/directory/teams').then((r) => setTeams(r.items), () => setTeams([]));
    get<{ items: Group[] }>('/api/sharing-groups').then((r) => setGroups(r.items), () => setGroups([]));
  }, []);
  const submit = async () => {
    setError(null);
    try {
      const body: AssistanceBody = {
        title: f.title, whatHappened: f.whatHappened, helpKinds: f.helpKinds as AssistanceBody['helpKinds'], urgency: f.urgency as AssistanceBody['urgency'],
        classification: f.classification as AssistanceBody['classification'], tlp: f.tlp as AssistanceBody['tlp'], pap: f.pap as AssistanceBody['pap'],
        audience: f.audience as AssistanceBody['audience'],
        ...(f.audience === 'group' && f.sharingGroupId ? { sharingGroupId: f.sharingGroupId } : {}), ...(f.audience === 'teams' ? { teamOrgIds: f.teamOrgIds } : {}),
      };
      const r = await post<{ id: string }>('/api/incidents/assistance', body);
      navigate(`/incidents/assistance/${r.id}`);
    } catch (e) { setError(e); }
  };
  return (
    <Page title={t('incidents.newRequestTitle')}>
      <p className="text-sm text-slate-700">{t('incidents.newRequestIntro')}</p>
      <Form className="max-w-2xl space-y-4" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field label={t('incidents.titleLabel')} value={f.title} onChange={(title) => setF({ ...f, title })} isRequired />
        <TextArea label={t('incidents.whatHappened')} value={f.whatHappened} onChange={(whatHappened) => setF({ ...f, whatHappened })} rows={6} />
        <Checkboxes legend={t('incidents.helpNeeded')} values={HELP_KINDS} selected={f.helpKinds} onChange={(helpKinds) => setF({ ...f, helpKinds })} label={l.help} />
        <div className="flex flex-wrap gap-3">
          <Select label={t('incidents.urgencyLabel')} value={f.urgency} onChange={(urgency) => setF({ ...f, urgency })} options={URGENCIES.map((u) => [u, l.urg(u)])} />
          <Select label={t('incidents.classificationLabel')} value={f.classification} onChange={(classification) => setF({ ...f, classification })} options={REGIONAL_CLASSES.map((c) => [c, l.cls(c)])} />
          <Select label="TLP" value={f.tlp} onChange={(tlp) => setF({ ...f, tlp })} options={REQUEST_TLPS.map((x) => [x, `TLP:${x.toUpperCase()}`])} />
          <Select label="PAP" value={f.pap} onChange={(pap) => setF({ ...f, pap })} options={PAP_LEVELS.map((x) => [x, `PAP:${x.toUpperCase()}`])} />
        </div>
        <p className="text-xs text-slate-700">{t(`incidents.papExplain.${f.pap}`)}</p>
        <Select label={t('incidents.audience')} value={f.audience} onChange={(audience) => setF({ ...f, audience })}
          options={[['network', t('incidents.audienceNetwork')], ['group', t('incidents.audienceGroup')], ['teams', t('incidents.audienceTeams')]]} />
        {f.audience === 'group' && (
          <Select label={t('incidents.sharingGroup')} value={f.sharingGroupId} onChange={(sharingGroupId) => setF({ ...f, sharingGroupId })}
            options={[['', t('incidents.chooseGroup')], ...groups.map((g) => [g.id, g.name] as [string, string])]} />
        )}
        {f.audience === 'teams' && (
          <Checkboxes legend={t('incidents.namedTeams')} values={teams.map((x) => x.orgId)} selected={f.teamOrgIds} onChange={(teamOrgIds) => setF({ ...f, teamOrgIds })}
            label={(id) => { const x = teams.find((y) => y.orgId === id); return x ? `${x.name}${x.countryCode ? ` (${x.countryCode})` : ''}` : id; }} />
        )}
        <ErrorNotice error={error} />
        <Button type="submit">{t('incidents.publishRequest')}</Button>
      </Form>
    </Page>
  );
}
