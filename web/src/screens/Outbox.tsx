/** Administrators see the outbox queue by topic and status, and the mail written locally. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import type { MailList, OutboxStats } from '../api-types.ts';
import { useSession } from '../session.tsx';
import { formatBytes, formatDateTime, formatNumber } from '../format.ts';
import { Button, Card, ErrorNotice, Page } from '../components/ui.tsx';

export default function Outbox() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [stats, setStats] = useState<OutboxStats | null>(null);
  const [mail, setMail] = useState<MailList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    setError(null);
    try {
      const [s, m] = await Promise.all([get<OutboxStats>('/api/admin/outbox'), get<MailList>('/api/admin/mail', { limit: 100 })]);
      setStats(s);
      setMail(m);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const lang = i18n.language;
  return (
    <Page title={t('outbox.title')}>
      <ErrorNotice error={error} />
      <Button variant="secondary" onPress={() => void load()}>{t('common.refresh')}</Button>
      {stats && (
        <Card title={t('outbox.queue')}>
          {stats.stats.length === 0 ? <p>{t('outbox.queueEmpty')}</p> : (
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="py-2 pr-3">{t('outbox.topic')}</th>
                  <th scope="col" className="py-2 pr-3">{t('outbox.status')}</th>
                  <th scope="col" className="py-2 pr-3">{t('outbox.count')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.stats.map((s) => (
                  <tr key={`${s.topic}:${s.status}`} className="border-b border-slate-100">
                    <td className="py-1 pr-3 font-mono">{s.topic}</td>
                    <td className="py-1 pr-3">{s.status}</td>
                    <td className="py-1 pr-3 tabular-nums">{formatNumber(s.count, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
      {mail && (
        <Card title={t('outbox.mail')}>
          {mail.smtp && <p className="mb-2 text-sm text-slate-700">{t('outbox.smtpConfigured')}</p>}
          {mail.items.length === 0 ? <p>{t('outbox.mailEmpty')}</p> : (
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="py-2 pr-3">{t('outbox.writtenAt')}</th>
                  <th scope="col" className="py-2 pr-3">{t('outbox.to')}</th>
                  <th scope="col" className="py-2 pr-3">{t('outbox.subject')}</th>
                  <th scope="col" className="py-2 pr-3">{t('outbox.size')}</th>
                </tr>
              </thead>
              <tbody>
                {mail.items.map((m) => (
                  <tr key={m.id} className="border-b border-slate-100">
                    <td className="py-1 pr-3">{formatDateTime(m.writtenAt, lang, me?.user.timeZone)}</td>
                    <td className="py-1 pr-3">{m.to}</td>
                    <td className="py-1 pr-3">
                      <a href={`/api/admin/mail/${m.id}`} className="text-blue-800 underline" download={`${m.id}.eml`}>{m.subject}</a>
                    </td>
                    <td className="py-1 pr-3 tabular-nums">{formatBytes(m.size, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
    </Page>
  );
}
