/**
 * One case as the server shares it with me: fields, TLP and PAP (with what PAP means), workflow
 * buttons from the transitions the server allows, participants, assignee, tasks, timeline, links,
 * attachments, observables with their suggested teams, the case channel and the exports (refused
 * under PAP:RED, so the buttons are disabled with the reason).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { Button, ErrorNotice, Field, Page } from '../../components/ui.tsx';
import { Attachments, Links, Observables, Participants, Tasks, Timeline } from './case-sections.tsx';
import { type CaseDetail, linkClass, PapBadge, Section, SeverityBadge, StatusBadge, TlpBadge, useLabels } from './shared.tsx';

export default function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const l = useLabels();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const reload = useCallback(() => { get<CaseDetail>(`/api/incidents/cases/${id}`).then(setC, setError); }, [id]);
  useEffect(reload, [reload]);
  if (!c) return <Page title={t('incidents.caseTitle')}><ErrorNotice error={error} />{!error && <p role="status">{t('common.loading')}</p>}</Page>;
  const act = async (action: string) => {
    setError(null);
    try {
      await post(`/api/incidents/cases/${c.id}/transition`, { action, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(action === 'mark_duplicate' ? { duplicateOfId: duplicateOf.trim() } : {}) });
      setReason(''); reload();
    } catch (e) { setError(e); }
  };
  const papRed = c.pap === 'red';
  return (
    <Page title={`${c.reference} · ${c.title}`}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={c.status} /><TlpBadge tlp={c.tlp} /><PapBadge pap={c.pap} /><SeverityBadge severity={c.severity} />
      </div>
      <p className="text-sm text-slate-700">{t(`incidents.papExplain.${c.pap}`)}</p>
      <Section title={t('incidents.details')} id="details-h">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <div><dt className="font-medium">{t('incidents.classificationLabel')}</dt><dd>{l.cls(c.classification)}{c.rsit ? ` · ${c.rsit}` : ''}</dd></div>
          <div><dt className="font-medium">{t('incidents.owner')}</dt><dd>{c.owner?.name}</dd></div>
          <div><dt className="font-medium">{t('incidents.assignee')}</dt><dd>{c.assignee?.displayName ?? t('incidents.unassigned')}</dd></div>
          {c.assistanceRequestId && <div><dt className="font-medium">{t('incidents.assistanceRequest')}</dt><dd><Link className={linkClass} to={`/incidents/assistance/${c.assistanceRequestId}`}>{t('incidents.openRequest')}</Link></dd></div>}
        </dl>
        {c.description && <p className="mt-3 whitespace-pre-wrap text-sm text-slate-900">{c.description}</p>}
        <div className="mt-4 flex flex-wrap gap-3">
          {c.channelId && <Link className={linkClass} to={`/messages/${c.channelId}`}>{t('incidents.openChannel')}</Link>}
          {papRed ? (
            <>
              <Button variant="secondary" isDisabled aria-describedby="export-reason">{t('incidents.exportMisp')}</Button>
              <Button variant="secondary" isDisabled aria-describedby="export-reason">{t('incidents.exportStix')}</Button>
              <p id="export-reason" className="text-sm text-slate-700">{t('incidents.exportPapRed')}</p>
            </>
          ) : (
            <>
              <a className={linkClass} href={`/api/incidents/cases/${c.id}/export/misp`} download>{t('incidents.exportMisp')}</a>
              <a className={linkClass} href={`/api/incidents/cases/${c.id}/export/stix`} download>{t('incidents.exportStix')}</a>
            </>
          )}
        </div>
      </Section>
      {c.permissions.actions.length > 0 && (
        <Section title={t('incidents.workflow')} id="workflow-h">
          <div className="flex flex-wrap items-end gap-3">
            <Field label={t('incidents.reasonOptional')} value={reason} onChange={setReason} />
            {c.permissions.actions.includes('mark_duplicate') && <Field label={t('incidents.duplicateOfId')} value={duplicateOf} onChange={setDuplicateOf} />}
          </div>
          <div className="mt-3 flex flex-wrap gap-2">
            {c.permissions.actions.map((a) => (
              <Button key={a} variant={a === 'reject' ? 'danger' : 'primary'} onPress={() => void act(a)}>{t(`incidents.action.${a}`)}</Button>
            ))}
          </div>
        </Section>
      )}
      <ErrorNotice error={error} />
      <Participants c={c} />
      <Tasks c={c} reload={reload} />
      <Timeline c={c} reload={reload} />
      <Observables c={c} reload={reload} />
      <Links c={c} reload={reload} />
      <Attachments c={c} reload={reload} />
    </Page>
  );
}
