/** Reports received by my teams (and mine): triage each into a case, or reject it with a reason. */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import { CASE_TLPS, linkClass, PAP_LEVELS, type ReportItem, Select, SEVERITIES, StatusBadge, TlpBadge, useLabels } from './shared.tsx';

function TriageForm({ report, done }: { report: ReportItem; done: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [f, setF] = useState({ severity: 'medium', tlp: report.tlp === 'clear' ? 'green' : report.tlp, pap: 'amber', reason: '' });
  const [error, setError] = useState<unknown>(null);
  const decide = async (decision: 'case' | 'reject') => {
    setError(null);
    try {
      await post(`/api/incidents/reports/${report.id}/triage`, decision === 'case' ? { decision, severity: f.severity, tlp: f.tlp, pap: f.pap } : { decision, reason: f.reason });
      done();
    } catch (e) { setError(e); }
  };
  return (
    <Form className="mt-2 space-y-2" onSubmit={(e) => e.preventDefault()} aria-label={t('incidents.triageOf', { title: report.title })}>
      <div className="flex flex-wrap items-end gap-3">
        <Select label={t('incidents.severityLabel')} value={f.severity} onChange={(severity) => setF({ ...f, severity })} options={SEVERITIES.map((s) => [s, l.sev(s)])} />
        <Select label="TLP" value={f.tlp} onChange={(tlp) => setF({ ...f, tlp })} options={CASE_TLPS.map((s) => [s, `TLP:${s.toUpperCase()}`])} />
        <Select label="PAP" value={f.pap} onChange={(pap) => setF({ ...f, pap })} options={PAP_LEVELS.map((s) => [s, `PAP:${s.toUpperCase()}`])} />
        <Button onPress={() => void decide('case')}>{t('incidents.makeCase')}</Button>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Field label={t('incidents.rejectReason')} value={f.reason} onChange={(reason) => setF({ ...f, reason })} />
        <Button variant="danger" isDisabled={!f.reason.trim()} onPress={() => void decide('reject')}>{t('incidents.rejectReport')}</Button>
      </div>
      <ErrorNotice error={error} />
    </Form>
  );
}

export default function Triage() {
  const { t, i18n } = useTranslation();
  const l = useLabels();
  const [items, setItems] = useState<ReportItem[] | null>(null);
  const [status, setStatus] = useState('received');
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => { get<{ items: ReportItem[] }>('/api/incidents/reports', { status }).then((r) => setItems(r.items), setError); }, [status]);
  useEffect(load, [load]);
  return (
    <Page title={t('incidents.triageTitle')}>
      <Select label={t('incidents.statusLabel')} value={status} onChange={setStatus} options={['received', 'triaged', 'rejected'].map((s) => [s, t(`incidents.reportStatus.${s}`)])} />
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{t('incidents.noReports')}</p>}
      <ul className="space-y-3">
        {(items ?? []).map((r) => (
          <li key={r.id} className="rounded border border-slate-200 bg-white p-4" data-report={r.id}>
            <h2 className="font-semibold text-slate-900">{r.title}</h2>
            <p className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
              <StatusBadge status={r.status} kind="report" /><TlpBadge tlp={r.tlp} />
              <span>{t(`incidents.source.${r.source}`)}</span><span>{r.classification ? l.cls(r.classification) : t('incidents.unknownClass')}</span>
              <span>{formatDateTime(r.createdAt, i18n.language)}</span>
            </p>
            {r.caseId && <Link className={linkClass} to={`/incidents/cases/${r.caseId}`}>{t('incidents.openCase')}</Link>}
            {r.status === 'received' && <TriageForm report={r} done={load} />}
          </li>
        ))}
      </ul>
    </Page>
  );
}
