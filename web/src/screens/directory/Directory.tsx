/** The directory: public page (public fields only) or, signed in, the members' directory with search, filters and exports. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { get, post, withQuery } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, Card, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import { useSession } from '../../session.tsx';
import type { Team } from './types.ts';

export default function Directory() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<Team[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [q, setQ] = useState('');
  const [country, setCountry] = useState('');
  const [sector, setSector] = useState('');
  const filters = { q, country: country.toUpperCase() || undefined, sector: sector || undefined };
  const path = me ? '/api/directory/teams' : '/api/directory/public';
  const load = () => get<{ items: Team[] }>(path, filters).then((r) => { setItems(r.items); setError(null); }, setError);
  useEffect(() => { void load(); }, [path]); // eslint-disable-line react-hooks/exhaustive-deps
  // In-app notices: contact checks this user is asked to answer.
  const [notices, setNotices] = useState<{ id: string; kind: string; data: { requestId?: string; team?: string } }[]>([]);
  const loadNotices = () => (me ? get<{ items: typeof notices }>('/api/directory/notices', { unread: 'true' }).then((r) => setNotices(r.items.filter((n) => n.kind === 'contact_check')), setError) : undefined);
  useEffect(() => { void loadNotices(); }, [me]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Page title={me ? t('directory.membersTitle') : t('directory.publicTitle')}>
      {notices.length > 0 && (
        <Card title={t('directory.notices')}>
          <ul className="flex flex-wrap gap-2">
            {notices.map((n) => (
              <li key={n.id}>
                <Button onPress={() => post(`/api/directory/contact-check-requests/${n.data.requestId}/confirm`).then(loadNotices, setError)}>
                  {t('directory.answerNotice', { team: n.data.team ?? '' })}
                </Button>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card>
        <Form className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); void load(); }}>
          <Field label={t('directory.search')} value={q} onChange={setQ} />
          <Field label={t('directory.country')} value={country} onChange={setCountry} inputClassName="w-24" />
          <Field label={t('directory.sector')} value={sector} onChange={setSector} />
          <Button type="submit">{t('directory.filter')}</Button>
        </Form>
        <p className="mt-3 flex gap-3 text-sm">
          {t('directory.export')}:
          {(['json', 'csv', 'vcard'] as const).map((f) => (
            <a key={f} className="text-blue-800 underline" href={withQuery('/api/directory/export', { ...filters, format: f })}>{f.toUpperCase()}</a>
          ))}
        </p>
      </Card>
      <ErrorNotice error={error} />
      {items && (
        <Card>
          {items.length === 0 ? <p>{t('directory.none')}</p> : (
            <ul className="divide-y divide-slate-100">
              {items.map((team) => (
                <li key={team.orgId} className="py-2 text-sm">
                  <Link className="font-medium text-blue-800 underline" to={`/directory/teams/${team.orgId}`} aria-label={t('directory.open', { name: team.name })}>
                    {team.shortName ?? team.name}
                  </Link>
                  <span className="ml-2 text-slate-700">{team.officialName ?? team.name}{team.countryCode ? ` · ${team.countryCode}` : ''}</span>
                  {team.roleEmail && <span className="ml-2 text-slate-700">· {team.roleEmail}</span>}
                  {team.stale && <span className="ml-2 rounded bg-amber-100 px-2 text-amber-900">{t('directory.stale')}</span>}
                  {'lastVerifiedAt' in team && (
                    <span className="ml-2 text-slate-600">· {t('directory.lastVerified', { date: team.lastVerifiedAt ? formatDateTime(team.lastVerifiedAt, i18n.language) : t('directory.never') })}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
    </Page>
  );
}
