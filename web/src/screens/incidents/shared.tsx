/**
 * What the incident screens share: API types (type-only imports from the server's own queries and
 * schemas), the vocabularies (the server's taxonomy module: plain constants), labels in the user's
 * language, and badges for TLP, PAP, severity and status (text, never colour alone).
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Jsonified } from '../../api-types.ts';
import type { getCase, listCases } from '../../../../src/incidents/cases.query.ts';
import type { getRequest, listRequests, yearlyStats } from '../../../../src/incidents/assistance.query.ts';
import type { AssistanceInput, MemberReportInput, PublicReportInput } from '../../../../src/incidents/schema.ts';
import { HELP_KINDS, PAP_LEVELS, PARTICIPANT_ROLES, REGIONAL_CLASSES, SEVERITIES, URGENCIES } from '../../../../src/incidents/taxonomy.ts';
import { TlpBadge } from '../advisories/shared.tsx';

export { HELP_KINDS, PAP_LEVELS, PARTICIPANT_ROLES, REGIONAL_CLASSES, SEVERITIES, URGENCIES, TlpBadge };
export type CaseItem = Jsonified<Awaited<ReturnType<typeof listCases>>[number]>;
export type CaseDetail = Jsonified<Awaited<ReturnType<typeof getCase>>>;
export type RequestItem = Jsonified<Awaited<ReturnType<typeof listRequests>>[number]>;
export type RequestDetail = Jsonified<Awaited<ReturnType<typeof getRequest>>>;
export type YearlyStats = Jsonified<Awaited<ReturnType<typeof yearlyStats>>>;
export type AssistanceBody = z.input<typeof AssistanceInput>;
export type MemberReportBody = z.input<typeof MemberReportInput>;
export type PublicReportBody = z.input<typeof PublicReportInput>;
export type ReportItem = { id: string; source: string; status: string; title: string; classification: string | null; ownerOrgId: string | null; caseId: string | null; createdAt: string; tlp: string };
export type Notification = { id: string; kind: string; caseId: string | null; requestId: string | null; createdAt: string; readAt: string | null };

export const CASE_STATUSES = ['new', 'open', 'contained', 'resolved', 'rejected', 'duplicate'] as const;
/** What an assistance request may carry (TLP:RED reaches named people only, never a request). */
export const REQUEST_TLPS = ['clear', 'green', 'amber', 'amber+strict'] as const;
export const CASE_TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900';
export const linkClass = 'text-blue-800 underline';
export const buttonLinkClass = 'inline-flex items-center rounded bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800';

/** A native <select> with a visible label (options: value → text). */
export function Select({ label, value, onChange, options, name }: { label: string; value: string; onChange: (v: string) => void; options: [string, string][]; name?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">{label}</label>
      <select id={id} name={name} className={selectClass} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );
}

export function TextArea({ label, value, onChange, rows = 5, description }: { label: string; value: string; onChange: (v: string) => void; rows?: number; description?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">{label}</label>
      <textarea id={id} aria-describedby={description ? `${id}-d` : undefined} className="rounded border border-slate-400 bg-white px-3 py-2 text-slate-900" rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />
      {description && <span id={`${id}-d`} className="text-xs text-slate-600">{description}</span>}
    </div>
  );
}

/** A group of checkboxes (help kinds). */
export function Checkboxes({ legend, values, selected, onChange, label }: { legend: string; values: readonly string[]; selected: string[]; onChange: (v: string[]) => void; label: (v: string) => string }) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="flex flex-wrap gap-3">
        {values.map((v) => (
          <label key={v} className="flex items-center gap-1 text-sm text-slate-900">
            <input type="checkbox" checked={selected.includes(v)} onChange={(e) => onChange(e.target.checked ? [...selected, v] : selected.filter((x) => x !== v))} />
            {label(v)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const PAP_STYLE: Record<string, string> = {
  clear: 'bg-white text-black border border-black', green: 'bg-black text-[#33ff00]', amber: 'bg-black text-[#ffc000]', red: 'bg-black text-[#ff2b2b]',
};

export function PapBadge({ pap }: { pap: string }) {
  return <span data-pap={pap} className={`inline-block rounded px-2 py-0.5 font-mono text-xs font-semibold ${PAP_STYLE[pap] ?? 'bg-slate-200'}`}>PAP:{pap.toUpperCase()}</span>;
}

const SEVERITY_STYLE: Record<string, string> = {
  low: 'bg-green-100 text-green-900', medium: 'bg-yellow-100 text-yellow-900', high: 'bg-orange-100 text-orange-900', critical: 'bg-red-100 text-red-900', normal: 'bg-yellow-100 text-yellow-900',
};

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useTranslation();
  return <span data-severity={severity} className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${SEVERITY_STYLE[severity] ?? ''}`}>{t(`incidents.severity.${severity}`)}</span>;
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const { t } = useTranslation();
  return <span data-urgency={urgency} className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${SEVERITY_STYLE[urgency] ?? ''}`}>{t(`incidents.urgency.${urgency}`)}</span>;
}

export function StatusBadge({ status, kind = 'case' }: { status: string; kind?: 'case' | 'request' | 'offer' | 'report' }) {
  const { t } = useTranslation();
  return <span data-status={status} className="inline-block rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-900">{t(`incidents.${kind}Status.${status}`)}</span>;
}

/** Seconds as a short duration ("2 h 5 min"), or a dash. */
export function Duration({ seconds }: { seconds: number | null | undefined }) {
  const { t } = useTranslation();
  if (seconds === null || seconds === undefined) return <>{t('incidents.notYet')}</>;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return <>{h > 0 ? t('incidents.hoursMinutes', { h, m }) : t('incidents.minutes', { m })}</>;
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id={id} className="mb-3 text-lg font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

/** Translates a list of vocabulary values. */
export function useLabels() {
  const { t } = useTranslation();
  return {
    cls: (v: string) => t(`incidents.class.${v}`),
    help: (v: string) => t(`incidents.help.${v}`),
    sev: (v: string) => t(`incidents.severity.${v}`),
    urg: (v: string) => t(`incidents.urgency.${v}`),
    role: (v: string) => t(`incidents.role.${v}`),
    status: (v: string) => t(`incidents.caseStatus.${v}`),
  };
}
