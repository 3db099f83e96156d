/**
 * The only way the app talks to the server: same-origin JSON over the public HTTP API. Writes carry
 * the session's CSRF token (from login or /api/auth/me); failures become ApiError with the stable
 * problem `code`, which screens translate.
 */
const CSRF_KEY = 'hs.csrf';

let csrfToken: string | null = typeof localStorage !== 'undefined' ? localStorage.getItem(CSRF_KEY) : null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (typeof localStorage === 'undefined') return;
  if (token) localStorage.setItem(CSRF_KEY, token);
  else localStorage.removeItem(CSRF_KEY);
}

/** For requests the `api` helper cannot make (e.g. an XMLHttpRequest upload with progress events). */
export const currentCsrfToken = (): string | null => csrfToken;

export type Problem = { status: number; code: string; title?: string; issues?: { path: string; message: string }[] };

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.title ?? problem.code);
  }
  get code() {
    return this.problem.code;
  }
  get status() {
    return this.problem.status;
  }
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    throw new ApiError({ status: res.status, code: p.code ?? 'internal', title: p.title, issues: p.issues });
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
