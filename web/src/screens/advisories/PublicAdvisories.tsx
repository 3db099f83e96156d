/**
 * The public site's advisories (no sign-in): the TLP:CLEAR ones, each in the asked language when a
 * current translation exists (`?lang=`, else the page language), with the Atom feed of that language
 * and the CSAF provider's metadata linked for machines.
 */
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n.ts';
import { Card, ErrorNotice, Page } from '../../components/ui.tsx';
import { RenderedHtml, RevisionHistory, SeverityBadge, SnapshotDetails, TlpBadge, type PublicAdvisory, type PublicAdvisoryItem } from './shared.tsx';

export const CSAF_PROVIDER = '/.well-known/csaf/provider-metadata.json';
const feedOf = (lang: string) => `/feeds/advisories.atom?lang=${lang}`;

/** The language asked in the address, else the one the page is shown in. */
function useContentLanguage(): [Language, (l: Language) => void] {
  const { i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('lang');
  const lang = isLanguage(asked) ? asked : isLanguage(i18n.language) ? i18n.language : 'en';
  return [lang, (l) => setParams((p) => { p.set('lang', l); return p; })];
}

/** Announces the feed to browsers and feed readers while the page is shown. */
function useFeedLink(lang: string, title: string) {
  useEffect(() => {
    const link = document.createElement('link');
    Object.assign(link, { rel: 'alternate', type: 'application/atom+xml', href: feedOf(lang), title });
    document.head.appendChild(link);
    return () => link.remove();
  }, [lang, title]);
}

function LanguageLinks({ current, available, onPick }: { current: string; available: readonly string[]; onPick: (l: Language) => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('advisories.contentLanguage')} className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-700">{t('advisories.contentLanguage')}:</span>
      {available.filter(isLanguage).map((l) => (
        <button key={l} type="button" lang={l} aria-current={l === current ? 'true' : undefined} onClick={() => onPick(l)}
          className={`rounded px-2 py-1 ${l === current ? 'bg-slate-800 text-white' : 'text-blue-800 underline'}`}>{LANGUAGE_NAMES[l]}</button>
      ))}
    </nav>
  );
}

function MachineLinks({ lang }: { lang: string }) {
  const { t } = useTranslation();
  return (
    <ul className="flex flex-wrap gap-4 text-sm">
      <li><a href={feedOf(lang)} className="text-blue-800 underline">{t('advisories.atomFeed')}</a></li>
      <li><a href={CSAF_PROVIDER} className="text-blue-800 underline">{t('advisories.csafProvider')}</a></li>
      <li><Link to="/public/reports" className="text-blue-800 underline">{t('reports.publicTitle')}</Link></li>
    </ul>
  );
}

export function PublicAdvisoryList() {
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useContentLanguage();
  const [items, setItems] = useState<PublicAdvisoryItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useFeedLink(lang, t('advisories.atomFeed'));
  useEffect(() => { get<{ items: PublicAdvisoryItem[] }>('/api/public/advisories', { lang }).then((r) => setItems(r.items), setError); }, [lang]);
  return (
    <Page title={t('advisories.publicTitle')}>
      <p className="text-slate-700">{t('advisories.publicIntro')}</p>
      <LanguageLinks current={lang} available={LANGUAGES} onPick={setLang} />
      <MachineLinks lang={lang} />
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{t('advisories.nonePublic')}</p>}
      <ul className="space-y-3">
        {items?.map((a) => (
          <li key={a.id} className="rounded border border-slate-200 bg-white p-4">
            <p className="flex flex-wrap items-center gap-2 text-sm"><span className="font-mono">{a.trackingId}</span><SeverityBadge severity={a.severity} /><TlpBadge tlp={a.tlp} />
              <span className="text-slate-700">{new Date(a.currentReleaseDate).toLocaleDateString(i18n.language)}</span></p>
            <h2 className="mt-1 text-lg font-semibold" lang={a.lang}>
              <Link to={`/advisories/${encodeURIComponent(a.trackingId)}?lang=${lang}`} className="text-blue-800 underline">{a.title}</Link>
            </h2>
            <p className="text-slate-800" lang={a.lang}>{a.summary}</p>
            {a.fallback && <p className="text-xs text-slate-700">{t('advisories.notTranslated', { language: LANGUAGE_NAMES[a.lang] })}</p>}
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function PublicAdvisoryPage() {
  const { t, i18n } = useTranslation();
  const { trackingId = '' } = useParams();
  const [lang, setLang] = useContentLanguage();
  const [a, setA] = useState<PublicAdvisory | null>(null);
  const [error, setError] = useState<unknown>(null);
  useFeedLink(lang, t('advisories.atomFeed'));
  useEffect(() => { get<PublicAdvisory>(`/api/public/advisories/${encodeURIComponent(trackingId)}`, { lang }).then(setA, setError); }, [trackingId, lang]);
  if (!a) return <Page title={trackingId}><ErrorNotice error={error} /></Page>;
  return (
    <Page title={`${a.trackingId}: ${a.title}`}>
      <p className="flex flex-wrap items-center gap-2 text-sm"><SeverityBadge severity={a.severity} /><TlpBadge tlp={a.tlp} />
        <span className="text-slate-700">{t('advisories.released', { initial: new Date(a.initialReleaseDate).toLocaleDateString(i18n.language), current: new Date(a.currentReleaseDate).toLocaleDateString(i18n.language) })}</span>
        <a href={`/api/public/advisories/${encodeURIComponent(a.trackingId)}/csaf`} download className="text-blue-800 underline">{t('advisories.downloadCsaf')}</a>
      </p>
      <LanguageLinks current={a.lang} available={a.availableLangs} onPick={setLang} />
      {a.fallback && <p className="text-sm text-slate-700">{t('advisories.notTranslated', { language: LANGUAGE_NAMES[a.lang] })}</p>}
      <Card>
        <div lang={a.lang} className="space-y-3">
          <p className="text-slate-800">{a.summary}</p>
          {a.cves.length > 0 && <p className="font-mono text-sm">{a.cves.join(', ')}</p>}
          <RenderedHtml html={a.bodyHtml} lang={a.lang} />
          {a.remediationMarkdown.trim() && <><h2 className="text-lg font-semibold">{t('advisories.remediation')}</h2><RenderedHtml html={a.remediationHtml} lang={a.lang} /></>}
        </div>
      </Card>
      <Card><SnapshotDetails s={a} /></Card>
      <Card title={t('advisories.revisionHistory')}><RevisionHistory revisions={a.revisionHistory} locale={i18n.language} /></Card>
      <MachineLinks lang={lang} />
      <Link to={`/public/advisories?lang=${lang}`} className="text-sm text-blue-800 underline">{t('advisories.allPublic')}</Link>
    </Page>
  );
}
