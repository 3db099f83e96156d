/** Members: one advisory as published (in the reader's language when translated), its revision history and CSAF download. */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { LANGUAGE_NAMES, isLanguage } from '../../i18n.ts';
import { Card, ErrorNotice, Page } from '../../components/ui.tsx';
import { Markdown, RevisionHistory, SeverityBadge, SnapshotDetails, StatusBadge, TlpBadge, type AdvisoryDetail, type Snapshot } from './shared.tsx';

export default function AdvisoryPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [a, setA] = useState<AdvisoryDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<AdvisoryDetail>(`/api/advisories/${id}`).then(setA, setError); }, [id]);
  if (!a) return <Page title={t('advisories.pageTitle')}><ErrorNotice error={error} /></Page>;
  const s = a.published as Snapshot | null;
  const lang = s && s.texts[i18n.language] ? i18n.language : s?.sourceLang ?? 'en';
  const text = s?.texts[lang];
  return (
    <Page title={text ? `${a.trackingId}: ${text.title}` : a.trackingId}>
      <p className="flex flex-wrap items-center gap-2">
        <StatusBadge status={a.status} /><TlpBadge tlp={a.tlp} />{s && <SeverityBadge severity={s.severity} />}
        {a.canEdit && <Link to={`/advisories/edit/${a.id}`} className="text-sm text-blue-800 underline">{t('advisories.edit')}</Link>}
        {a.publishedRevision > 0 && <a href={`/api/advisories/${a.id}/csaf`} download className="text-sm text-blue-800 underline">{t('advisories.downloadCsaf')}</a>}
      </p>
      <ErrorNotice error={error} />
      {!s || !text ? <p className="text-slate-700">{t('advisories.notPublishedYet')}</p> : (
        <>
          {lang !== i18n.language && isLanguage(lang) && <p className="text-sm text-slate-700">{t('advisories.shownIn', { language: LANGUAGE_NAMES[lang] })}</p>}
          <Card>
            <div lang={lang} className="space-y-3">
              <p className="text-slate-800">{text.summary}</p>
              {s.audience && <p className="text-sm text-slate-700">{t('advisories.audience')}: {s.audience}</p>}
              <Markdown text={text.body} lang={lang} />
              {text.remediation && <><h2 className="text-lg font-semibold">{t('advisories.remediation')}</h2><Markdown text={text.remediation} lang={lang} /></>}
            </div>
          </Card>
          <Card><SnapshotDetails s={s} /></Card>
        </>
      )}
      <Card title={t('advisories.revisionHistory')}><RevisionHistory revisions={a.revisions} locale={i18n.language} /></Card>
    </Page>
  );
}
