/**
 * Who is signed in (GET /api/auth/me), what they may do, and the tab's real-time connection.
 * Actions are shown or hidden from what the server returns; the server still decides.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, post, setCsrfToken } from './api.ts';
import type { Me } from './api-types.ts';
import { applyLanguage, chosenLanguage, isLanguage, rememberLanguage } from './i18n.ts';
import { RealtimeConnection, wsUrl } from './realtime.ts';

export type Capability = 'admin' | 'coordinator' | 'network';

export function can(me: Me | null, what: Capability): boolean {
  if (!me) return false;
  if (me.permissions) return me.permissions.includes(what);
  const role = me.user.platformRole;
  if (what === 'admin') return role === 'administrator';
  if (what === 'coordinator') return role === 'administrator' || role === 'coordinator';
  return role === 'administrator' || role === 'coordinator' || me.memberships.some((m) => m.networkMember);
}

type SessionValue = {
  me: Me | null;
  loading: boolean;
  needsSetup: boolean;
  connection: RealtimeConnection | null;
  refresh(): Promise<Me | null>;
  signedIn(csrfToken: string | undefined): Promise<Me | null>;
  signOut(everywhere?: boolean): Promise<void>;
};

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [needsSetup, setNeedsSetup] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const m = await get<Me>('/api/auth/me');
      if (m.csrfToken) setCsrfToken(m.csrfToken);
      setMe(m);
      const lang = chosenLanguage() ?? (isLanguage(m.user.locale) ? m.user.locale : null);
      if (lang) await applyLanguage(lang);
      return m;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      setMe(null);
      const s = await get<{ needsSetup: boolean }>('/api/setup/status').catch(() => ({ needsSetup: false }));
      setNeedsSetup(s.needsSetup);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signedIn = useCallback(async (csrf: string | undefined) => {
    if (csrf) setCsrfToken(csrf);
    rememberLanguage(null); // the profile's language wins at sign-in
    setNeedsSetup(false);
    return refresh();
  }, [refresh]);

  const signOut = useCallback(async (everywhere = false) => {
    await post(everywhere ? '/api/auth/logout-everywhere' : '/api/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setMe(null);
  }, []);

  const userId = me?.user.id ?? null;
  const connection = useMemo(
    () => (userId && typeof WebSocket !== 'undefined' ? new RealtimeConnection(wsUrl(), () => void refresh()) : null),
    [userId, refresh],
  );
  useEffect(() => {
    connection?.start();
    return () => connection?.stop();
  }, [connection]);

  const value = useMemo(() => ({ me, loading, needsSetup, connection, refresh, signedIn, signOut }), [me, loading, needsSetup, connection, refresh, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
