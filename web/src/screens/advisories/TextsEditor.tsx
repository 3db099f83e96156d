/**
 * The advisory's text per language (title, summary, Markdown body with a live preview, remediation),
 * one tab per language with its translation state from the server: the source language, a current
 * or outdated translation (written from an older source revision), or a missing one.
 */
import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n.ts';
import { Button, Field } from '../../components/ui.tsx';
import { areaClass, Markdown, TranslationBadge, type TextBody } from './shared.tsx';

export type TextState = { title: string; summary: string; body: string; remediation: string };
export const emptyText = (): TextState => ({ title: '', summary: '', body: '', remediation: '' });

export function Area({ label, value, onChange, rows = 4, name, description, lang }: {
  label: string; value: string; onChange: (v: string) => void; rows?: number; name?: string; description?: string; lang?: string;
}) {
  const id = `area-${name ?? label}`.replace(/\W+/g, '-');
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">{label}</label>
      <textarea id={id} name={name} lang={lang} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} className={areaClass}
        aria-describedby={description ? `${id}-d` : undefined} />
      {description && <p id={`${id}-d`} className="text-xs text-slate-600">{description}</p>}
    </div>
  );
}

/** The four text fields of one language, with a rendered preview of the Markdown body. */
export function TextFields({ lang, value, onChange }: { lang: Language; value: TextState; onChange: (t: TextState) => void }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState(false);
  const set = (patch: Partial<TextState>) => onChange({ ...value, ...patch });
  return (
    <div className="space-y-3" lang={lang}>
      <Field label={t('advisories.title')} value={value.title} onChange={(title) => set({ title })} isRequired />
      <Area name={`summary-${lang}`} label={t('advisories.summary')} value={value.summary} onChange={(summary) => set({ summary })} rows={3} />
      <div className="grid gap-3 lg:grid-cols-2">
        <Area name={`body-${lang}`} label={t('advisories.body')} value={value.body} onChange={(body) => set({ body })} rows={10} description={t('advisories.markdownHint')} />
        <div>
          <Button variant="secondary" onPress={() => setPreview(!preview)} aria-expanded={preview}>{preview ? t('advisories.hidePreview') : t('advisories.showPreview')}</Button>
          {preview && (
            <section aria-label={t('advisories.preview')} className="mt-2 rounded border border-slate-200 bg-slate-50 p-3">
              <Markdown text={value.body} lang={lang} />
            </section>
          )}
        </div>
      </div>
      <Area name={`remediation-${lang}`} label={t('advisories.remediation')} value={value.remediation} onChange={(remediation) => set({ remediation })} rows={3} description={t('advisories.markdownHint')} />
    </div>
  );
}

type Props = {
  sourceLang: string;
  texts: Partial<Record<string, TextState>>;
  states: Partial<Record<string, string>>;
  locked: boolean;
  onSave: (lang: Language, text: TextBody) => Promise<void>;
  onRemove: (lang: Language) => Promise<void>;
};

function LanguagePanel({ lang, initial, state, isSource, locked, onSave, onRemove }: {
  lang: Language; initial: TextState; state: string; isSource: boolean; locked: boolean;
  onSave: Props['onSave']; onRemove: Props['onRemove'];
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  return (
    <div className="space-y-3">
      <p className="flex items-center gap-2 text-sm text-slate-700"><TranslationBadge state={state} />{t(`advisories.translationHint.${state}`)}</p>
      <fieldset disabled={locked} className="space-y-3">
        <TextFields lang={lang} value={text} onChange={setText} />
      </fieldset>
      <div className="flex flex-wrap gap-2">
        <Button isDisabled={locked} onPress={() => onSave(lang, text)}>{isSource ? t('advisories.saveSource') : t('advisories.saveTranslation', { language: LANGUAGE_NAMES[lang] })}</Button>
        {!isSource && state !== 'missing' && <Button variant="danger" isDisabled={locked} onPress={() => onRemove(lang)}>{t('advisories.removeTranslation')}</Button>}
      </div>
    </div>
  );
}

export function TextsEditor({ sourceLang, texts, states, locked, onSave, onRemove }: Props) {
  const { t } = useTranslation();
  const order = [sourceLang, ...LANGUAGES.filter((l) => l !== sourceLang)] as Language[];
  return (
    <Tabs defaultSelectedKey={sourceLang}>
      <TabList aria-label={t('advisories.languages')} className="flex flex-wrap gap-1 border-b border-slate-300">
        {order.map((l) => (
          <Tab key={l} id={l} className="flex cursor-default items-center gap-2 rounded-t px-3 py-2 text-sm text-slate-800 outline-none data-[focus-visible]:ring-2 data-[selected]:bg-slate-800 data-[selected]:text-white">
            <span lang={l}>{LANGUAGE_NAMES[l]}</span><span className="sr-only">—</span><TranslationBadge state={states[l] ?? 'missing'} />
          </Tab>
        ))}
      </TabList>
      {order.map((l) => (
        <TabPanel key={l} id={l} className="pt-4">
          <LanguagePanel lang={l} initial={texts[l] ?? texts[sourceLang] ?? emptyText()} state={states[l] ?? 'missing'} isSource={l === sourceLang}
            locked={locked} onSave={onSave} onRemove={onRemove} />
        </TabPanel>
      ))}
    </Tabs>
  );
}
