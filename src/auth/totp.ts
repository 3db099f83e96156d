/** TOTP (RFC 6238: SHA1, 6 digits, 30-second steps) and one-time recovery codes. */
import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { sha256 } from '../core/ids.ts';

export const TOTP_PERIOD = 30;
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

const totpFor = (secretBase32: string, label = 'account') =>
  new OTPAuth.TOTP({
    issuer: 'Hemisphere', label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });

export const newTotpSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32;

export const currentStep = (nowMs = Date.now()): number => Math.floor(nowMs / 1000 / TOTP_PERIOD);

/** The time step a 6-digit code belongs to (within ±1 step of now), or null when it matches none. */
export function totpStep(secretBase32: string, code: string, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : currentStep(nowMs) + delta;
}

/** The code for a time (used by tests and by nobody else: the server only verifies). */
export const totpCode = (secretBase32: string, nowMs = Date.now()): string => totpFor(secretBase32).generate({ timestamp: nowMs });

export async function enrolmentArtifacts(secretBase32: string, label: string) {
  const otpauthUri = totpFor(secretBase32, label).toString();
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const qrDataUrl = `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString('base64')}`;
  return { otpauthUri, qrSvg, qrDataUrl };
}

const RC_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
/** `xxxxx-xxxxx`, about 49 bits each. */
export function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(10);
  const chars = [...bytes].map((b) => RC_ALPHABET[b % RC_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
export const normaliseRecoveryCode = (code: string): string => code.trim().toLowerCase().replace(/[\s-]/g, '');
export const hashRecoveryCode = (code: string): string => sha256(`recovery:${normaliseRecoveryCode(code)}`);
export const looksLikeRecoveryCode = (code: string): boolean => /^[a-z0-9]{10}$/.test(normaliseRecoveryCode(code));
