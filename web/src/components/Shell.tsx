/** The frame of every screen: skip link, navigation grouped by capability, language, connection state. */
import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { can, useSession } from '../session.tsx';
import { useConnectionState } from '../realtime.ts';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { NoticesLink } from './NoticesLink.tsx';

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

type NavItem = { to: string; label: string; end?: boolean; show?: boolean };

/** The navigation in groups by capability, each with a heading (one landmark; links keep their names). */
function Navigation() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  const coordinator = can(me, 'coordinator');
  const admin = can(me, 'admin');
  const groups: { id: string; label?: string; items: NavItem[] }[] = [
    { id: 'you', items: [{ to: '/', label: t('nav.dashboard'), end: true }, { to: '/profile', label: t('nav.profile') }] },
    {
      id: 'network', label: t('nav.group.network'), items: [
        { to: '/orgs', label: t('nav.orgs') },
        { to: '/directory', label: t('directory.nav'), end: true },
        { to: '/directory/lookup', label: t('directory.lookupNav') },
        { to: '/sharing-groups', label: t('directory.groupsTitle') },
        { to: '/directory/checks', label: t('directory.checksTitle'), show: coordinator },
        { to: '/membership/applications', label: t('nav.applications'), show: coordinator },
      ],
    },
    {
      id: 'communication', label: t('nav.group.communication'), items: [
        { to: '/messages', label: t('messaging.nav') },
        { to: '/advisories', label: t('advisories.nav') },
        { to: '/reports', label: t('reports.nav') },
        { to: '/mailing', label: t('mailing.nav'), show: coordinator },
      ],
    },
    {
      id: 'intel', label: t('nav.group.intel'), items: [
        { to: '/intel', label: t('intel.nav'), end: true },
        { to: '/intel/lookup', label: t('intel.lookup.nav') },
        { to: '/intel/taxii', label: t('intel.taxii.nav') },
        { to: '/intel/misp', label: t('misp.nav') },
        { to: '/intel/feeds', label: t('feeds.nav') },
      ],
    },
    {
      id: 'incidents', label: t('nav.group.incidents'), items: [
        { to: '/incidents/cases', label: t('incidents.nav') },
        { to: '/incidents/assistance', label: t('incidents.assistanceNav') },
      ],
    },
    {
      id: 'admin', label: t('nav.group.admin'), items: [
        { to: '/admin/audit', label: t('nav.audit'), show: admin },
        { to: '/admin/outbox', label: t('nav.outbox'), show: admin },
      ],
    },
  ];
  return (
    <nav aria-label={t('shell.navigation')} className="flex flex-wrap gap-x-6 gap-y-3 bg-slate-900 px-4 pb-4 md:w-60 md:shrink-0 md:flex-col md:flex-nowrap md:gap-4 md:py-4">
      {groups.map((g) => {
        const items = g.items.filter((i) => i.show !== false);
        if (!items.length) return null;
        const headingId = `nav-group-${g.id}`;
        return (
          <section key={g.id} aria-labelledby={g.label ? headingId : undefined}>
            {g.label && <h2 id={headingId} className="mb-1 px-2 text-xs font-semibold uppercase tracking-wide text-slate-300">{g.label}</h2>}
            <ul className="flex flex-wrap gap-1 md:flex-col">
              {items.map((i) => <li key={i.to}><NavLink to={i.to} end={i.end} className={navClass}>{i.label}</NavLink></li>)}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const withNav = !!me && !me.mustEnrol2fa;
  return (
    <div className="flex min-h-screen flex-col bg-slate-50 font-sans text-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-blue-800">
        {t('shell.skip')}
      </a>
      <header className="bg-slate-900">
        <div className="flex flex-wrap items-center gap-4 px-4 py-3">
          <NavLink to="/" className="text-lg font-semibold text-white">Hemisphere</NavLink>
          <div className="ml-auto flex flex-wrap items-center gap-3">
            {me && <ConnectionIndicator />}
            {me && !me.mustEnrol2fa && <NoticesLink />}
            <LanguageSwitcher />
            {me && (
              <button type="button" onClick={() => void signOut().then(() => navigate('/login'))} className="rounded border border-slate-300 px-2 py-1 text-sm text-white hover:bg-slate-800">
                {t('shell.signOut')}
              </button>
            )}
          </div>
        </div>
      </header>
      <div className="flex-1 md:flex">
        {withNav && <Navigation />}
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-8 outline-none">{children}</main>
      </div>
    </div>
  );
}
