/** Public pages of the mailing lists: subscribe, confirm, preferences/unsubscribe (by the emailed link), archive. */
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import { api, get, post } from '../../api.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';

type PublicList = { id: string; slug: string; name: string; description: string; topics: string[] };
type Prefs = { list: { slug: string; name: string; kind: string; topics: string[] }; email: string; subscribed: boolean; locale: string | null; topics: string[] };
type ArchiveItem = { id: string; list: { name: string; slug: string } | string; tlp: string; sentAt: string; locale: string; subject: string; body?: string };

function LanguageSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
      {t('mailing.language')}
      <select name="locale" value={value} onChange={(e) => onChange(e.target.value)} className="rounded border border-slate-400 bg-white px-3 py-2 text-slate-900">
        {LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
      </select>
    </label>
  );
}

function Topics({ all, value, onChange }: { all: string[]; value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  if (!all.length) return null;
  return (
    <CheckboxGroup value={value} onChange={onChange} className="flex flex-col gap-1">
      <Label className="text-sm font-medium text-slate-800">{t('mailing.topics')}</Label>
      <p className="text-xs text-slate-600">{t('mailing.topicsHint')}</p>
      {all.map((topic) => (
        <Checkbox key={topic} value={topic} className="flex items-center gap-2 text-slate-900 before:block before:h-4 before:w-4 before:rounded before:border before:border-slate-500 data-[selected]:before:bg-blue-700">{topic}</Checkbox>
      ))}
    </CheckboxGroup>
  );
}

export function Subscribe() {
  const { t, i18n } = useTranslation();
  const { slug = '' } = useParams();
  const [list, setList] = useState<PublicList | null>(null);
  const [locale, setLocale] = useState<string>(isLanguage(i18n.language) ? i18n.language : 'en');
  const [topics, setTopics] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  useEffect(() => { get<PublicList>(`/api/mailing/lists/${slug}`).then(setList, setError); }, [slug]);
  return (
    <Page title={list ? t('mailing.subscribeTo', { list: list.name }) : t('mailing.subscribe')}>
      <ErrorNotice error={error} />
      {done && <Notice>{t('mailing.checkInbox')}</Notice>}
      {list && !done && (
        <Card>
          {list.description && <p className="mb-4 text-slate-700">{list.description}</p>}
          <Form className="flex max-w-md flex-col gap-4" onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            try {
              await post(`/api/mailing/lists/${slug}/subscribe`, { email: String(new FormData(e.currentTarget).get('email')), locale, topics });
              setDone(true);
            } catch (err) { setError(err); }
          }}>
            <Field name="email" type="email" label={t('common.email')} isRequired autoComplete="email" />
            <LanguageSelect value={locale} onChange={setLocale} />
            <Topics all={list.topics} value={topics} onChange={setTopics} />
            <Button type="submit">{t('mailing.subscribe')}</Button>
          </Form>
          <p className="mt-4 text-xs text-slate-600">{t('mailing.doubleOptIn')}</p>
        </Card>
      )}
    </Page>
  );
}

export function Confirm() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [state, setState] = useState<{ list: { name: string } } | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Page title={t('mailing.confirmTitle')}>
      <ErrorNotice error={error} />
      {state ? <Notice>{t('mailing.confirmed', { list: state.list.name })}</Notice> : (
        <Card>
          <p className="mb-4 text-slate-700">{t('mailing.confirmIntro')}</p>
          <Button onPress={() => post<{ list: { name: string } }>('/api/mailing/confirm', { token: params.get('token') ?? '' }).then(setState, setError)}>{t('mailing.confirmButton')}</Button>
        </Card>
      )}
    </Page>
  );
}

/** Behind the per-recipient link of every list message (preferences, and unsubscribe). */
export function Preferences() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [locale, setLocale] = useState('en');
  const [topics, setTopics] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const load = (p: Prefs) => { setPrefs(p); setLocale(p.locale ?? 'en'); setTopics(p.topics); };
  useEffect(() => { get<Prefs>('/api/mailing/preferences', { token }).then(load, setError); }, [token]);
  return (
    <Page title={t('mailing.preferencesTitle')}>
      <ErrorNotice error={error} />
      {saved && <Notice>{t('mailing.saved')}</Notice>}
      {prefs && (
        <Card title={prefs.list.name}>
          <p className="mb-4 text-slate-700">{prefs.subscribed ? t('mailing.subscribedAs', { email: prefs.email }) : t('mailing.unsubscribed', { email: prefs.email })}</p>
          {prefs.subscribed && prefs.list.kind === 'public' && (
            <Form className="mb-6 flex max-w-md flex-col gap-4" onSubmit={async (e) => {
              e.preventDefault();
              setError(null);
              try { load(await api<Prefs>('PUT', '/api/mailing/preferences', { token, locale, topics })); setSaved(true); } catch (err) { setError(err); }
            }}>
              <LanguageSelect value={locale} onChange={setLocale} />
              <Topics all={prefs.list.topics} value={topics} onChange={setTopics} />
              <Button type="submit">{t('common.save')}</Button>
            </Form>
          )}
          {prefs.subscribed && (
            <Button variant="danger" onPress={() => post('/api/mailing/unsubscribe', { token }).then(() => get<Prefs>('/api/mailing/preferences', { token }).then(load), setError)}>
              {t('mailing.unsubscribe')}
            </Button>
          )}
        </Card>
      )}
    </Page>
  );
}

export function Archive() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<ArchiveItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<{ items: ArchiveItem[] }>('/api/mailing/archive', { locale: i18n.language }).then((r) => setItems(r.items), setError); }, [i18n.language]);
  return (
    <Page title={t('mailing.archiveTitle')}>
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p className="text-slate-700">{t('mailing.archiveEmpty')}</p>}
      <ul className="space-y-3">
        {items?.map((a) => (
          <li key={a.id} className="rounded border border-slate-200 bg-white p-4">
            <Link to={`/lists/archive/${a.id}`} className="font-medium text-blue-800 underline" lang={a.locale}>{a.subject}</Link>
            <p className="text-sm text-slate-600">{typeof a.list === 'string' ? a.list : a.list.name} · TLP:{a.tlp.toUpperCase()} · {new Date(a.sentAt).toLocaleDateString(i18n.language)}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function ArchivedMessage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [msg, setMsg] = useState<ArchiveItem | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<ArchiveItem>(`/api/mailing/archive/${id}`, { locale: i18n.language }).then(setMsg, setError); }, [id, i18n.language]);
  return (
    <Page title={msg?.subject ?? t('mailing.archiveTitle')}>
      <ErrorNotice error={error} />
      {msg && (
        <Card>
          <p className="mb-3 text-sm text-slate-600">{String(msg.list)} · TLP:{msg.tlp.toUpperCase()} · {new Date(msg.sentAt).toLocaleString(i18n.language)}</p>
          <pre lang={msg.locale} className="whitespace-pre-wrap font-sans text-slate-900">{msg.body}</pre>
        </Card>
      )}
      <Link to="/lists/archive" className="text-blue-800 underline">{t('mailing.backToArchive')}</Link>
    </Page>
  );
}
