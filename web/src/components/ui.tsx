/** Small accessible building blocks on react-aria-components, styled with Tailwind. */
import { useEffect, useRef, type ReactNode } from 'react';
import { Button as AriaButton, FieldError, Form as AriaForm, Input, Label, Text, TextField, type ButtonProps, type FormProps, type TextFieldProps } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

export function Page({ title, children }: { title: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Hemisphere`;
  }, [title]);
  return (
    <section aria-labelledby="page-title" className="mx-auto max-w-5xl space-y-6">
      <h1 id="page-title" ref={ref} tabIndex={-1} className="text-2xl font-semibold text-slate-900">{title}</h1>
      {children}
    </section>
  );
}

export function Card({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      {title && <h2 className="mb-3 text-lg font-semibold text-slate-900">{title}</h2>}
      {children}
    </div>
  );
}

type FieldProps = TextFieldProps & { label: string; description?: string; inputClassName?: string };

export function Field({ label, description, inputClassName, ...props }: FieldProps) {
  return (
    <TextField {...props} className="flex flex-col gap-1">
      <Label className="text-sm font-medium text-slate-800">{label}</Label>
      <Input className={`rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 data-[invalid]:border-red-700 ${inputClassName ?? ''}`} />
      {description && <Text slot="description" className="text-xs text-slate-600">{description}</Text>}
      <FieldError className="text-sm text-red-800" />
    </TextField>
  );
}

export function Button({ variant = 'primary', className, ...props }: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' }) {
  const styles = {
    primary: 'bg-blue-700 text-white hover:bg-blue-800',
    secondary: 'border border-slate-400 bg-white text-slate-900 hover:bg-slate-100',
    danger: 'bg-red-700 text-white hover:bg-red-800',
  }[variant];
  return (
    <AriaButton
      {...props}
      className={`inline-flex items-center justify-center rounded px-4 py-2 text-sm font-medium data-[disabled]:opacity-60 ${styles} ${typeof className === 'string' ? className : ''}`}
    />
  );
}

/** A failed request, in the user's language (the server's stable code picks the message). */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'internal';
  const known = ['network', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'gone', 'rate_limited', 'validation_failed', 'csrf_failed', 'locked', 'invalid_transition', 'second_factor_required'];
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
      {t(known.includes(code) ? `errors.${code}` : 'errors.generic')}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return <p role="status" className="rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">{children}</p>;
}

/**
 * Forms show constraint errors beside each field as they are typed, but never block the submit
 * (native blocking left a stale invalid state that swallowed the next click); the server validates.
 */
export function Form(props: FormProps) {
  return <AriaForm validationBehavior="aria" {...props} />;
}
