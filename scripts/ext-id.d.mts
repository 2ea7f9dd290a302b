/** Types for ext-id.mjs (plain Node ESM, kept dependency-free). */
export interface KeyInfo {
  /** Chrome extension id: 32 letters a-p. */
  id: string;
  /** Manifest "key": base64 DER SubjectPublicKeyInfo. */
  key: string;
}
export function idFromHex(hex: string): string;
export function keyInfoFromPem(pemText: string): KeyInfo;
export function keyInfoFromPemFile(file: string): KeyInfo;
export function idFromManifestKey(base64: string): string;
