/** One team's entry: what the caller may see, and for the team (or the hub) the edit forms. */
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { Button, Card, ErrorNotice, Field, Form, Notice, Page } from '../../components/ui.tsx';
import { FIELDS, LEVELS, selectClass, textareaClass, type Level, type Team } from './types.ts';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return <div className="grid grid-cols-3 gap-2 py-1 text-sm"><dt className="font-medium text-slate-800">{label}</dt><dd className="col-span-2 text-slate-900">{children}</dd></div>;
}

export default function TeamPage() {
  const { orgId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const [team, setTeam] = useState<Team | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = () => get<Team>(`/api/directory/teams/${orgId}`).then(setTeam, setError);
  useEffect(() => { void load(); }, [orgId]); // eslint-disable-line react-hooks/exhaustive-deps
  const done = (message: string) => (r: unknown) => { setNotice(message); setError(null); void load(); return r; };
  const fail = (e: unknown) => { setNotice(null); setError(e); };
  if (!team) return <Page title={t('directory.teamTitle')}><ErrorNotice error={error} /></Page>;
  const f = (k: string) => t(`directory.fields.${k}`);
  const date = (d: string | null | undefined) => (d ? formatDateTime(d, i18n.language) : t('directory.never'));
  return (
    <Page title={team.officialName ?? team.name}>
      <ErrorNotice error={error} />
      {notice && <Notice>{notice}</Notice>}
      <Card>
        <dl>
          {team.countries && <Row label={f('countries')}>{team.countries.join(', ')}</Row>}
          {team.established !== undefined && <Row label={f('established')}>{team.established ?? '—'}</Row>}
          {team.website !== undefined && <Row label={f('website')}>{team.website ?? '—'}</Row>}
          {team.roleEmail !== undefined && <Row label={f('roleEmail')}>{team.roleEmail ?? '—'}</Row>}
          {team.phones && <Row label={f('phones')}>{team.phones.join(', ') || '—'}</Row>}
          {team.emergencyPhone !== undefined && <Row label={f('emergencyPhone')}>{team.emergencyPhone ?? '—'}</Row>}
          {team.businessHours !== undefined && <Row label={f('businessHours')}>{team.businessHours ?? '—'}</Row>}
          {team.timeZone !== undefined && <Row label={f('timeZone')}>{team.timeZone ?? '—'}</Row>}
          {team.constituencyDescription !== undefined && <Row label={f('constituencyDescription')}>{team.constituencyDescription || '—'}</Row>}
          {team.sectors && <Row label={f('sectors')}>{team.sectors.join(', ') || '—'}</Row>}
          {(['asns', 'ipv4', 'ipv6', 'domains'] as const).map((k) => team[k] && <Row key={k} label={f(k)}><span className="font-mono">{team[k]!.join(', ') || '—'}</span></Row>)}
          {'lastVerifiedAt' in team && <Row label={f('lastVerified')}>{date(team.lastVerifiedAt)}</Row>}
        </dl>
        {team.stale && <p className="mt-2 rounded bg-amber-100 px-2 text-sm text-amber-900">{t('directory.stale')}</p>}
        {team.policies.canConfirm && (
          <Button className="mt-3" variant="secondary" onPress={() => post(`/api/directory/teams/${orgId}/confirm`).then(done(t('directory.confirmed')), fail)}>{t('directory.confirmEntry')}</Button>
        )}
      </Card>
      {team.contacts && (
        <Card title={f('contacts')}>
          <ul className="text-sm">
            {team.contacts.map((c) => (
              <li key={c.id}>{c.name} · {c.function || t(`directory.kinds.${c.kind}`)} · {c.email}{c.phone ? ` · ${c.phone}` : ''}
                {'lastVerifiedAt' in c && <span className="text-slate-600"> · {t('directory.lastVerified', { date: date(c.lastVerifiedAt) })}</span>}</li>
            ))}
          </ul>
        </Card>
      )}
      {team.keys && (
        <Card title={f('keys')}>
          <ul className="text-sm">
            {team.keys.map((k) => (
              <li key={k.id} className="font-mono">
                <a className="text-blue-800 underline" href={`/api/directory/keys/${k.id}`}>{k.fingerprint}</a> · {k.algorithm} · {t(`directory.keyState.${k.state}`)}
                {k.expiresAt && ` · ${t('directory.expires', { date: date(k.expiresAt) })}`} · {k.userIds.join(', ')}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {team.policies.canEdit && <EditForms team={team} onDone={done} onFail={fail} />}
    </Page>
  );
}

function EditForms({ team, onDone, onFail }: { team: Team; onDone: (m: string) => (r: unknown) => unknown; onFail: (e: unknown) => void }) {
  const { t } = useTranslation();
  const id = team.orgId;
  const lines = (v: string) => v.split(/\r?\n|,/).map((x) => x.trim()).filter(Boolean);
  const [p, setP] = useState({
    officialName: team.officialName ?? '', roleEmail: team.roleEmail ?? '', emergencyPhone: team.emergencyPhone ?? '', businessHours: team.businessHours ?? '',
    timeZone: team.timeZone ?? '', constituencyDescription: team.constituencyDescription ?? '', phones: (team.phones ?? []).join(', '), sectors: (team.sectors ?? []).join(', '),
  });
  const [vis, setVis] = useState<Record<string, Level>>(team.fieldVisibility ?? {});
  const [cons, setCons] = useState({ asns: (team.asns ?? []).join('\n'), ipv4: (team.ipv4 ?? []).join('\n'), ipv6: (team.ipv6 ?? []).join('\n'), domains: (team.domains ?? []).join('\n') });
  const [contact, setContact] = useState({ kind: 'role', name: '', function: '', email: '', visibility: 'members' as Level });
  const [armored, setArmored] = useState('');
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  const saveProfile = () => api('PATCH', `/api/directory/teams/${id}`, {
    officialName: orNull(p.officialName), roleEmail: orNull(p.roleEmail), emergencyPhone: orNull(p.emergencyPhone), businessHours: orNull(p.businessHours),
    timeZone: orNull(p.timeZone), constituencyDescription: p.constituencyDescription, phones: lines(p.phones), sectors: lines(p.sectors), fieldVisibility: vis,
  }).then(onDone(t('common.saved')), onFail);
  return (
    <>
      <Card title={t('directory.edit')}>
        <Form className="grid gap-3 md:grid-cols-2" onSubmit={(e) => { e.preventDefault(); void saveProfile(); }}>
          {(['officialName', 'roleEmail', 'emergencyPhone', 'businessHours', 'timeZone', 'constituencyDescription', 'phones', 'sectors'] as const).map((k) => (
            <Field key={k} label={t(`directory.fields.${k}`)} value={p[k]} onChange={(v) => setP({ ...p, [k]: v })} />
          ))}
          <fieldset className="md:col-span-2">
            <legend className="mb-2 text-sm font-semibold text-slate-900">{t('directory.visibility')}</legend>
            <div className="grid gap-2 md:grid-cols-3">
              {FIELDS.map((k) => (
                <label key={k} className="flex flex-col text-sm text-slate-800">
                  {t('directory.visibilityOf', { field: t(`directory.fields.${k}`) })}
                  <select className={selectClass} value={vis[k] ?? 'members'} onChange={(e) => setVis({ ...vis, [k]: e.target.value as Level })}>
                    {LEVELS.map((l) => <option key={l} value={l}>{t(`directory.levels.${l}`)}</option>)}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
          <Button type="submit" className="self-start">{t('common.save')}</Button>
        </Form>
      </Card>
      <Card title={t('directory.saveConstituency')}>
        <Form className="grid gap-3 md:grid-cols-2" onSubmit={(e) => {
          e.preventDefault();
          void api('PUT', `/api/directory/teams/${id}/constituency`, { asns: lines(cons.asns), ipv4: lines(cons.ipv4), ipv6: lines(cons.ipv6), domains: lines(cons.domains) }).then(onDone(t('common.saved')), onFail);
        }}>
          {(['asns', 'ipv4', 'ipv6', 'domains'] as const).map((k) => (
            <label key={k} className="flex flex-col text-sm font-medium text-slate-800">
              {t(`directory.fields.${k}`)} ({t('directory.listHint')})
              <textarea rows={4} className={textareaClass} value={cons[k]} onChange={(e) => setCons({ ...cons, [k]: e.target.value })} />
            </label>
          ))}
          <Button type="submit" className="self-start">{t('directory.saveConstituency')}</Button>
        </Form>
      </Card>
      <Card title={t('directory.addContact')}>
        <Form className="grid gap-3 md:grid-cols-2" onSubmit={(e) => {
          e.preventDefault();
          void post(`/api/directory/teams/${id}/contacts`, contact).then(onDone(t('common.saved')), onFail).then(() => setContact({ ...contact, name: '', function: '', email: '' }));
        }}>
          <Field label={t('directory.contactName')} value={contact.name} onChange={(v) => setContact({ ...contact, name: v })} />
          <Field label={t('directory.contactFunction')} value={contact.function} onChange={(v) => setContact({ ...contact, function: v })} />
          <Field label={t('common.email')} type="email" value={contact.email} onChange={(v) => setContact({ ...contact, email: v })} />
          <label className="flex flex-col text-sm font-medium text-slate-800">{t('directory.contactKind')}
            <select className={selectClass} value={contact.kind} onChange={(e) => setContact({ ...contact, kind: e.target.value })}>
              <option value="role">{t('directory.kinds.role')}</option><option value="person">{t('directory.kinds.person')}</option>
            </select>
          </label>
          <label className="flex flex-col text-sm font-medium text-slate-800">{t('directory.visibility')}
            <select className={selectClass} value={contact.visibility} onChange={(e) => setContact({ ...contact, visibility: e.target.value as Level })}>
              {LEVELS.map((l) => <option key={l} value={l}>{t(`directory.levels.${l}`)}</option>)}
            </select>
          </label>
          <Button type="submit" className="self-start">{t('directory.addContact')}</Button>
        </Form>
      </Card>
      <Card title={t('directory.uploadKey')}>
        <Form className="flex flex-col gap-3" onSubmit={(e) => {
          e.preventDefault();
          void post<{ fingerprint: string }>(`/api/directory/teams/${id}/keys`, { armored }).then((k) => { onDone(t('directory.keyUploaded', { fingerprint: k.fingerprint }))(k); setArmored(''); }, onFail);
        }}>
          <label htmlFor="armored-key" className="text-sm font-medium text-slate-800">{t('directory.armored')}</label>
          <textarea id="armored-key" rows={8} className={textareaClass} value={armored} onChange={(e) => setArmored(e.target.value)} />
          <Button type="submit" className="self-start">{t('directory.uploadKey')}</Button>
        </Form>
      </Card>
    </>
  );
}
