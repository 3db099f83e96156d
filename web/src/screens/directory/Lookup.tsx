/** Constituency lookup: paste IPs, prefixes, ASNs, domains or emails; see the responsible teams. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { post } from '../../api.ts';
import { Button, Card, ErrorNotice, Form, Page } from '../../components/ui.tsx';
import { textareaClass, type LookupItem } from './types.ts';

export default function Lookup() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [items, setItems] = useState<LookupItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = () => {
    const values = text.split(/\r?\n/).map((v) => v.trim()).filter(Boolean);
    if (!values.length) return;
    post<{ items: LookupItem[] }>('/api/directory/lookup', { values }).then((r) => { setItems(r.items); setError(null); }, setError);
  };
  return (
    <Page title={t('directory.lookupTitle')}>
      <Card>
        <Form className="flex flex-col gap-3" onSubmit={(e) => { e.preventDefault(); run(); }}>
          <label htmlFor="lookup-values" className="text-sm font-medium text-slate-800">{t('directory.lookupValues')}</label>
          <textarea id="lookup-values" rows={6} className={textareaClass} value={text} onChange={(e) => setText(e.target.value)} />
          <Button type="submit" className="self-start">{t('directory.lookupRun')}</Button>
        </Form>
      </Card>
      <ErrorNotice error={error} />
      {items && (
        <Card>
          <table className="w-full text-left text-sm">
            <thead><tr><th className="py-1">{t('directory.lookupValue')}</th><th>{t('directory.lookupMatched')}</th><th>{t('directory.lookupTeams')}</th></tr></thead>
            <tbody>
              {items.map((i, n) => (
                <tr key={n} className="border-t border-slate-100">
                  <td className="py-1 font-mono">{i.input}</td>
                  <td className="font-mono">{i.kind === 'invalid' ? t('directory.lookupInvalid') : (i.matched ?? '—')}</td>
                  <td>{i.teams.length ? i.teams.map((tm) => <Link key={tm.orgId} className="mr-2 text-blue-800 underline" to={`/directory/teams/${tm.orgId}`}>{tm.shortName ?? tm.name}</Link>) : t('directory.lookupNone')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Page>
  );
}
