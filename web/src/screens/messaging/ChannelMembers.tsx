/** Who is in the channel; join, follow (email digest), leave; invite (owners, team leads, coordinators). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import type { OrgDetail, OrgSummary } from '../../api-types.ts';
import { useSession } from '../../session.tsx';
import { Button, ErrorNotice, Notice } from '../../components/ui.tsx';
import { selectClass } from '../reports/shared.tsx';
import type { Channel, Member } from './types.ts';

function Invite({ channel, members, onDone }: { channel: Channel; members: Member[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [orgs, setOrgs] = useState<OrgSummary[]>([]);
  const [orgId, setOrgId] = useState('');
  const [people, setPeople] = useState<NonNullable<OrgDetail['members']>>([]);
  const [userId, setUserId] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: OrgSummary[] }>('/api/orgs').then((r) => setOrgs(channel.scopeOrgIds.length ? r.items.filter((o) => channel.scopeOrgIds.includes(o.id)) : r.items), setError);
  }, [channel.scopeOrgIds]);
  useEffect(() => {
    setPeople([]);
    setUserId('');
    if (orgId) get<OrgDetail>(`/api/orgs/${orgId}`).then((o) => setPeople(o.members ?? []), setError);
  }, [orgId]);
  const candidates = people.filter((p) => !members.some((m) => m.userId === p.userId));
  return (
    <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => {
      e.preventDefault();
      setDone(false);
      if (userId) post(`/api/messaging/channels/${channel.id}/members`, { userId }).then(() => { setDone(true); setUserId(''); onDone(); }, setError);
    }}>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('messaging.members.org')}
        <select className={selectClass} value={orgId} onChange={(e) => setOrgId(e.target.value)}>
          <option value="">—</option>
          {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">{t('messaging.members.person')}
        <select className={selectClass} value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">—</option>
          {candidates.map((p) => <option key={p.userId} value={p.userId}>{p.displayName ?? p.email}</option>)}
        </select>
      </label>
      <Button type="submit" isDisabled={!userId}>{t('messaging.members.invite')}</Button>
      {done && <Notice>{t('messaging.members.invited')}</Notice>}
      <ErrorNotice error={error} />
    </form>
  );
}

export function ChannelMembers({ channel, members, onChanged }: { channel: Channel; members: Member[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [error, setError] = useState<unknown>(null);
  const act = (p: Promise<unknown>) => p.then(onChanged, setError);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        {!channel.member && channel.access === 'open' && (
          <Button onPress={() => act(post(`/api/messaging/channels/${channel.id}/join`))}>{t('messaging.members.join')}</Button>
        )}
        {channel.member && (
          <label className="flex items-center gap-2 text-sm text-slate-900">
            <input type="checkbox" checked={channel.follow} onChange={(e) => act(api('PUT', `/api/messaging/channels/${channel.id}/follow`, { follow: e.target.checked }))} />
            {t('messaging.members.follow')}
          </label>
        )}
        {channel.member && me && (
          <Button variant="secondary" onPress={() => act(api('DELETE', `/api/messaging/channels/${channel.id}/members/${me.user.id}`))}>{t('messaging.members.leave')}</Button>
        )}
      </div>
      <details className="rounded border border-slate-200 bg-white p-2">
        <summary className="cursor-pointer text-sm font-medium text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-700">
          {t('messaging.members.title', { count: members.length })}
        </summary>
        <ul className="mt-2 flex flex-wrap gap-2 text-sm">
          {members.map((m) => <li key={m.userId} className="rounded bg-slate-100 px-2">{m.displayName}{m.role === 'owner' ? ` (${t('messaging.members.owner')})` : ''}</li>)}
        </ul>
        {channel.canManage && <div className="mt-3"><Invite channel={channel} members={members} onDone={onChanged} /></div>}
      </details>
      <ErrorNotice error={error} />
    </div>
  );
}
