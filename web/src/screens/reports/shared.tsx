/** The publications library's shared pieces: API types from the server's queries, one publication as a list entry, the search form. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Jsonified } from '../../api-types.ts';
import type { listPublications } from '../../../../src/reports/publications.query.ts';
import type { CreatePublicationInput } from '../../../../src/reports/publications.command.ts';
import { LANGUAGE_NAMES, LANGUAGES, isLanguage } from '../../i18n.ts';
import { formatBytes } from '../../format.ts';
import { Button, Field, Form } from '../../components/ui.tsx';
import { TlpBadge } from '../advisories/shared.tsx';

export type Publication = Jsonified<Awaited<ReturnType<typeof listPublications>>[number]> & { headline?: string; rank?: number };
export type CreatePublicationBody = z.input<typeof CreatePublicationInput>;
export const KINDS = ['report', 'document', 'announcement'] as const;
export const selectClass = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';

export type Filter = { q: string; lang: string; kind: string };

export function SearchForm({ onSearch }: { onSearch: (f: Filter) => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState<Filter>({ q: '', lang: '', kind: '' });
  return (
    <Form role="search" aria-label={t('reports.search')} className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); onSearch(f); }}>
      <Field type="search" label={t('reports.search')} value={f.q} onChange={(q) => setF({ ...f, q })} description={t('reports.searchHint')} />
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('reports.language')}
        <select className={selectClass} value={f.lang} onChange={(e) => setF({ ...f, lang: e.target.value })}>
          <option value="">{t('reports.allLanguages')}</option>
          {LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('reports.kind')}
        <select className={selectClass} value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value })}>
          <option value="">{t('reports.allKinds')}</option>
          {KINDS.map((k) => <option key={k} value={k}>{t(`reports.kinds.${k}`)}</option>)}
        </select>
      </label>
      <Button type="submit" variant="secondary">{t('reports.searchButton')}</Button>
    </Form>
  );
}

/** One publication in a list; `fileBase` is /api/publications or /api/public/publications. */
export function PublicationEntry({ p, fileBase, actions }: { p: Publication; fileBase: string; actions?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="rounded border border-slate-200 bg-white p-4" data-publication={p.slug}>
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-800">{t(`reports.kinds.${p.kind}`)}</span>
        <TlpBadge tlp={p.tlp} />
        <span>{p.scope === 'public' ? t('reports.audiences.public') : t('reports.audiences.members')}</span>
        <span>{isLanguage(p.lang) ? LANGUAGE_NAMES[p.lang] : p.lang}</span>
        <span>{new Date(p.publishedAt).toLocaleDateString(i18n.language)}</span>
      </p>
      <h2 className="mt-1 text-lg font-semibold" lang={p.lang}>{p.title}</h2>
      {p.headline
        ? <p className="text-slate-800 [&_b]:bg-yellow-100 [&_b]:font-semibold" lang={p.lang} dangerouslySetInnerHTML={{ __html: escapeHeadline(p.headline) }} />
        : <p className="text-slate-800" lang={p.lang}>{p.summary}</p>}
      <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
        {p.fileName && <a href={`${fileBase}/${p.id}/file`} download className="text-blue-800 underline">{t('reports.download', { name: p.fileName, size: formatBytes(p.fileSize ?? 0, i18n.language) })}</a>}
        {actions}
      </div>
    </li>
  );
}

/** ts_headline marks matches with <b>…</b> around the raw summary: escape everything, then allow only those tags back. */
export function escapeHeadline(h: string): string {
  const escaped = h.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.replace(/&lt;b&gt;/g, '<b>').replace(/&lt;\/b&gt;/g, '</b>');
}
