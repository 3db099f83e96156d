/** A labelled read-only value (a URL, a token, a configuration) with a button that copies it. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui.tsx';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="secondary" aria-label={label} onPress={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
        {t('intel.taxii.copy')}
      </Button>
      <span role="status" className="text-xs text-slate-700">
        {state === 'copied' ? t('intel.taxii.copied') : state === 'failed' ? t('intel.taxii.copyFailed') : ''}
      </span>
    </span>
  );
}

export function CopyField({ label, value, name }: { label: string; value: string; name?: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">{label}</label>
      <div className="flex flex-wrap items-center gap-2">
        <input id={id} name={name} readOnly value={value} onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded border border-slate-400 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900" />
        <CopyButton text={value} label={t('intel.taxii.copyLabel', { what: label })} />
      </div>
    </div>
  );
}

export function CopyBlock({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <figure className="space-y-2">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 text-sm font-medium text-slate-800">
        {label}
        <CopyButton text={value} label={t('intel.taxii.copyLabel', { what: label })} />
      </figcaption>
      <pre tabIndex={0} aria-label={label} className="max-h-80 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{value}</pre>
    </figure>
  );
}
