/**
 * OpenPGP/MIME (RFC 3156) for member alerts: a text/plain part signed as multipart/signed
 * (detached signature over the part exactly as transmitted, CRLF line ends), or signed and
 * encrypted as multipart/encrypted (RFC 3156 §6.2, one OpenPGP message). Mail clients verify and
 * decrypt these natively. The whole message is built here as raw RFC 5322 text.
 */
import crypto from 'node:crypto';
import * as openpgp from 'openpgp';

export type AlertSigner = {
  /** Armoured detached signature over `data`. */
  signDetached(data: Uint8Array): Promise<string>;
  /** One OpenPGP message: `text` signed by the platform key and encrypted to every key given. */
  encryptFor(armoredRecipientKeys: string[], text: string): Promise<string>;
};

export const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const b64lines = (buf: Buffer) => buf.toString('base64').replace(/.{1,76}/g, '$&\r\n');
const boundary = () => `----=_hs_${crypto.randomBytes(12).toString('hex')}`;

/** RFC 2047 encoded words for a header value that is not plain ASCII. */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let cur = '';
  for (const ch of value) {
    if (Buffer.byteLength(cur + ch) > 42) {
      words.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) words.push(cur);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** A text/plain MIME entity (headers + body), base64 so that no transport re-encodes it. */
export function textEntity(text: string, lang: string): string {
  return crlf(`Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\nContent-Language: ${lang}\n\n`) + b64lines(Buffer.from(crlf(text)));
}

async function micalg(armored: string): Promise<string> {
  const sig = await openpgp.readSignature({ armoredSignature: armored });
  const algo = (sig.packets[0] as unknown as { hashAlgorithm: number }).hashAlgorithm;
  return `pgp-${String(openpgp.enums.read(openpgp.enums.hash, algo)).toLowerCase()}`;
}

export async function signedEntity(inner: string, signer: AlertSigner): Promise<string> {
  const b = boundary();
  const signature = await signer.signDetached(Buffer.from(inner));
  return crlf(`Content-Type: multipart/signed; micalg=${await micalg(signature)};\n protocol="application/pgp-signature"; boundary="${b}"\n\n`)
    + crlf(`This is an OpenPGP/MIME signed message (RFC 3156).\n--${b}\n`) + inner + crlf(`\n--${b}\n`)
    + crlf(`Content-Type: application/pgp-signature; name="signature.asc"\nContent-Description: OpenPGP digital signature\nContent-Disposition: attachment; filename="signature.asc"\n\n`)
    + crlf(signature.trimEnd()) + crlf(`\n--${b}--\n`);
}

export async function encryptedEntity(inner: string, armoredRecipientKeys: string[], signer: AlertSigner): Promise<string> {
  const b = boundary();
  const armored = await signer.encryptFor(armoredRecipientKeys, inner);
  return crlf(`Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";\n boundary="${b}"\n\n`)
    + crlf(`This is an OpenPGP/MIME encrypted message (RFC 3156).\n--${b}\nContent-Type: application/pgp-encrypted\nContent-Description: PGP/MIME version identification\n\nVersion: 1\n\n--${b}\n`)
    + crlf(`Content-Type: application/octet-stream; name="encrypted.asc"\nContent-Description: OpenPGP encrypted message\nContent-Disposition: inline; filename="encrypted.asc"\n\n`)
    + crlf(String(armored).trimEnd()) + crlf(`\n--${b}--\n`);
}

/** Whole message: top-level headers, then the entity (whose own headers complete the header block). */
export function rawMessage(headers: [string, string][], entity: string): string {
  const head = headers.map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return `${head}\r\nMIME-Version: 1.0\r\n${entity}`;
}
