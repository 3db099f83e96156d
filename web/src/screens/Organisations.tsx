/** The organisation directory (details and people only where the server's policy allows). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import type { OrgDetail, OrgSummary } from '../api-types.ts';
import { formatNumber } from '../format.ts';
import { Button, Card, ErrorNotice, Page } from '../components/ui.tsx';

export default function Organisations() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<OrgSummary[] | null>(null);
  const [open, setOpen] = useState<OrgDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lang = i18n.language;
  useEffect(() => {
    get<{ items: OrgSummary[] }>('/api/orgs', { locale: lang }).then((r) => setItems(r.items), setError);
  }, [lang]);
  return (
    <Page title={t('orgs.title')}>
      <ErrorNotice error={error} />
      {items && (
        <Card>
          {items.length === 0 ? <p>{t('orgs.none')}</p> : (
            <ul className="divide-y divide-slate-100">
              {items.map((o) => (
                <li key={o.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                  <span className="min-w-0 flex-1">
                    <span className="block font-medium">{o.name}</span>
                    <span className="text-slate-600">
                      {t(`orgTypes.${o.type}`)}{o.countryName ? ` · ${o.countryName}` : ''}
                      {o.memberCount !== undefined ? ` · ${t('orgs.members', { n: formatNumber(o.memberCount, lang) })}` : ''}
                    </span>
                  </span>
                  {o.memberCount !== undefined && (
                    <Button variant="secondary" onPress={() => get<OrgDetail>(`/api/orgs/${o.id}`, { locale: lang }).then(setOpen, setError)}>
                      {t('orgs.people')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
      {open?.members && (
        <Card title={open.name}>
          <ul className="text-sm">
            {open.members.map((m) => <li key={m.userId}>{m.displayName ?? m.email} · {t(`orgRoles.${m.role}`)}</li>)}
          </ul>
        </Card>
      )}
    </Page>
  );
}
