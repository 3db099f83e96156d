/** Coordinators: mailing lists and campaigns — compose per language, preview, test send, schedule, send, pause, resume, cancel. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';

type List = { id: string; slug: string; kind: string; name: string; topics: string[]; size?: number; audience?: { type: string } | null };
type Campaign = {
  id: string; listId: string; subject: Partial<Record<Language, string>>; status: string; tlp: string; scheduledAt: string | null;
  recipientCount: number | null; counts: Record<string, number>; origin: string;
};
const ACTIONS: Record<string, string[]> = { draft: ['send'], scheduled: ['send', 'cancel'], sending: ['pause', 'cancel'], paused: ['resume', 'cancel'] };
const select = 'rounded border border-slate-400 bg-white px-3 py-2 text-slate-900';

function NewList({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState('public');
  const [audience, setAudience] = useState('network_members');
  const [error, setError] = useState<unknown>(null);
  return (
    <Card title={t('mailing.newList')}>
      <ErrorNotice error={error} />
      <Form className="grid max-w-2xl gap-3 sm:grid-cols-2" onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setError(null);
        try {
          await post('/api/mailing/lists', {
            slug: String(f.get('slug')), name: String(f.get('name')), kind,
            topics: String(f.get('topics') ?? '').split(',').map((x) => x.trim()).filter(Boolean),
            ...(kind === 'members' ? { audience: audience === 'sharing_group' ? { type: audience, groupId: String(f.get('groupId')) } : { type: audience } } : {}),
          });
          onDone();
        } catch (err) { setError(err); }
      }}>
        <Field name="name" label={t('mailing.listName')} isRequired />
        <Field name="slug" label={t('mailing.listSlug')} isRequired description={t('mailing.listSlugHint')} />
        <label className="flex flex-col gap-1 text-sm font-medium">{t('mailing.listKind')}
          <select className={select} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="public">{t('mailing.kindPublic')}</option><option value="members">{t('mailing.kindMembers')}</option>
          </select>
        </label>
        {kind === 'members' ? (
          <label className="flex flex-col gap-1 text-sm font-medium">{t('mailing.audience')}
            <select className={select} value={audience} onChange={(e) => setAudience(e.target.value)}>
              {['network_members', 'national_csirt_leads', 'sharing_group'].map((a) => <option key={a} value={a}>{t(`mailing.audiences.${a}`)}</option>)}
            </select>
          </label>
        ) : <Field name="topics" label={t('mailing.topics')} description={t('mailing.topicsListHint')} />}
        {kind === 'members' && audience === 'sharing_group' && <Field name="groupId" label={t('mailing.groupId')} isRequired />}
        <Button type="submit">{t('mailing.createList')}</Button>
      </Form>
    </Card>
  );
}

function Compose({ lists, onDone }: { lists: List[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [listId, setListId] = useState(lists[0]?.id ?? '');
  const [tlp, setTlp] = useState('clear');
  const [error, setError] = useState<unknown>(null);
  const list = lists.find((l) => l.id === listId);
  return (
    <Card title={t('mailing.compose')}>
      <ErrorNotice error={error} />
      <Form className="flex flex-col gap-4" onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const subject: Record<string, string> = {};
        const body: Record<string, string> = {};
        for (const l of LANGUAGES) {
          if (String(f.get(`subject.${l}`) ?? '').trim()) subject[l] = String(f.get(`subject.${l}`));
          if (String(f.get(`body.${l}`) ?? '').trim()) body[l] = String(f.get(`body.${l}`));
        }
        setError(null);
        try {
          await post('/api/mailing/campaigns', { listId, subject, body, tlp: list?.kind === 'public' ? 'clear' : tlp });
          (e.target as HTMLFormElement).reset();
          onDone();
        } catch (err) { setError(err); }
      }}>
        <div className="flex flex-wrap gap-4">
          <label className="flex flex-col gap-1 text-sm font-medium">{t('mailing.list')}
            <select className={select} value={listId} onChange={(e) => setListId(e.target.value)}>
              {lists.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
            </select>
          </label>
          {list?.kind === 'members' && (
            <label className="flex flex-col gap-1 text-sm font-medium">TLP
              <select className={select} value={tlp} onChange={(e) => setTlp(e.target.value)}>
                {['clear', 'green', 'amber', 'amber+strict'].map((x) => <option key={x} value={x}>TLP:{x.toUpperCase()}</option>)}
              </select>
            </label>
          )}
        </div>
        <p className="text-xs text-slate-600">{t('mailing.composeHint')}</p>
        {LANGUAGES.map((l) => (
          <fieldset key={l} className="grid gap-2 rounded border border-slate-200 p-3">
            <legend className="px-1 text-sm font-medium">{LANGUAGE_NAMES[l]}</legend>
            <Field name={`subject.${l}`} label={t('mailing.subject')} />
            <label className="flex flex-col gap-1 text-sm font-medium">{t('mailing.body')}
              <textarea name={`body.${l}`} rows={4} className="rounded border border-slate-400 px-3 py-2 font-normal" />
            </label>
          </fieldset>
        ))}
        <Button type="submit">{t('mailing.saveDraft')}</Button>
      </Form>
    </Card>
  );
}

function CampaignRow({ c, list, onChange }: { c: Campaign; list?: List; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const act = (path: string, body: unknown = {}) => post(`/api/mailing/campaigns/${c.id}/${path}`, body).then(onChange, setError);
  return (
    <li className="space-y-2 rounded border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">{c.subject.en ?? Object.values(c.subject)[0]}</span>
        <span className="text-sm text-slate-700">{list?.name} · TLP:{c.tlp.toUpperCase()} · {t(`mailing.status.${c.status}`)}</span>
      </div>
      <p className="text-sm text-slate-600">{Object.entries(c.counts).map(([k, v]) => `${t(`mailing.recipientStatus.${k}`)}: ${v}`).join(' · ') || t('mailing.noRecipientsYet')}</p>
      <ErrorNotice error={error} />
      {notice && <Notice>{notice}</Notice>}
      <div className="flex flex-wrap gap-2">
        {(ACTIONS[c.status] ?? []).map((a) => <Button key={a} variant={a === 'cancel' ? 'danger' : a === 'send' ? 'primary' : 'secondary'} onPress={() => act(a)}>{t(`mailing.actions.${a}`)}</Button>)}
        <Button variant="secondary" onPress={() => get<{ raw: string }>(`/api/mailing/campaigns/${c.id}/preview`, { locale: i18n.language }).then((p) => setPreview(p.raw), setError)}>{t('mailing.actions.preview')}</Button>
        {(c.status === 'draft' || c.status === 'scheduled') && (
          <Form className="flex items-end gap-2" onSubmit={(e) => {
            e.preventDefault();
            const at = String(new FormData(e.currentTarget).get('at'));
            void act('schedule', { at: new Date(at).toISOString() });
          }}>
            <label className="flex flex-col text-xs">{t('mailing.scheduleAt')}<input name="at" type="datetime-local" required className={select} /></label>
            <Button type="submit" variant="secondary">{t('mailing.actions.schedule')}</Button>
          </Form>
        )}
        <Form className="flex items-end gap-2" onSubmit={(e) => {
          e.preventDefault();
          const email = String(new FormData(e.currentTarget).get('email'));
          post(`/api/mailing/campaigns/${c.id}/test`, { email, locale: i18n.language }).then(() => setNotice(t('mailing.testSent', { email })), setError);
        }}>
          <Field name="email" type="email" label={t('mailing.testTo')} isRequired />
          <Button type="submit" variant="secondary">{t('mailing.actions.test')}</Button>
        </Form>
      </div>
      {preview && <pre className="max-h-80 overflow-auto rounded bg-slate-100 p-3 text-xs">{preview}</pre>}
    </li>
  );
}

export default function Campaigns() {
  const { t } = useTranslation();
  const [lists, setLists] = useState<List[]>([]);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    get<{ items: List[] }>('/api/mailing/lists').then((r) => setLists(r.items), setError);
    get<{ items: Campaign[] }>('/api/mailing/campaigns').then((r) => setCampaigns(r.items), setError);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (!campaigns.some((c) => c.status === 'sending')) return;
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [campaigns, load]);
  return (
    <Page title={t('mailing.manageTitle')}>
      <ErrorNotice error={error} />
      <Card title={t('mailing.lists')}>
        <ul className="space-y-1">
          {lists.map((l) => (
            <li key={l.id} className="flex flex-wrap justify-between gap-2 text-slate-800">
              <span>{l.name} <span className="text-slate-600">({l.kind === 'public' ? t('mailing.kindPublic') : t(`mailing.audiences.${l.audience?.type ?? 'network_members'}`)})</span></span>
              <span className="text-sm text-slate-600">{t('mailing.reach', { count: l.size ?? 0 })}{l.kind === 'public' && <> · <a className="text-blue-800 underline" href={`/lists/${l.slug}`}>/lists/{l.slug}</a></>}</span>
            </li>
          ))}
        </ul>
      </Card>
      <NewList onDone={load} />
      {lists.length > 0 && <Compose lists={lists} onDone={load} />}
      <Card title={t('mailing.campaigns')}>
        <ul className="space-y-3">{campaigns.map((c) => <CampaignRow key={c.id} c={c} list={lists.find((l) => l.id === c.listId)} onChange={load} />)}</ul>
      </Card>
    </Page>
  );
}
