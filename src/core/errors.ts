/**
 * Typed domain errors with stable machine codes and no HTTP knowledge. The edge maps codes to
 * statuses (src/http/errors.ts). Never match on messages.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_acceptable'
  | 'precondition_failed'
  | 'invalid_transition'
  | 'csrf_failed'
  | 'second_factor_required'
  | 'locked';

export type FieldIssue = { path: string; message: string; code?: string };

export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: { issues?: FieldIssue[]; [k: string]: unknown },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const invalid = (message: string, issues?: FieldIssue[]) =>
  new DomainError('validation_failed', message, issues ? { issues } : undefined);
export const unauthenticated = (message = 'Sign in first') => new DomainError('unauthenticated', message);
