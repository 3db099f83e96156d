/** Countries: ISO 3166-1 reference data, names localised for presentation. */
import { asc, eq } from 'drizzle-orm';
import { invalid } from '../core/errors.ts';
import { toLocale } from '../i18n/locales.ts';
import type { DbOrTx } from '../db/client.ts';
import { countries } from './tables.ts';

const namers = new Map<string, Intl.DisplayNames>();
export function countryName(code: string, locale: string, fallback?: string): string {
  const l = toLocale(locale);
  let n = namers.get(l);
  if (!n) namers.set(l, (n = new Intl.DisplayNames([l], { type: 'region', fallback: 'none' })));
  try {
    return n.of(code) ?? fallback ?? code;
  } catch {
    return fallback ?? code;
  }
}

export async function listCountries(db: DbOrTx, opts: { locale: string; oasOnly?: boolean }) {
  const all = await db.select().from(countries).where(opts.oasOnly ? eq(countries.oasMember, true) : undefined).orderBy(asc(countries.code));
  return all
    .map((c) => ({ code: c.code, alpha3: c.alpha3, englishName: c.name, name: countryName(c.code, opts.locale, c.name), oasMember: c.oasMember }))
    .sort((a, b) => a.name.localeCompare(b.name, toLocale(opts.locale)));
}

/** Throws validation_failed (on `field`) unless the code is an ISO 3166-1 country. */
export async function assertCountry(db: DbOrTx, code: string, field = 'countryCode'): Promise<void> {
  const [c] = await db.select({ code: countries.code }).from(countries).where(eq(countries.code, code));
  if (!c) throw invalid('Unknown country', [{ path: field, message: 'must be an ISO 3166-1 alpha-2 code' }]);
}
