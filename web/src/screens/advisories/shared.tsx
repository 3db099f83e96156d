/**
 * What the advisory screens share: API types (type-only imports from the server's own schemas and
 * queries), badges for TLP, severity and workflow status, and safe Markdown rendering (markdown-it
 * with raw HTML off — the same settings the server uses for the public site and the feed).
 */
import MarkdownIt from 'markdown-it';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Jsonified } from '../../api-types.ts';
import type { getAdvisory, listAdvisories, TranslationState } from '../../../../src/advisories/advisories.query.ts';
import type { CreateAdvisoryInput, UpdateAdvisoryInput, TextInput } from '../../../../src/advisories/schema.ts';
import type { RenderedAdvisory } from '../../../../src/advisories/render.ts';
import type { AdvisorySnapshot } from '../../../../src/advisories/csaf.ts';

export type AdvisoryItem = Jsonified<Awaited<ReturnType<typeof listAdvisories>>[number]>;
export type AdvisoryDetail = Jsonified<Awaited<ReturnType<typeof getAdvisory>>>;
export type LiveAdvisory = NonNullable<AdvisoryDetail['live']>;
export type CreateAdvisoryBody = z.input<typeof CreateAdvisoryInput>;
export type UpdateAdvisoryBody = z.input<typeof UpdateAdvisoryInput>;
export type TextBody = z.input<typeof TextInput>;
export type Snapshot = AdvisorySnapshot;
export type { TranslationState };
/** GET /api/public/advisories/:trackingId */
export type PublicAdvisory = Omit<RenderedAdvisory, 'snapshot'> & Pick<AdvisorySnapshot, 'vulnerabilities' | 'affected' | 'references' | 'revisionHistory'>;
export type PublicAdvisoryItem = Omit<RenderedAdvisory, 'snapshot'>;
export type CvssResult = { valid: true; vectorString: string; version: string; baseScore?: number; baseSeverity?: string } | { valid: false; error: string };

export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const SEVERITY_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export const STATUSES = ['draft', 'review', 'published'] as const;

const TLP_STYLE: Record<string, string> = {
  clear: 'bg-white text-black border border-black',
  green: 'bg-black text-[#33ff00]',
  amber: 'bg-black text-[#ffc000]',
  'amber+strict': 'bg-black text-[#ffc000]',
  red: 'bg-black text-[#ff2b2b]',
};

/** TLP 2.0 label colours (FIRST: coloured text on black; CLEAR in black on white). */
export function TlpBadge({ tlp }: { tlp: string }) {
  return <span data-tlp={tlp} className={`inline-block rounded px-2 py-0.5 font-mono text-xs font-semibold ${TLP_STYLE[tlp] ?? 'bg-slate-200'}`}>TLP:{tlp.toUpperCase()}</span>;
}

const SEVERITY_STYLE: Record<string, string> = {
  none: 'bg-slate-100 text-slate-800', low: 'bg-green-100 text-green-900', medium: 'bg-yellow-100 text-yellow-900',
  high: 'bg-orange-100 text-orange-900', critical: 'bg-red-100 text-red-900',
};

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useTranslation();
  return <span data-severity={severity} className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${SEVERITY_STYLE[severity] ?? ''}`}>{t(`advisories.severity.${severity}`)}</span>;
}

const STATUS_STYLE: Record<string, string> = { draft: 'bg-slate-100 text-slate-800', review: 'bg-blue-100 text-blue-900', published: 'bg-green-100 text-green-900' };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span data-status={status} className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[status] ?? ''}`}>{t(`advisories.status.${status}`)}</span>;
}

const TRANSLATION_STYLE: Record<string, string> = {
  source: 'bg-slate-800 text-white', current: 'bg-green-100 text-green-900', outdated: 'bg-amber-100 text-amber-900', missing: 'bg-slate-100 text-slate-700',
};

export function TranslationBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return <span data-translation={state} className={`inline-block rounded px-2 py-0.5 text-xs ${TRANSLATION_STYLE[state] ?? ''}`}>{t(`advisories.translation.${state}`)}</span>;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Markdown as HTML (raw HTML in the source is shown as text, never run). */
export function Markdown({ text, className, lang }: { text: string; className?: string; lang?: string }) {
  return <div lang={lang} className={`prose-sm max-w-none space-y-2 text-slate-900 [&_a]:text-blue-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h1]:text-xl [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc ${className ?? ''}`}
    dangerouslySetInnerHTML={{ __html: md.render(text) }} />;
}

/** HTML already rendered safely by the server (markdown-it, raw HTML off). */
export function RenderedHtml({ html, lang }: { html: string; lang?: string }) {
  return <div lang={lang} className="max-w-none space-y-2 text-slate-900 [&_a]:text-blue-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc"
    dangerouslySetInnerHTML={{ __html: html }} />;
}

export const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';
export const areaClass = 'rounded border border-slate-400 bg-white px-3 py-2 font-mono text-sm text-slate-900';

/** Vulnerabilities, affected products and references of a published snapshot (member and public pages). */
export function SnapshotDetails({ s }: { s: Pick<Snapshot, 'vulnerabilities' | 'affected' | 'references'> }) {
  const { t } = useTranslation();
  return (
    <div className="space-y-4">
      <section aria-labelledby="vulns-h">
        <h2 id="vulns-h" className="mb-2 text-lg font-semibold">{t('advisories.vulnerabilities')}</h2>
        <table className="w-full text-left text-sm">
          <thead><tr className="border-b border-slate-300"><th className="py-1 pr-3">{t('advisories.cve')}</th><th className="py-1 pr-3">{t('advisories.vulnTitle')}</th><th className="py-1 pr-3">{t('advisories.cvssV3')}</th><th className="py-1">{t('advisories.cvssV4')}</th></tr></thead>
          <tbody>
            {s.vulnerabilities.map((v, i) => (
              <tr key={v.cve ?? i} className="border-b border-slate-100 align-top">
                <td className="py-1 pr-3 font-mono">{v.cve ?? '—'}</td>
                <td className="py-1 pr-3">{v.title}{v.cwe ? <span className="ml-2 text-xs text-slate-600">{v.cwe}</span> : null}</td>
                <td className="py-1 pr-3">{v.cvssV3 ? <><strong>{v.cvssV3.baseScore.toFixed(1)}</strong> <span className="break-all font-mono text-xs text-slate-600">{v.cvssV3.vectorString}</span></> : '—'}</td>
                <td className="py-1">{v.cvssV4 ? <>{typeof v.cvssV4.baseScore === 'number' ? <strong>{v.cvssV4.baseScore.toFixed(1)} </strong> : null}<span className="break-all font-mono text-xs text-slate-600">{v.cvssV4.vectorString}</span></> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="affected-h">
        <h2 id="affected-h" className="mb-2 text-lg font-semibold">{t('advisories.affected')}</h2>
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {s.affected.map((a, i) => (
            <li key={i}><strong>{a.vendor} {a.product}</strong>: {a.versions.join(', ')}{a.fixedIn.length ? ` — ${t('advisories.fixedIn')}: ${a.fixedIn.join(', ')}` : ''}</li>
          ))}
        </ul>
      </section>
      {s.references.length > 0 && (
        <section aria-labelledby="refs-h">
          <h2 id="refs-h" className="mb-2 text-lg font-semibold">{t('advisories.references')}</h2>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {s.references.map((r) => <li key={r.url}><a href={r.url} rel="noopener noreferrer" className="text-blue-800 underline">{r.summary}</a></li>)}
          </ul>
        </section>
      )}
    </div>
  );
}

export function RevisionHistory({ revisions, locale }: { revisions: { number: number; date: string; summary: string }[]; locale: string }) {
  const { t } = useTranslation();
  if (revisions.length === 0) return <p className="text-sm text-slate-700">{t('advisories.noRevisions')}</p>;
  return (
    <ol aria-label={t('advisories.revisionHistory')} className="space-y-1 text-sm">
      {[...revisions].reverse().map((r) => (
        <li key={r.number}><strong>{t('advisories.revisionN', { n: r.number })}</strong> · {new Date(r.date).toLocaleString(locale)} — {r.summary}</li>
      ))}
    </ol>
  );
}
