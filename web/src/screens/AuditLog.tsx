/** Administrators browse the audit log, newest first, with filters and keyset paging. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import type { AuditFilter, AuditItem, AuditPage } from '../api-types.ts';
import { useSession } from '../session.tsx';
import { formatDateTime, formatNumber } from '../format.ts';
import { Button, Card, ErrorNotice, Field, Page, Form } from '../components/ui.tsx';

type Filters = Pick<AuditFilter, 'action' | 'targetType' | 'actorId' | 'from' | 'to'>;
const PAGE = 25;

export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [cursors, setCursors] = useState<number[]>([]); // `before` of each page after the first
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (f: Filters, before?: number) => {
    setError(null);
    try {
      const q = { ...f, from: f.from ? new Date(String(f.from)).toISOString() : undefined, to: f.to ? new Date(String(f.to)).toISOString() : undefined };
      setPage(await get<AuditPage>('/api/admin/audit', { ...q, before, limit: PAGE }));
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void load({});
  }, [load]);

  const before = cursors[cursors.length - 1];
  return (
    <Page title={t('audit.title')}>
      <Card title={t('audit.filters')}>
        <Form
          className="grid gap-3 md:grid-cols-3"
          onSubmit={(e) => {
            e.preventDefault();
            const d = new FormData(e.currentTarget);
            const v = (k: string) => String(d.get(k) ?? '').trim() || undefined;
            const f: Filters = { action: v('action'), targetType: v('targetType'), actorId: v('actorId'), from: v('from'), to: v('to') };
            setFilters(f);
            setCursors([]);
            void load(f);
          }}
        >
          <Field name="action" label={t('audit.action')} />
          <Field name="targetType" label={t('audit.targetType')} />
          <Field name="actorId" label={t('audit.actorId')} />
          <Field name="from" type="datetime-local" label={t('audit.from')} />
          <Field name="to" type="datetime-local" label={t('audit.to')} />
          <div className="flex items-end"><Button type="submit">{t('audit.apply')}</Button></div>
        </Form>
      </Card>
      <ErrorNotice error={error} />
      {page && (
        <Card>
          {page.items.length === 0 ? <p>{t('audit.empty')}</p> : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t('audit.title')}</caption>
                <thead>
                  <tr className="border-b border-slate-300">
                    <th scope="col" className="py-2 pr-3">#</th>
                    <th scope="col" className="py-2 pr-3">{t('audit.at')}</th>
                    <th scope="col" className="py-2 pr-3">{t('audit.action')}</th>
                    <th scope="col" className="py-2 pr-3">{t('audit.actor')}</th>
                    <th scope="col" className="py-2 pr-3">{t('audit.target')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((r: AuditItem) => (
                    <tr key={r.seq} className="border-b border-slate-100 align-top">
                      <td className="py-1 pr-3 tabular-nums">{formatNumber(r.seq, i18n.language)}</td>
                      <td className="py-1 pr-3">{formatDateTime(r.at, i18n.language, me?.user.timeZone)}</td>
                      <td className="py-1 pr-3 font-mono">{r.action}</td>
                      <td className="py-1 pr-3">{r.actorId ?? r.actorType}</td>
                      <td className="py-1 pr-3">{[r.targetType, r.targetId].filter(Boolean).join(' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav aria-label={t('audit.paging')} className="mt-4 flex gap-2">
            <Button variant="secondary" isDisabled={cursors.length === 0} onPress={() => {
              const rest = cursors.slice(0, -1);
              setCursors(rest);
              void load(filters, rest[rest.length - 1]);
            }}>{t('audit.newer')}</Button>
            <Button variant="secondary" isDisabled={page.nextBefore === null} onPress={() => {
              if (page.nextBefore === null) return;
              setCursors([...cursors, page.nextBefore]);
              void load(filters, page.nextBefore);
            }}>{t('audit.older')}</Button>
            {before !== undefined && <span className="self-center text-sm text-slate-600">{t('audit.pageN', { n: formatNumber(cursors.length + 1, i18n.language) })}</span>}
          </nav>
        </Card>
      )}
    </Page>
  );
}
