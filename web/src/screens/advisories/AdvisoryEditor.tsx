/**
 * Writing an advisory: structured fields and marking, the text in each language with its state,
 * and the workflow (draft → review → published, or back to draft with a reason). Which buttons show
 * follows what the server returns for this advisory (canEdit, canPublish, status); the server decides.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import { emptyFields, fieldsBody, FieldsEditor, fieldsFrom, type FieldsState } from './FieldsEditor.tsx';
import { emptyText, TextFields, TextsEditor, type TextState } from './TextsEditor.tsx';
import { RevisionHistory, selectClass, StatusBadge, TlpBadge, type AdvisoryDetail, type CreateAdvisoryBody, type TextBody } from './shared.tsx';

function Workflow({ a, onDone }: { a: AdvisoryDetail; onDone: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState(a.publishedRevision > 0 ? '' : t('advisories.initialRelease'));
  const [reason, setReason] = useState('');
  const act = async (path: string, body: unknown, message: string) => {
    setError(null);
    try { await post(`/api/advisories/${a.id}/${path}`, body); await onDone(message); } catch (e) { setError(e); }
  };
  if (!a.canEdit) return null;
  return (
    <Card title={t('advisories.workflow')}>
      <ErrorNotice error={error} />
      <p className="mb-3 text-sm text-slate-700">{t(`advisories.workflowHint.${a.status}`)}</p>
      {a.status === 'draft' && <Button onPress={() => act('submit', {}, t('advisories.submitted'))}>{t('advisories.submit')}</Button>}
      {a.status === 'review' && (
        <div className="grid gap-4 sm:grid-cols-2">
          {a.canPublish && (
            <Form className="flex flex-col gap-2" onSubmit={(e) => { e.preventDefault(); void act('publish', { summary }, t('advisories.publishedNotice')); }}>
              <Field label={t('advisories.revisionSummary')} value={summary} onChange={setSummary} isRequired description={t('advisories.revisionSummaryHint')} />
              <Button type="submit">{t('advisories.publish')}</Button>
            </Form>
          )}
          <Form className="flex flex-col gap-2" onSubmit={(e) => { e.preventDefault(); void act('return', { reason }, t('advisories.returned')); }}>
            <Field label={t('advisories.returnReason')} value={reason} onChange={setReason} isRequired />
            <Button type="submit" variant="secondary">{t('advisories.returnToDraft')}</Button>
          </Form>
        </div>
      )}
      {a.status === 'published' && <p className="text-sm text-slate-700">{t('advisories.editReopens')}</p>}
    </Card>
  );
}

function NewAdvisory() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [fields, setFields] = useState<FieldsState>(emptyFields);
  const [sourceLang, setSourceLang] = useState<Language>(isLanguage(i18n.language) ? i18n.language : 'en');
  const [text, setText] = useState<TextState>(emptyText);
  const [trackingId, setTrackingId] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <Page title={t('advisories.newTitle')}>
      <ErrorNotice error={error} />
      <Form className="space-y-6" onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const body: CreateAdvisoryBody = { ...fieldsBody(fields), sourceLang, text, ...(trackingId.trim() ? { trackingId: trackingId.trim() } : {}) };
          const r = await post<{ id: string; trackingId: string }>('/api/advisories', body);
          navigate(`/advisories/edit/${r.id}`);
        } catch (err) { setError(err); }
      }}>
        <Card title={t('advisories.text')}>
          <div className="mb-4 grid gap-3 sm:grid-cols-2">
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('advisories.sourceLang')}
              <select className={selectClass} value={sourceLang} onChange={(e) => isLanguage(e.target.value) && setSourceLang(e.target.value)}>
                {LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
              </select>
            </label>
            <Field label={t('advisories.trackingId')} value={trackingId} onChange={setTrackingId} description={t('advisories.trackingIdHint')} />
          </div>
          <TextFields lang={sourceLang} value={text} onChange={setText} />
        </Card>
        <Card title={t('advisories.fields')}><FieldsEditor value={fields} onChange={setFields} /></Card>
        <Button type="submit">{t('advisories.createDraft')}</Button>
      </Form>
    </Page>
  );
}

function EditAdvisory({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const [a, setA] = useState<AdvisoryDetail | null>(null);
  const [fields, setFields] = useState<FieldsState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [version, setVersion] = useState(0);
  const load = useCallback(async () => {
    const d = await get<AdvisoryDetail>(`/api/advisories/${id}`);
    setA(d);
    if (d.live) setFields(fieldsFrom(d.live));
    setVersion((v) => v + 1);
  }, [id]);
  useEffect(() => { load().catch(setError); }, [load]);
  const done = async (message: string) => { setNotice(message); setError(null); await load(); };
  const fail = (e: unknown) => { setNotice(''); setError(e); };
  if (!a) return <Page title={t('advisories.editTitle')}><ErrorNotice error={error} /></Page>;
  const live = a.live;
  const locked = a.status === 'review';
  const texts = Object.fromEntries(Object.entries(live?.texts ?? {}).map(([l, x]) => [l, { title: x.title, summary: x.summary, body: x.body, remediation: x.remediation }]));
  return (
    <Page title={t('advisories.editTitleId', { id: a.trackingId })}>
      <p className="flex flex-wrap items-center gap-2"><StatusBadge status={a.status} /><TlpBadge tlp={a.tlp} />
        {a.publishedRevision > 0 && <span className="text-sm text-slate-700">{t('advisories.publishedRevision', { n: a.publishedRevision })}</span>}
        <Link to={`/advisories/view/${a.id}`} className="text-sm text-blue-800 underline">{t('advisories.viewPage')}</Link>
      </p>
      <ErrorNotice error={error} />
      {notice && <Notice>{notice}</Notice>}
      {!live ? <p>{t('advisories.notEditor')}</p> : (
        <>
          <Workflow a={a} onDone={done} />
          {locked && <p className="rounded border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900">{t('advisories.lockedInReview')}</p>}
          <Card title={t('advisories.text')}>
            <TextsEditor key={version} sourceLang={live.sourceLang} texts={texts} states={live.translations} locked={locked}
              onSave={async (lang: Language, body: TextBody) => {
                try { await api('PUT', `/api/advisories/${id}/texts/${lang}`, body); await done(t('advisories.textSaved', { language: LANGUAGE_NAMES[lang] })); } catch (e) { fail(e); }
              }}
              onRemove={async (lang: Language) => {
                try { await api('DELETE', `/api/advisories/${id}/texts/${lang}`); await done(t('advisories.translationRemoved')); } catch (e) { fail(e); }
              }} />
          </Card>
          {fields && (
            <Card title={t('advisories.fields')}>
              <Form className="space-y-4" onSubmit={async (e) => {
                e.preventDefault();
                try { await api('PATCH', `/api/advisories/${id}`, fieldsBody(fields)); await done(t('advisories.fieldsSaved')); } catch (err) { fail(err); }
              }}>
                <FieldsEditor value={fields} onChange={setFields} disabled={locked} />
                <Button type="submit" isDisabled={locked}>{t('advisories.saveFields')}</Button>
              </Form>
            </Card>
          )}
          <Card title={t('advisories.revisionHistory')}><RevisionHistory revisions={a.revisions} locale={i18n.language} /></Card>
        </>
      )}
    </Page>
  );
}

export default function AdvisoryEditor() {
  const { id } = useParams();
  return id ? <EditAdvisory id={id} /> : <NewAdvisory />;
}
