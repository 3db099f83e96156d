/** Opening a channel: kind (network-wide, sharing group, bilateral, organisation), open or invite-only, default TLP. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api.ts';
import type { OrgSummary } from '../../api-types.ts';
import { useSession } from '../../session.tsx';
import { Button, Card, ErrorNotice, Field, Form } from '../../components/ui.tsx';
import { selectClass } from '../reports/shared.tsx';
import { TLPS, tlpLabel, type ChannelKind } from './types.ts';

const KINDS: ChannelKind[] = ['network', 'group', 'bilateral', 'org'];
type Group = { id: string; name: string };

export function NewChannel({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [kind, setKind] = useState<ChannelKind>('bilateral');
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [access, setAccess] = useState<'open' | 'invite'>('open');
  const [defaultTlp, setDefaultTlp] = useState<string>('green');
  const [orgs, setOrgs] = useState<OrgSummary[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [otherOrgId, setOtherOrgId] = useState('');
  const [sharingGroupId, setSharingGroupId] = useState('');
  const [orgId, setOrgId] = useState(me?.memberships[0]?.orgId ?? '');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: OrgSummary[] }>('/api/orgs').then((r) => setOrgs(r.items), setError);
    get<{ items: Group[] }>('/api/sharing-groups').then((r) => setGroups(r.items), () => setGroups([]));
  }, []);
  const mine = new Set(me?.memberships.map((m) => m.orgId));
  const label = 'flex flex-col gap-1 text-sm font-medium text-slate-800';
  return (
    <Card title={t('messaging.create.title')}>
      <ErrorNotice error={error} />
      <Form className="grid gap-3 sm:grid-cols-2" onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        post<{ id: string }>('/api/messaging/channels', {
          kind, name, access, defaultTlp, ...(topic ? { topic } : {}), ...(orgId ? { orgId } : {}),
          ...(kind === 'bilateral' ? { otherOrgId } : {}), ...(kind === 'group' ? { sharingGroupId } : {}),
        }).then((c) => onCreated(c.id), setError);
      }}>
        <label className={label}>{t('messaging.create.kind')}
          <select className={selectClass} value={kind} onChange={(e) => setKind(e.target.value as ChannelKind)}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`messaging.kinds.${k}`)}</option>)}
          </select>
        </label>
        {(me?.memberships.length ?? 0) > 1 && (
          <label className={label}>{t('messaging.create.yourOrg')}
            <select className={selectClass} value={orgId} onChange={(e) => setOrgId(e.target.value)}>
              {me!.memberships.map((m) => <option key={m.orgId} value={m.orgId}>{orgs.find((o) => o.id === m.orgId)?.name ?? m.orgId}</option>)}
            </select>
          </label>
        )}
        {kind === 'bilateral' && (
          <label className={label}>{t('messaging.create.otherOrg')}
            <select className={selectClass} value={otherOrgId} onChange={(e) => setOtherOrgId(e.target.value)} required>
              <option value="">—</option>
              {orgs.filter((o) => !mine.has(o.id)).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </label>
        )}
        {kind === 'group' && (
          <label className={label}>{t('messaging.create.group')}
            <select className={selectClass} value={sharingGroupId} onChange={(e) => setSharingGroupId(e.target.value)} required>
              <option value="">—</option>
              {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </label>
        )}
        <Field label={t('messaging.create.name')} value={name} onChange={setName} isRequired maxLength={120} />
        <Field label={t('messaging.create.topic')} value={topic} onChange={setTopic} maxLength={500} />
        <label className={label}>{t('messaging.create.accessLabel')}
          <select className={selectClass} value={access} onChange={(e) => setAccess(e.target.value as 'open' | 'invite')}>
            <option value="open">{t('messaging.access.open')}</option>
            <option value="invite">{t('messaging.access.invite')}</option>
          </select>
        </label>
        <label className={label}>{t('messaging.create.defaultTlp')}
          <select className={selectClass} value={defaultTlp} onChange={(e) => setDefaultTlp(e.target.value)}>
            {TLPS.filter((x) => x !== 'red').map((x) => <option key={x} value={x}>{tlpLabel(x)}</option>)}
          </select>
        </label>
        <div className="sm:col-span-2"><Button type="submit">{t('messaging.create.submit')}</Button></div>
      </Form>
    </Card>
  );
}
