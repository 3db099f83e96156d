import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { applyLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, rememberLanguage } from '../i18n.ts';
import { useSession } from '../session.tsx';

/** Changes every visible string at once; saved to the profile when signed in, else remembered in this browser. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  return (
    <Select
      className="flex items-center gap-2"
      selectedKey={i18n.language}
      onSelectionChange={(key) => {
        if (!isLanguage(key)) return;
        rememberLanguage(key);
        void applyLanguage(key);
        if (me && !me.mustEnrol2fa && me.user.locale !== key) {
          api('PATCH', '/api/me', { locale: key }).then(() => rememberLanguage(null), () => undefined);
        }
      }}
    >
      <Label className="text-sm text-slate-100">{t('shell.language')}</Label>
      <Button className="rounded border border-slate-300 bg-slate-800 px-2 py-1 text-sm text-white">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover className="rounded border border-slate-300 bg-white shadow-lg">
        <ListBox className="p-1 outline-none">
          {LANGUAGES.map((l) => (
            <ListBoxItem key={l} id={l} lang={l} textValue={LANGUAGE_NAMES[l]} className="cursor-default rounded px-3 py-1 text-sm text-slate-900 data-[focused]:bg-blue-100 data-[selected]:font-semibold">
              {LANGUAGE_NAMES[l]}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
