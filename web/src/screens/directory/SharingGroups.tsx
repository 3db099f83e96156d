/** Sharing groups: coordinators create them; coordinators and the owner organisation manage members. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import { Button, Card, ErrorNotice, Field, Form, Page } from '../../components/ui.tsx';
import { can, useSession } from '../../session.tsx';
import { selectClass } from './types.ts';

type Group = { id: string; name: string; description: string; releasability: string; ownerOrgId: string | null; members: { orgId: string; name: string }[]; policies: { canManage: boolean } };
type Org = { id: string; name: string };

export default function SharingGroups() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [groups, setGroups] = useState<Group[]>([]);
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [form, setForm] = useState({ name: '', description: '', releasability: '' });
  const [adding, setAdding] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const load = () => get<{ items: Group[] }>('/api/sharing-groups').then((r) => setGroups(r.items), setError);
  useEffect(() => {
    void load();
    get<{ items: Org[] }>('/api/orgs').then((r) => setOrgs(r.items), setError);
  }, []);
  return (
    <Page title={t('directory.groupsTitle')}>
      <ErrorNotice error={error} />
      {can(me, 'coordinator') && (
        <Card title={t('directory.createGroup')}>
          <Form className="grid gap-3 md:grid-cols-3" onSubmit={(e) => {
            e.preventDefault();
            void post('/api/sharing-groups', form).then(() => { setForm({ name: '', description: '', releasability: '' }); void load(); }, setError);
          }}>
            <Field label={t('directory.groupName')} value={form.name} onChange={(v) => setForm({ ...form, name: v })} />
            <Field label={t('directory.groupDescription')} value={form.description} onChange={(v) => setForm({ ...form, description: v })} />
            <Field label={t('directory.releasability')} value={form.releasability} onChange={(v) => setForm({ ...form, releasability: v })} />
            <Button type="submit" className="self-start">{t('directory.createGroup')}</Button>
          </Form>
        </Card>
      )}
      {groups.length === 0 && <Card><p>{t('directory.noGroups')}</p></Card>}
      {groups.map((g) => (
        <Card key={g.id} title={g.name}>
          <p className="text-sm text-slate-800">{g.description}</p>
          {g.releasability && <p className="text-sm text-slate-700">{t('directory.releasability')}: {g.releasability}</p>}
          <p className="mt-2 text-sm font-medium">{t('directory.groupMembers', { n: g.members.length })}</p>
          <ul className="text-sm">
            {g.members.map((m) => (
              <li key={m.orgId} className="flex items-center gap-2 py-1">{m.name}
                {g.policies.canManage && m.orgId !== g.ownerOrgId && (
                  <Button variant="secondary" onPress={() => api('DELETE', `/api/sharing-groups/${g.id}/members/${m.orgId}`).then(load, setError)}>{t('directory.removeMember', { name: m.name })}</Button>
                )}
              </li>
            ))}
          </ul>
          {g.policies.canManage && (
            <Form className="mt-2 flex items-end gap-2" onSubmit={(e) => {
              e.preventDefault();
              if (adding[g.id]) void post(`/api/sharing-groups/${g.id}/members`, { orgId: adding[g.id] }).then(load, setError);
            }}>
              <label className="flex flex-col text-sm font-medium text-slate-800">{t('directory.addMember')}
                <select className={selectClass} value={adding[g.id] ?? ''} onChange={(e) => setAdding({ ...adding, [g.id]: e.target.value })}>
                  <option value="">—</option>
                  {orgs.filter((o) => !g.members.some((m) => m.orgId === o.id)).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
                </select>
              </label>
              <Button type="submit">{t('directory.addMember')}</Button>
            </Form>
          )}
        </Card>
      ))}
    </Page>
  );
}
