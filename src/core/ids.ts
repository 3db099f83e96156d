import crypto from 'node:crypto';

export const newId = (): string => crypto.randomUUID();
export const now = (): Date => new Date();

/** A random secret for links and tokens: 32 bytes, base64url. */
export const randomSecret = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256 = (value: string): string => crypto.createHash('sha256').update(value).digest('hex');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string): boolean => UUID_RE.test(v);
