/**
 * The app's four languages. Every visible string comes from web/src/locales/<lang>.json; the
 * language is the profile's, else a choice made in this browser, else the browser's own.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import pt from './locales/pt.json';
import fr from './locales/fr.json';

export const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Each language's name in itself (proper nouns: the same in every locale). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', pt: 'Português', fr: 'Français' };
export const resources = { en, es, pt, fr } as const;

const CHOICE_KEY = 'hs.lang';
export const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

export function browserLanguage(): Language {
  const langs = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  for (const l of langs) {
    const base = l?.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function chosenLanguage(): Language | null {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(CHOICE_KEY);
  return isLanguage(v) ? v : null;
}

export function rememberLanguage(lang: Language | null): void {
  if (typeof localStorage === 'undefined') return;
  if (lang) localStorage.setItem(CHOICE_KEY, lang);
  else localStorage.removeItem(CHOICE_KEY);
}

export async function applyLanguage(lang: Language): Promise<void> {
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function initI18n(lang: Language = chosenLanguage() ?? browserLanguage()) {
  void i18n.use(initReactI18next).init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: resources[l] }])),
    lng: lang,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  return i18n;
}

export default i18n;
