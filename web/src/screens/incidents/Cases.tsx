/** Cases I may read: filtered by status (server), classification, severity and TLP, and searched. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import { CASE_STATUSES, CASE_TLPS, type CaseItem, linkClass, PapBadge, REGIONAL_CLASSES, Select, SEVERITIES, SeverityBadge, StatusBadge, TlpBadge, useLabels } from './shared.tsx';

export default function Cases() {
  const { t, i18n } = useTranslation();
  const l = useLabels();
  const [items, setItems] = useState<CaseItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [f, setF] = useState({ status: '', classification: '', severity: '', tlp: '', q: '' });
  const [query, setQuery] = useState({ status: '', q: '' });
  useEffect(() => {
    get<{ items: CaseItem[] }>('/api/incidents/cases', { status: query.status, q: query.q, limit: 200 }).then((r) => setItems(r.items), setError);
  }, [query]);
  const shown = (items ?? []).filter((c) => (!f.classification || c.classification === f.classification) && (!f.severity || c.severity === f.severity) && (!f.tlp || c.tlp === f.tlp));
  const all = (label: string) => [['', label] as [string, string]];
  return (
    <Page title={t('incidents.casesTitle')}>
      <nav aria-label={t('incidents.subnav')} className="flex flex-wrap gap-3 text-sm">
        <Link to="/incidents/report" className={linkClass}>{t('incidents.reportNav')}</Link>
        <Link to="/incidents/reports" className={linkClass}>{t('incidents.triageNav')}</Link>
        <Link to="/incidents/assistance" className={linkClass}>{t('incidents.assistanceNav')}</Link>
        <Link to="/incidents/notifications" className={linkClass}>{t('incidents.notificationsNav')}</Link>
      </nav>
      <Form className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); setQuery({ status: f.status, q: f.q }); }}>
        <Field label={t('incidents.search')} value={f.q} onChange={(q) => setF({ ...f, q })} type="search" />
        <Select label={t('incidents.statusLabel')} value={f.status} onChange={(status) => setF({ ...f, status })} options={[...all(t('incidents.any')), ...CASE_STATUSES.map((s) => [s, l.status(s)] as [string, string])]} />
        <Select label={t('incidents.classificationLabel')} value={f.classification} onChange={(classification) => setF({ ...f, classification })} options={[...all(t('incidents.any')), ...REGIONAL_CLASSES.map((s) => [s, l.cls(s)] as [string, string])]} />
        <Select label={t('incidents.severityLabel')} value={f.severity} onChange={(severity) => setF({ ...f, severity })} options={[...all(t('incidents.any')), ...SEVERITIES.map((s) => [s, l.sev(s)] as [string, string])]} />
        <Select label="TLP" value={f.tlp} onChange={(tlp) => setF({ ...f, tlp })} options={[...all(t('incidents.any')), ...CASE_TLPS.map((s) => [s, `TLP:${s.toUpperCase()}`] as [string, string])]} />
        <Button type="submit" variant="secondary">{t('incidents.apply')}</Button>
      </Form>
      <ErrorNotice error={error} />
      {items && shown.length === 0 && <p className="text-slate-700">{t('incidents.noCases')}</p>}
      {shown.length > 0 && (
        <table className="w-full border-collapse bg-white text-left text-sm shadow-sm">
          <caption className="sr-only">{t('incidents.casesTitle')}</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th className="p-2">{t('incidents.reference')}</th><th className="p-2">{t('incidents.titleLabel')}</th><th className="p-2">{t('incidents.statusLabel')}</th>
              <th className="p-2">{t('incidents.classificationLabel')}</th><th className="p-2">{t('incidents.severityLabel')}</th><th className="p-2">{t('incidents.marking')}</th>
              <th className="p-2">{t('incidents.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id} className="border-b border-slate-100 align-top" data-case={c.reference}>
                <td className="p-2 font-mono">{c.reference}</td>
                <td className="p-2"><Link to={`/incidents/cases/${c.id}`} className="font-medium text-blue-800 underline">{c.title}</Link><p className="text-xs text-slate-600">{c.ownerName}</p></td>
                <td className="p-2"><StatusBadge status={c.status} /></td>
                <td className="p-2">{l.cls(c.classification)}</td>
                <td className="p-2"><SeverityBadge severity={c.severity} /></td>
                <td className="space-x-1 p-2"><TlpBadge tlp={c.tlp} /><PapBadge pap={c.pap} /></td>
                <td className="p-2 text-xs">{formatDateTime(c.updatedAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
