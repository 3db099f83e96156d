/** Hub coordinators: assistance per country and year (requests, offers, acceptance, medians of the timers, mean rating). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api.ts';
import { ErrorNotice, Page } from '../../components/ui.tsx';
import { Duration, Select, type YearlyStats } from './shared.tsx';

export default function Stats() {
  const { t } = useTranslation();
  const thisYear = new Date().getUTCFullYear();
  const [year, setYear] = useState(String(thisYear));
  const [s, setS] = useState<YearlyStats | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<YearlyStats>('/api/incidents/assistance-stats', { year }).then(setS, setError); }, [year]);
  const years = Array.from({ length: 6 }, (_, i) => String(thisYear - i));
  return (
    <Page title={t('incidents.statsTitle')}>
      <Select label={t('incidents.year')} value={year} onChange={setYear} options={years.map((y) => [y, y])} />
      <ErrorNotice error={error} />
      {s && (
        <>
          <table className="w-full border-collapse bg-white text-left text-sm shadow-sm">
            <caption className="p-2 text-left font-semibold">{t('incidents.requestingCountries')}</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th className="p-2">{t('incidents.country')}</th><th className="p-2">{t('incidents.requests')}</th><th className="p-2">{t('incidents.withOffer')}</th>
                <th className="p-2">{t('incidents.acceptedCount')}</th><th className="p-2">{t('incidents.closedCount')}</th>
                <th className="p-2">{t('incidents.medianFirstOffer')}</th><th className="p-2">{t('incidents.medianAcceptance')}</th><th className="p-2">{t('incidents.meanRating')}</th>
              </tr>
            </thead>
            <tbody>
              {s.requestingCountries.length === 0 && <tr><td className="p-2" colSpan={8}>{t('incidents.noStats')}</td></tr>}
              {s.requestingCountries.map((c) => (
                <tr key={c.country} className="border-b border-slate-100" data-country={c.country}>
                  <td className="p-2 font-mono">{c.country}</td><td className="p-2">{c.requests}</td><td className="p-2">{c.withOffer}</td><td className="p-2">{c.accepted}</td><td className="p-2">{c.closed}</td>
                  <td className="p-2"><Duration seconds={c.medianFirstOfferSeconds} /></td><td className="p-2"><Duration seconds={c.medianAcceptanceSeconds} /></td>
                  <td className="p-2">{c.meanRating === null ? '—' : c.meanRating.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="w-full border-collapse bg-white text-left text-sm shadow-sm">
            <caption className="p-2 text-left font-semibold">{t('incidents.helpingCountries')}</caption>
            <thead><tr className="border-b border-slate-300"><th className="p-2">{t('incidents.country')}</th><th className="p-2">{t('incidents.offersCount')}</th><th className="p-2">{t('incidents.acceptedCount')}</th></tr></thead>
            <tbody>
              {s.helpingCountries.map((c) => <tr key={c.country} className="border-b border-slate-100"><td className="p-2 font-mono">{c.country}</td><td className="p-2">{c.offers}</td><td className="p-2">{c.accepted}</td></tr>)}
            </tbody>
          </table>
        </>
      )}
    </Page>
  );
}
