/** The frame of every screen: skip link, navigation by capability, language, connection state. */
import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { can, useSession } from '../session.tsx';
import { useConnectionState } from '../realtime.ts';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded px-2 py-1 text-sm ${isActive ? 'bg-slate-700 text-white' : 'text-slate-100 hover:bg-slate-800'}`;

function ConnectionIndicator() {
  const { t } = useTranslation();
  const { connection } = useSession();
  const state = useConnectionState(connection);
  const color = { open: 'bg-green-400', connecting: 'bg-amber-400', closed: 'bg-red-400' }[state];
  return (
    <p role="status" data-connection={state} className="flex items-center gap-1 text-xs text-slate-100">
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${color}`} />
      {t(`shell.connection.${state}`)}
    </p>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <div className="min-h-screen bg-slate-50 font-sans text-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-blue-800">
        {t('shell.skip')}
      </a>
      <header className="bg-slate-900">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-4 px-4 py-3">
          <NavLink to="/" className="text-lg font-semibold text-white">Hemisphere</NavLink>
          {me && !me.mustEnrol2fa && (
            <nav aria-label={t('shell.navigation')} className="flex flex-wrap gap-1">
              <NavLink to="/" end className={navClass}>{t('nav.dashboard')}</NavLink>
              <NavLink to="/orgs" className={navClass}>{t('nav.orgs')}</NavLink>
              <NavLink to="/directory" className={navClass}>{t('directory.nav')}</NavLink>
              <NavLink to="/directory/lookup" className={navClass}>{t('directory.lookupNav')}</NavLink>
              <NavLink to="/sharing-groups" className={navClass}>{t('directory.groupsTitle')}</NavLink>
              {can(me, 'coordinator') && <NavLink to="/directory/checks" className={navClass}>{t('directory.checksTitle')}</NavLink>}
              {can(me, 'coordinator') && <NavLink to="/membership/applications" className={navClass}>{t('nav.applications')}</NavLink>}
              {can(me, 'coordinator') && <NavLink to="/mailing" className={navClass}>{t('mailing.nav')}</NavLink>}
              <NavLink to="/messages" className={navClass}>{t('messaging.nav')}</NavLink>
              <NavLink to="/advisories" className={navClass}>{t('advisories.nav')}</NavLink>
              <NavLink to="/reports" className={navClass}>{t('reports.nav')}</NavLink>
              <NavLink to="/intel" className={navClass}>{t('intel.nav')}</NavLink>
              <NavLink to="/intel/lookup" className={navClass}>{t('intel.lookup.nav')}</NavLink>
              <NavLink to="/intel/taxii" className={navClass}>{t('intel.taxii.nav')}</NavLink>
              <NavLink to="/intel/misp" className={navClass}>{t('misp.nav')}</NavLink>
              <NavLink to="/intel/feeds" className={navClass}>{t('feeds.nav')}</NavLink>
              <NavLink to="/incidents/cases" className={navClass}>{t('incidents.nav')}</NavLink>
              <NavLink to="/incidents/assistance" className={navClass}>{t('incidents.assistanceNav')}</NavLink>
              <NavLink to="/profile" className={navClass}>{t('nav.profile')}</NavLink>
              {can(me, 'admin') && <NavLink to="/admin/audit" className={navClass}>{t('nav.audit')}</NavLink>}
              {can(me, 'admin') && <NavLink to="/admin/outbox" className={navClass}>{t('nav.outbox')}</NavLink>}
            </nav>
          )}
          <div className="ml-auto flex flex-wrap items-center gap-3">
            {me && <ConnectionIndicator />}
            <LanguageSwitcher />
            {me && (
              <button type="button" onClick={() => void signOut().then(() => navigate('/login'))} className="rounded border border-slate-300 px-2 py-1 text-sm text-white hover:bg-slate-800">
                {t('shell.signOut')}
              </button>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="px-4 py-8 outline-none">{children}</main>
    </div>
  );
}
