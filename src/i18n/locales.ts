/** The platform's four languages (the official languages of the Americas' regional bodies). */
export const LOCALES = ['en', 'es', 'pt', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
export const toLocale = (v: unknown, fallback: Locale = 'en'): Locale => (isLocale(v) ? v : fallback);

/** A text in every language; `{name}` placeholders are filled by `fill`. */
export type Localized = Record<Locale, string>;

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
