#!/usr/bin/env node
// Chrome extension id and manifest "key" for a signing key.
//
//   node scripts/ext-id.mjs keys/dev-key.pem          -> {"id":"…","key":"MIIB…"}
//
// Chrome derives the id from the public key: SHA-256 of the DER SubjectPublicKeyInfo, first 16 bytes,
// each hex digit 0-f written as a letter a-p. The manifest "key" is that DER in base64; it pins the id of
// an unpacked build to the id the packed CRX gets from the same key.
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Hex digits 0-f as Chrome's id alphabet a-p. */
export function idFromHex(hex) {
  return [...hex.toLowerCase()].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** Id and manifest key for a PEM private (or public) key, as text. Throws on anything that is not a key. */
export function keyInfoFromPem(pemText) {
  const der = createPublicKey(pemText).export({ type: 'spki', format: 'der' });
  const id = idFromHex(createHash('sha256').update(der).digest('hex').slice(0, 32));
  return { id, key: der.toString('base64') };
}

/** Id and manifest key for a PEM file; a clear error when it is missing or not a key. */
export function keyInfoFromPemFile(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read key file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  try {
    return keyInfoFromPem(text);
  } catch (err) {
    throw new Error(`${file} is not a PEM key (${err.message})`);
  }
}

/** Id for a manifest "key" (base64 DER SubjectPublicKeyInfo). */
export function idFromManifestKey(base64) {
  return idFromHex(createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 32));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file || file === '--help' || file === '-h') {
    console.error('usage: node scripts/ext-id.mjs <key.pem>   prints {"id", "key"} as JSON');
    process.exit(file ? 0 : 2);
  }
  try {
    console.log(JSON.stringify(keyInfoFromPemFile(file)));
  } catch (err) {
    console.error(`ext-id: ${err.message}`);
    process.exit(1);
  }
}
