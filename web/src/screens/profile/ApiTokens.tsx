/** Personal API tokens: create with scopes (the secret is shown once), list, revoke. */
import { useCallback, useEffect, useState } from 'react';
import { Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api.ts';
import type { CreatedToken, CreateTokenBody, TokenItem, TokenScope } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { can, useSession } from '../../session.tsx';
import { Button, Card, ErrorNotice, Field, Notice, Form } from '../../components/ui.tsx';

const SCOPES: TokenScope[] = ['read', 'write', 'intel:read', 'intel:write', 'taxii', 'admin'];

export function ApiTokens() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<TokenItem[]>([]);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setItems((await get<{ items: TokenItem[] }>('/api/me/tokens')).items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const tz = me?.user.timeZone;
  const offered = SCOPES.filter((s) => s !== 'admin' || can(me, 'admin'));
  return (
    <Card title={t('tokens.title')}>
      {created && (
        <div className="mb-4 space-y-1">
          <Notice>{t('tokens.created')}</Notice>
          <code className="block break-all rounded bg-slate-100 p-2 font-mono text-sm">{created.token}</code>
        </div>
      )}
      <Form className="mb-6 flex max-w-md flex-col gap-4" onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const body: CreateTokenBody = { name: String(new FormData(form).get('name')), scopes: scopes as TokenScope[] };
        setError(null);
        try {
          setCreated(await post<CreatedToken>('/api/me/tokens', body));
          form.reset();
          await load();
        } catch (err) {
          setError(err);
        }
      }}>
        <Field name="name" label={t('tokens.name')} isRequired maxLength={100} />
        <CheckboxGroup value={scopes} onChange={setScopes} className="flex flex-col gap-1" isRequired>
          <Label className="text-sm font-medium text-slate-800">{t('tokens.scopes')}</Label>
          <div className="flex flex-wrap gap-3">
            {offered.map((s) => (
              <Checkbox key={s} value={s} className="flex items-center gap-1 text-sm">
                {({ isSelected }) => (
                  <>
                    <span aria-hidden="true" className={`inline-block h-4 w-4 rounded border border-slate-500 ${isSelected ? 'bg-blue-700' : 'bg-white'}`} />
                    <span className="font-mono">{s}</span>
                  </>
                )}
              </Checkbox>
            ))}
          </div>
        </CheckboxGroup>
        <ErrorNotice error={error} />
        <Button type="submit" variant="secondary" isDisabled={scopes.length === 0}>{t('tokens.create')}</Button>
      </Form>
      {items.length === 0 ? <p className="text-sm">{t('tokens.none')}</p> : (
        <ul className="divide-y divide-slate-100 text-sm">
          {items.map((tk) => (
            <li key={tk.id} className="flex flex-wrap items-center gap-3 py-2">
              <span className="min-w-0 flex-1">
                <span className="block font-medium">{tk.name} <span className="font-mono text-slate-600">{tk.prefix}…</span></span>
                <span className="text-slate-600">
                  {tk.scopes.join(', ')} · {tk.expiresAt ? t('tokens.expires', { when: formatDateTime(tk.expiresAt, i18n.language, tz) }) : t('tokens.noExpiry')}
                </span>
              </span>
              {tk.revokedAt ? <span className="text-slate-600">{t('tokens.revoked')}</span> : (
                <Button variant="secondary" onPress={async () => {
                  try {
                    await api('DELETE', `/api/me/tokens/${tk.id}`);
                    await load();
                  } catch (e) {
                    setError(e);
                  }
                }}>{t('profile.revoke')}</Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
