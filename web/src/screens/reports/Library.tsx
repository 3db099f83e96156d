/** Members: the publications library — search (full text, four languages), upload a report/document or post an announcement, withdraw. */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import { can, useSession } from '../../session.tsx';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import { Area } from '../advisories/TextsEditor.tsx';
import { KINDS, PublicationEntry, SearchForm, selectClass, type CreatePublicationBody, type Filter, type Publication } from './shared.tsx';

const ACCEPT = '.pdf,.odt,.docx,.pptx,.txt,.md,.csv,.json,.png,.jpg,.jpeg';

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

const TYPES: Record<string, string> = { md: 'text/markdown', csv: 'text/csv', json: 'application/json', txt: 'text/plain', pdf: 'application/pdf' };

function Upload({ onDone }: { onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('report');
  const [lang, setLang] = useState<Language>(isLanguage(i18n.language) ? i18n.language : 'en');
  const [audience, setAudience] = useState<'public' | 'members'>('members');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  return (
    <Card title={t('reports.uploadTitle')}>
      <ErrorNotice error={error} />
      {done && <Notice>{t('reports.published')}</Notice>}
      <Form className="grid gap-3 sm:grid-cols-3" onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setDone(false);
        try {
          const ext = file?.name.split('.').pop()?.toLowerCase() ?? '';
          const body1: CreatePublicationBody = {
            kind, lang, audience, title, summary, body,
            ...(file ? { file: { filename: file.name, contentType: file.type || TYPES[ext] || 'application/octet-stream', dataBase64: await readBase64(file) } } : {}),
          };
          await post('/api/publications', body1);
          setTitle(''); setSummary(''); setBody(''); setFile(null);
          (e.target as HTMLFormElement).reset();
          setDone(true);
          onDone();
        } catch (err) { setError(err); }
      }}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('reports.kind')}
          <select className={selectClass} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`reports.kinds.${k}`)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('reports.language')}
          <select className={selectClass} value={lang} onChange={(e) => isLanguage(e.target.value) && setLang(e.target.value)}>
            {LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('reports.audience')}
          <select className={selectClass} value={audience} onChange={(e) => setAudience(e.target.value as typeof audience)}>
            <option value="members">{t('reports.audiences.members')}</option>
            <option value="public">{t('reports.audiences.public')}</option>
          </select>
        </label>
        <div className="sm:col-span-3"><Field label={t('reports.titleLabel')} value={title} onChange={setTitle} isRequired /></div>
        <div className="sm:col-span-3"><Area name="pub-summary" label={t('reports.summary')} value={summary} onChange={setSummary} rows={3} /></div>
        <div className="sm:col-span-3"><Area name="pub-body" label={t('reports.body')} value={body} onChange={setBody} rows={4} description={t('reports.bodyHint')} /></div>
        <div className="flex flex-col gap-1 sm:col-span-3">
          <label htmlFor="pub-file" className="text-sm font-medium text-slate-800">{t('reports.file')}</label>
          <input id="pub-file" type="file" accept={ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby="pub-file-d" className="text-sm" />
          <p id="pub-file-d" className="text-xs text-slate-600">{kind === 'announcement' ? t('reports.fileOptional') : t('reports.fileRequired')}</p>
        </div>
        <div><Button type="submit">{t('reports.publish')}</Button></div>
      </Form>
    </Card>
  );
}

export default function Library() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<Publication[] | null>(null);
  const [filter, setFilter] = useState<Filter>({ q: '', lang: '', kind: '' });
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => { get<{ items: Publication[] }>('/api/publications', filter).then((r) => setItems(r.items), setError); }, [filter]);
  useEffect(load, [load]);
  return (
    <Page title={t('reports.libraryTitle')}>
      <Link to="/public/reports" className="text-sm text-blue-800 underline">{t('reports.publicTitle')}</Link>
      <SearchForm onSearch={setFilter} />
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{filter.q ? t('reports.noMatch') : t('reports.none')}</p>}
      <ul className="space-y-3">
        {items?.map((p) => (
          <PublicationEntry key={p.id} p={p} fileBase="/api/publications"
            actions={can(me, 'coordinator') ? <Button variant="danger" onPress={() => api('DELETE', `/api/publications/${p.id}`).then(load, setError)}>{t('reports.withdraw')}</Button> : null} />
        ))}
      </ul>
      {can(me, 'network') && <Upload onDone={load} />}
    </Page>
  );
}
