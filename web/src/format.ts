/** Dates and numbers in the user's language (and the profile's time zone when it has one). */
export function formatDateTime(value: string | number | Date | null | undefined, locale: string, timeZone?: string | null): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
  }
}

export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatBytes(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: n >= 1024 ? 'kilobyte' : 'byte', maximumFractionDigits: 1 })
    .format(n >= 1024 ? n / 1024 : n);
}
