/**
 * Redaction of free text (typed values of non-sensitive fields, accessible names, titles) and URLs.
 * Matches are replaced by a typed placeholder so the data keeps its shape without its content:
 *
 *   [email] [phone] [card] (Luhn) [ssn] [iban] (mod-97) [jwt] [token] [uuid] [number] (≥ 9 digits)
 *   [ni-number] (UK national insurance) [sort-code] and [account] (bank details)
 *   [redacted] (the value after "password:", "NAME_PASSWORD=", "the pin is", credentials in URLs and
 *   command lines: see secret-text.ts; and every URL parameter whose name is not known to be safe)
 *
 * When a string is ambiguous we mask (a 12-digit run that is neither card nor phone becomes [number]);
 * ordinary prose, dates, times, small numbers, versions, IP addresses and order numbers such as
 * "ORD-2024-00123" stay readable. Names and postal addresses are not recognised.
 */
import {
  MAX_SAFE_URL_PARAM_VALUE_CHARS,
  MAX_VALUE_CHARS,
  SAFE_URL_PARAMS,
  SHORT_TOKEN_MIN_CHARS,
  STRONG_TOKEN_MIN_CHARS,
  URL_SEGMENT_TOKEN_MIN_CHARS,
} from '../constants';
import { isNationalPhone } from './phone';
import { redactSecretsInText, redactUrlCredentials } from './secret-text';

/** Longest redacted URL (the event schema caps `url` at 2048 characters). */
export const MAX_URL_CHARS = 2_048;

export const PLACEHOLDER = {
  email: '[email]',
  phone: '[phone]',
  card: '[card]',
  ssn: '[ssn]',
  iban: '[iban]',
  jwt: '[jwt]',
  token: '[token]',
  uuid: '[uuid]',
  number: '[number]',
  nino: '[ni-number]',
  sortCode: '[sort-code]',
  account: '[account]',
  redacted: '[redacted]',
  invalidUrl: '[invalid-url]',
} as const;

/** Characters that render as nothing and could split a secret past the detectors. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
/** Nested URLs (a redirect parameter holding a URL holding a URL…) are followed this deep. */
const MAX_DEPTH = 3;

// ---------------------------------------------------------------------------------------------------------
// Checksums.

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** IBAN lengths by country (ISO 13616 registry); other country codes accept 15–34 characters. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22,
  GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31,
  MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24,
  SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 13616 mod-97 check of a compact IBAN (no spaces). */
export function ibanValid(compact: string): boolean {
  const s = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && expected !== s.length) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    rem = (value > 9 ? rem * 100 + value : rem * 10 + value) % 97;
  }
  return rem === 1;
}

// ---------------------------------------------------------------------------------------------------------
// Detectors, in the order they run. Each replaces what it is sure of; later ones see the placeholders.

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

const URL_IN_TEXT = /\b(?:https?|wss?|ftp):\/\/[^\s<>"'`]+/gi;

/** "password: hunter2", "api_key=abc", "PIN = 1234": the value after a secret-like label. */
const LABELLED_SECRET =
  /\b(pass(?:word|wd|code|phrase)?|pwd|pin|secret|client[_-]?secret|api[_-]?key|(?:access|refresh|id|auth|bearer|session)?[_-]?token|otp)(\s*[:=]\s*)(?!\[)("[^"]*"|'[^']*'|[^\s"',;]+)/gi;

const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){1,3}/g;

/** The local part may hold an apostrophe between letters (o'brien@example.com). */
/** "logo@2x.png": a retina image's file name, not an address. */
const RETINA_FILE = /@\d(?:\.\d)?x\.(?:png|jpe?g|gif|svg|webp|avif)$/i;
const EMAIL = /[\p{L}\p{N}._%+-]+(?:['’][\p{L}\p{N}._%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}])/gu;

/**
 * "Bearer …", "Basic …", "Token …": keep the scheme, mask the credential. The credential must hold a digit
 * or "=" or be long, so that "basic settings" and "token authentication" stay prose.
 */
const AUTH_SCHEME =
  /\b(Bearer|Basic|Token|Digest)(\s+)(?!\[)(?=[A-Za-z0-9._~+/=-]*[\d=]|[A-Za-z0-9._~+/=-]{20})[A-Za-z0-9._~+/=-]{8,}/gi;

/** Well-known API key shapes, caught even when shorter than the generic token rule. */
const KNOWN_KEYS: readonly RegExp[] = [
  /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}\b/g, // Stripe
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposre]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bxapp-\d-[A-Za-z0-9-]{10,}\b/g, // Slack app-level tokens
  /\bwhsec_[A-Za-z0-9+/=]{16,}\b/g, // Stripe webhook secrets
  /\bya29\.[A-Za-z0-9_-]{20,}/g, // Google OAuth access tokens
  /\bGOCSPX-[A-Za-z0-9_-]{20,}\b/g, // Google OAuth client secrets
  /\b(?:SK|AC)[0-9a-fA-F]{32}\b/g, // Twilio
  /\bdop_v1_[a-f0-9]{64}\b/g, // DigitalOcean
  /\bpypi-[A-Za-z0-9_-]{50,}\b/g, // PyPI
  /\b(?:ATATT3|ATCTT3)[A-Za-z0-9_=-]{20,}\b/g, // Atlassian
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g, // OpenAI, Anthropic
  /\bhf_[A-Za-z0-9]{30,}\b/g, // Hugging Face
  /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g, // Shopify
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g, // SendGrid
];

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,34}/gi;

const TOKEN_CANDIDATE = /[A-Za-z0-9_\-+/=]{10,}/g;

/** Digits with spaces, dots, dashes, slashes or parentheses between them, and an optional leading "+". */
const NUMERIC_SPAN = /\+?\(?\d(?:[ .\-()/]{0,3}\d)*/g;

/**
 * UK national insurance numbers: two prefix letters (D, F, I, Q, U, V never; O not second), six digits,
 * a suffix A–D, spaced or not ("AB 12 34 56 C").
 */
const NINO = /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi;
/** A UK bank sort code "12-34-56" (a short date with the same shape is kept unless bank words are near). */
const SORT_CODE = /(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])/g;
const BANK_WORDS = /\b(?:sort[\s-]?code|account|acct|a\/c|bank|banking|routing|bsb|aba|konto|kontonummer|compte|cuenta|conto|rekening|payee|beneficiary)\b|\[sort-code\]/i;
/** Account numbers: standalone runs of 6–12 digits (spaces or dashes allowed) near bank words. */
const ACCOUNT_NUMBER = /(?<![\w-]|\d[.,])\d(?:[ -]?\d){5,11}(?![\w-]|[.,]\d)/g;
/** How far from a bank word an account number is looked for (characters either side). */
const BANK_CONTEXT_CHARS = 60;

function replaceIban(match: string): string {
  // Map each compact character to its end in the raw match, then try the registry length (or 34 → 15).
  const ends: number[] = [];
  let compact = '';
  for (let i = 0; i < match.length; i++) {
    const c = match[i] as string;
    if (c === ' ' || c === '-') continue;
    compact += c.toUpperCase();
    ends.push(i + 1);
  }
  const known = IBAN_LENGTHS[compact.slice(0, 2)];
  const lengths = known !== undefined ? [known] : Array.from({ length: 20 }, (_, k) => 34 - k);
  for (const len of lengths) {
    if (len > compact.length) continue;
    if (ibanValid(compact.slice(0, len))) return PLACEHOLDER.iban + match.slice(ends[len - 1]);
  }
  return match;
}

/** Share of neighbouring letters/digits that switch class (lower, upper, digit): ~0.6 for random keys. */
function classSwitchRatio(s: string): number {
  let pairs = 0;
  let switches = 0;
  let prev = -1;
  for (const ch of s) {
    const cls = ch >= 'a' && ch <= 'z' ? 0 : ch >= 'A' && ch <= 'Z' ? 1 : ch >= '0' && ch <= '9' ? 2 : -1;
    if (cls >= 0 && prev >= 0) {
      pairs++;
      if (cls !== prev) switches++;
    }
    prev = cls;
  }
  return pairs === 0 ? 0 : switches / pairs;
}

/** A part of a run that reads like a word, a number or a short code ("v2", "h264"), not like a key. */
function wordyPart(part: string): boolean {
  return /^[A-Za-z]*$/.test(part) || /^\d+$/.test(part) || part.length <= 8;
}

/**
 * Long token-like strings: ≥ 24 characters mixing letters and digits with a part that is not word-like
 * (API keys, session ids, hex digests, base64 blobs). Slugs such as "how-to-build-an-extension-2024" and
 * long plain words stay readable.
 */
export function isTokenLike(run: string, minLength = 24): boolean {
  if (run.length < minLength) return false;
  const letters = (run.match(/[A-Za-z]/g) ?? []).length;
  const digits = (run.match(/\d/g) ?? []).length;
  if (letters === 0 || digits === 0) return false;
  if (/^[0-9a-fA-F]{32,}$/.test(run)) return true;
  if (classSwitchRatio(run) >= 0.5) return true;
  return !run.split(/[-_+/=]+/).every(wordyPart);
}

/** "AB12-CD34-EF56-GH78": three or more dashed groups of 4–6, most of them mixing letters and digits. */
function isLicenseKey(run: string): boolean {
  const groups = run.split('-');
  if (groups.length < 3 || !groups.every((g) => /^[A-Za-z0-9]{4,6}$/.test(g))) return false;
  const mixed = groups.filter((g) => /\d/.test(g) && /[A-Za-z]/.test(g)).length;
  return mixed * 2 > groups.length;
}

/**
 * Shorter random strings (invite and recovery tokens, license keys, generated passwords of 10–23
 * characters): letters and digits well mixed, switching class at least every other character, and not
 * made of word-like parts. camelCase identifiers, product codes and slugs switch far less often.
 */
export function isShortSecret(run: string, minLength: number = SHORT_TOKEN_MIN_CHARS): boolean {
  if (run.length < Math.min(minLength, STRONG_TOKEN_MIN_CHARS) || !/^[A-Za-z0-9_-]+$/.test(run)) return false;
  if (isLicenseKey(run)) return true;
  if (run.split(/[-_]+/).every(wordyPart)) return false;
  const lower = (run.match(/[a-z]/g) ?? []).length;
  const upper = (run.match(/[A-Z]/g) ?? []).length;
  const digits = (run.match(/\d/g) ?? []).length;
  const switches = classSwitchRatio(run);
  // Below the floor only the strongest mix counts: all three classes, switching most of the time.
  if (run.length < minLength) return lower >= 2 && upper >= 2 && digits >= 2 && switches >= 0.6 && !/[a-z]{4,}/.test(run);
  // A syllable ("hone", "Report") reads like a name: "iPhone15ProMax256GB", "Q3Report2024".
  if ((run.match(/[a-z]{4,}/g) ?? []).some((w) => /[aeiouy]/.test(w))) return false;
  if (lower >= 2 && upper >= 2 && digits >= 2) return switches >= 0.5;
  if (lower >= 2 && upper >= 2) return run.length >= 12 && switches >= 0.5; // base64url without digits
  if (digits >= 3 && lower + upper >= 3) return switches >= 0.6 && digits >= 0.25 * run.length;
  return false;
}

function replaceTokenRun(run: string): string {
  if (!run.includes('/')) return isTokenLike(run) || isShortSecret(run) ? PLACEHOLDER.token : run;
  // A path-like run: judge base64 blobs as a whole, otherwise each segment on its own.
  if (run.length >= 24 && classSwitchRatio(run) >= 0.5 && /\d/.test(run) && /[A-Za-z]/.test(run)) {
    return PLACEHOLDER.token;
  }
  return run
    .split('/')
    .map((seg) => (isTokenLike(seg, 16) || isShortSecret(seg) ? PLACEHOLDER.token : seg))
    .join('/');
}

const DATE_YMD = /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?=$| )/;
const DATE_DMY = /^(\d{1,2})([-./])(\d{1,2})\2(\d{4})(?=$| )/;

/** Length of a calendar date at the start of a numeric span (0 when there is none). */
function leadingDate(span: string): number {
  const ymd = DATE_YMD.exec(span);
  if (ymd) {
    const [whole, y, , m, d] = ymd;
    if (Number(y) >= 1000 && Number(y) <= 2999 && Number(m) >= 1 && Number(m) <= 12 && Number(d) >= 1 && Number(d) <= 31) {
      return whole.length;
    }
  }
  const dmy = DATE_DMY.exec(span);
  if (dmy) {
    const [whole, a, , b] = dmy;
    const x = Number(a);
    const y = Number(b);
    if (x >= 1 && y >= 1 && x <= 31 && y <= 31 && (x <= 12 || y <= 12)) return whole.length;
  }
  return 0;
}

function separatorsOf(span: string): string[] {
  return span.replace(/^\+/, '').split(/\d+/).slice(1, -1);
}

/** Phone numbers without a "+": ≥ 7 digits in phone-like groups, not dates, ranges, amounts or versions. */
function phoneShaped(span: string, groups: string[]): boolean {
  const n = groups.join('').length;
  if (groups.length < 2 || n < 7 || n > 15) return false;
  const seps = separatorsOf(span);
  if (span.includes('(')) return true;
  const lens = groups.map((g) => g.length);
  const dotsOnly = seps.every((s) => s.trim() === '.');
  if (dotsOnly) return /^(1,)?3,3,4$/.test(lens.join(','));
  if (lens.slice(1).some((l) => l === 1)) return false; // "1 2 3 4 5 6 7": a list, not a phone
  const first = groups[0] as string;
  if (n < 9 && first.length <= 3 && lens.slice(1).every((l) => l === 3)) return false; // "1 234 567": an amount
  if (groups.length === 2) {
    const [a, b] = lens as [number, number];
    if (a === 3 && b === 4) return true; // 555-2671
    if (a === 4 && b === 4) return seps[0] === ' '; // "9123 4567" (HK, SG); "2019-2024" is a range
    return first.startsWith('0') && a >= 2 && a <= 5 && b >= 5 && b <= 8; // "030 12345678"
  }
  return true;
}

function classifyNumeric(span: string): string {
  const groups = span.match(/\d+/g) ?? [];
  const digits = groups.join('');
  const n = digits.length;
  if (n < 7) return span;
  const plus = span.startsWith('+');
  if (!plus) {
    const date = leadingDate(span);
    if (date > 0) {
      const rest = span.slice(date);
      const gap = /^[ .\-()]*/.exec(rest)?.[0] ?? '';
      return span.slice(0, date) + gap + (rest.length > gap.length ? classifyNumeric(rest.slice(gap.length)) : '');
    }
    if (/^\d{3}[- ]\d{2}[- ]\d{4}$/.test(span)) return PLACEHOLDER.ssn;
    if (!span.includes('(')) {
      if (n >= 13 && n <= 19 && luhnValid(digits)) return PLACEHOLDER.card;
      // A card followed by more digits ("4111 1111 1111 1111 12 28"): try the leading groups.
      if (n > 13 && groups.length > 1) {
        let taken = '';
        let end = 0;
        for (const g of groups) {
          end = span.indexOf(g, end) + g.length;
          taken += g;
          if (taken.length > 19) break;
          if (taken.length >= 13 && taken.length < n && luhnValid(taken)) {
            const rest = span.slice(end);
            const gap = /^[ .\-()]*/.exec(rest)?.[0] ?? '';
            return PLACEHOLDER.card + gap + classifyNumeric(rest.slice(gap.length));
          }
        }
      }
    }
  }
  if (plus && n <= 15) return PLACEHOLDER.phone;
  if (phoneShaped(span, groups)) return PLACEHOLDER.phone;
  // National formats the shape rules do not know ("030/12345678", "01.23.45.67.89"): by prefix (phone.ts).
  if (!plus && groups.length >= 2 && isNationalPhone(span)) return PLACEHOLDER.phone;
  // Dotted versions and IP addresses ("131.0.6778.85", "192.168.100.200") stay readable.
  const seps = separatorsOf(span);
  if (groups.length >= 3 && seps.every((s) => s === '.') && groups.every((g) => g.length <= 5)) return span;
  return n >= 9 ? PLACEHOLDER.number : span;
}

/** "ORD-", "INV-", "PO#", "SKU-": an identifier's prefix, after which a dashed number is an order number. */
const ID_PREFIX = /(?:^|[^\w])[A-Za-z]{2,10}[-#]$/;
/** Longest order/invoice number kept readable after such a prefix (digits). */
const MAX_ID_DIGITS = 12;

function redactNumbers(s: string): string {
  return s.replace(NUMERIC_SPAN, (span, offset: number, all: string) => {
    const digits = span.replace(/\D/g, '');
    if (
      /^\d[\d-]*$/.test(span) &&
      digits.length <= MAX_ID_DIGITS &&
      ID_PREFIX.test(all.slice(Math.max(0, offset - 12), offset)) &&
      !(digits.length >= 13 && luhnValid(digits))
    ) {
      return span; // "ORD-2024-00123": an order number, not a phone
    }
    // A span glued to letters on its left ("ID12345678") is still judged by its digits alone.
    const out = classifyNumeric(span);
    return out === span ? span.replace(/\d{9,}/g, PLACEHOLDER.number) : out;
  });
}

function plausibleShortDate(code: string): boolean {
  const [a, b, c] = code.split('-').map(Number) as [number, number, number];
  const dm = (d: number, m: number) => d >= 1 && d <= 31 && m >= 1 && m <= 12;
  return dm(a, b) || dm(b, a) || dm(c, b);
}

/** Sort codes, and account numbers near bank words or a sort code. */
function redactBankDetails(s: string): string {
  const bank = BANK_WORDS.test(s);
  let out = s.replace(SORT_CODE, (code) => (bank || !plausibleShortDate(code) ? PLACEHOLDER.sortCode : code));
  if (!bank && !out.includes(PLACEHOLDER.sortCode)) return out;
  out = out.replace(ACCOUNT_NUMBER, (run, offset: number, all: string) => {
    const around = all.slice(Math.max(0, offset - BANK_CONTEXT_CHARS), offset + run.length + BANK_CONTEXT_CHARS);
    return BANK_WORDS.test(around) ? PLACEHOLDER.account : run;
  });
  return out;
}

function redactAll(input: string, depth: number): string {
  let s = input.replace(PRIVATE_KEY_BLOCK, PLACEHOLDER.token);
  // Credentials in URLs of any scheme go before the URL rules see them (they only know http and ws).
  s = redactUrlCredentials(s);
  if (depth < MAX_DEPTH) {
    s = s.replace(URL_IN_TEXT, (m) => {
      const trail = /[.,;:!?)\]}'"]+$/.exec(m)?.[0] ?? '';
      const url = trail ? m.slice(0, -trail.length) : m;
      return redactUrlAt(url, depth + 1) + trail;
    });
  }
  // Known formats first, so they keep their own placeholder; then secrets named by the words around them.
  s = s.replace(JWT, PLACEHOLDER.jwt);
  for (const re of KNOWN_KEYS) s = s.replace(re, PLACEHOLDER.token);
  s = s.replace(AUTH_SCHEME, (_m, scheme: string, gap: string) => scheme + gap + PLACEHOLDER.token);
  s = redactSecretsInText(s);
  s = s.replace(LABELLED_SECRET, (_m, label: string, sep: string) => label + sep + PLACEHOLDER.redacted);
  if (s.includes('@')) s = s.replace(EMAIL, (m) => (RETINA_FILE.test(m) ? m : PLACEHOLDER.email));
  s = s.replace(UUID, PLACEHOLDER.uuid);
  s = s.replace(IBAN_CANDIDATE, replaceIban);
  s = s.replace(TOKEN_CANDIDATE, replaceTokenRun);
  s = s.replace(NINO, PLACEHOLDER.nino);
  if (/\d/.test(s)) s = redactBankDetails(s);
  return redactNumbers(s);
}

/** Cuts to `max` characters without splitting a placeholder or a surrogate pair; marks the cut with "…". */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return max === 1 ? '…' : '';
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/\[[a-z-]*$/, '');
  return cut + '…';
}

/** Longer than any short secret (an email address is at most 254 characters). */
const STRADDLE_CHARS = 320;

function prepare(input: string, limit: number): string {
  let s = input;
  const cut = s.length > limit;
  if (cut) s = s.slice(0, limit);
  s = s.normalize('NFKC').replace(INVISIBLE, '');
  if (cut) {
    // Whatever straddled the cut is incomplete and could slip past the detectors: drop the tail, up to
    // the last space or, inside one very long word, the longest secret we look for (an email).
    const tail = /\S*$/.exec(s)?.[0].length ?? 0;
    s = s.slice(0, s.length - Math.min(Math.max(tail, 64), STRADDLE_CHARS));
  }
  return s;
}

function redactTextAt(input: string, maxLength: number, depth: number): string {
  if (!input) return '';
  const s = prepare(input, Math.max(maxLength * 4, 4_096));
  return truncate(redactAll(s, depth), maxLength);
}

/**
 * Redacts emails, phone numbers, card numbers, SSNs, IBANs, JWTs, keys and tokens, long digit runs and
 * labelled secrets in free text, and URLs inside it; then cuts it to `maxLength` characters. Never throws:
 * anything but a string gives "".
 */
export function redactText(s: string, maxLength: number = MAX_VALUE_CHARS): string {
  if (typeof s !== 'string') return '';
  try {
    return redactTextAt(s, maxLength, 0);
  } catch {
    return PLACEHOLDER.redacted;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Text still being typed.

/** Number-like groups before the caret followed back at most this far (an IBAN has up to 9 groups). */
const MAX_TAIL_GROUPS = 12;

const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);

/**
 * A group that could be part of a card, phone, IBAN or ID number still being typed: it holds a digit,
 * is a short capitalised code ("GB82 WEST"), or is punctuation ("+", "(", "-").
 */
function numberLikeGroup(group: string): boolean {
  return /\p{N}/u.test(group) || /^[A-Z0-9]{1,4}$/.test(group) || /^[+()\-./]+$/.test(group);
}

/** Where the unfinished part of `s` starts, when the person is typing at its end. */
function unfinishedStart(s: string): number {
  let i = s.length;
  // The word being typed: nothing tells yet whether "jane.doe" will become "jane.doe@example.com".
  while (i > 0 && !isSpace(s[i - 1])) i--;
  // Before it, groups of a number typed with spaces ("4111 1111 |"): not recognisable until complete.
  for (let n = 0; n < MAX_TAIL_GROUPS; n++) {
    let j = i;
    while (j > 0 && isSpace(s[j - 1])) j--;
    let k = j;
    while (k > 0 && !isSpace(s[k - 1])) k--;
    if (k === j || !numberLikeGroup(s.slice(k, j))) break;
    i = k;
  }
  return i;
}

/**
 * Redaction of a value that is still being typed (an input event). The detectors of `redactText` only
 * recognise complete patterns, so the unfinished part at the caret is left out: the word being typed and
 * any number-like groups just before it. Without this, "jane.doe" (before the "@") or "4111 1111" (half
 * a card) would leave the page in an intermediate value. The complete value is redacted with
 * `redactText` when the field is left (the change event).
 *
 * `caret` is where the person is typing (selectionStart); the text after the word at the caret is kept.
 */
export function redactTyping(value: string, caret?: number | null, maxLength: number = MAX_VALUE_CHARS): string {
  if (typeof value !== 'string' || !value) return '';
  const at = typeof caret === 'number' && caret >= 0 && caret <= value.length ? caret : value.length;
  let wordEnd = at;
  while (wordEnd < value.length && !isSpace(value[wordEnd])) wordEnd++;
  const before = value.slice(0, unfinishedStart(value.slice(0, at)));
  const after = value.slice(wordEnd);
  return redactText(before + after, maxLength);
}

// ---------------------------------------------------------------------------------------------------------
// URLs.

/** Query and fragment parameter names whose values are masked outright, whatever they look like. */
const SECRET_PARAM_WORDS = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'pass', 'passcode', 'pin', 'sig', 'signature', 'auth',
  'oauth', 'authorization', 'jwt', 'otp', 'credential', 'credentials', 'session', 'sessionid', 'sid', 'apikey',
  'key', 'ticket', 'code', 'nonce', 'saml', 'assertion', 'verifier', 'cookie', 'hash', 'private', 'ssn',
  'oobcode', 'samlrequest', 'samlresponse', 'relaystate', 'state',
]);
const SECRET_PARAM_STEMS = ['token', 'secret', 'password', 'passwd', 'session', 'apikey', 'signature', 'credential'];
/** "code" names that are not secrets. */
const BENIGN_CODE_PARAMS = new Set([
  'country_code', 'countrycode', 'currency_code', 'currencycode', 'language_code', 'languagecode', 'lang_code',
  'locale_code', 'status_code', 'statuscode', 'error_code', 'errorcode', 'response_code', 'http_code',
]);

function paramWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True for query/fragment parameter names whose value is a secret (token, code, state, sig, x-amz-*…). */
export function isSecretParamName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (!lower) return false;
  if (BENIGN_CODE_PARAMS.has(lower)) return false;
  if (/^x-(amz|goog)-/.test(lower)) return true;
  const words = paramWords(name);
  if (words.some((w) => SECRET_PARAM_WORDS.has(w))) return true;
  const compact = words.join('');
  return SECRET_PARAM_STEMS.some((stem) => compact.includes(stem));
}

function safeDecode(s: string, plusIsSpace: boolean): string {
  const t = plusIsSpace ? s.replace(/\+/g, ' ') : s;
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}

/** Encodes redacted text for a URL, keeping placeholders readable. */
function encodePart(s: string): string {
  return encodeURIComponent(s).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

/**
 * How a URL is judged: which parameter names keep their values (always checked by the detectors too),
 * and what the person typed recently in this document (never sent anywhere; see typed-memory.ts).
 */
export interface UrlRedactionOptions {
  /** Extra parameter names whose values are kept (policy `safeUrlParams`), on top of SAFE_URL_PARAMS. */
  safeParams?: readonly string[];
  /** Values typed recently in this document: a parameter or path segment mirroring them is redacted. */
  typed?: readonly string[];
  maxLength?: number;
}

interface UrlRules {
  safe: ReadonlySet<string>;
  typed: readonly string[];
}

/** "per_page", "perPage", "per-page" and "PER_PAGE" are one name. */
export function normaliseParamName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const DEFAULT_SAFE = new Set(SAFE_URL_PARAMS.map(normaliseParamName));
const DEFAULT_RULES: UrlRules = { safe: DEFAULT_SAFE, typed: [] };

function rulesOf(opts: UrlRedactionOptions | undefined): UrlRules {
  const extra = (opts?.safeParams ?? []).filter((n) => typeof n === 'string').map(normaliseParamName).filter(Boolean);
  const typed = (opts?.typed ?? []).map(normaliseTyped).filter((t) => t.length > 0);
  if (extra.length === 0 && typed.length === 0) return DEFAULT_RULES;
  return { safe: extra.length > 0 ? new Set([...DEFAULT_SAFE, ...extra]) : DEFAULT_SAFE, typed };
}

function normaliseTyped(s: string): string {
  // Spaces, dashes, underscores and plus signs all read as one separator: apps slugify what was typed.
  return typeof s === 'string' ? s.normalize('NFKC').toLowerCase().replace(/[\s_+-]+/g, ' ').trim() : '';
}

/**
 * Whether a URL part repeats what was just typed: equal to a typed value, a prefix of one (what an app
 * mirrored a keystroke or two ago), or holding one of three characters or more that makes up most of it.
 */
export function mirrorsTyped(value: string, typed: readonly string[]): boolean {
  if (typed.length === 0) return false;
  const v = normaliseTyped(value);
  if (!v) return false;
  for (const t of typed) {
    const nt = normaliseTyped(t);
    if (!nt) continue;
    if (v === nt) return true;
    if (v.length >= 2 && nt.startsWith(v)) return true; // an earlier prefix, mirrored a little late
    // Inside a longer part only when it makes up most of it: a slug made of the search, not a word of
    // the page's own path that the person happened to type ("child" in child.html).
    if (nt.length >= 3 && v.includes(nt) && nt.length * 2 > v.length) return true;
  }
  return false;
}

/** Raw part unchanged when redaction finds nothing in it; otherwise the redacted text, encoded. */
function redactPart(raw: string, depth: number, plusIsSpace: boolean, rules: UrlRules = DEFAULT_RULES): string {
  const decoded = safeDecode(raw, plusIsSpace);
  if (mirrorsTyped(decoded, rules.typed)) return PLACEHOLDER.redacted;
  const red = redactTextAt(decoded, MAX_URL_CHARS, depth);
  return red === decoded ? raw : encodePart(red);
}

/** Path segments: the text detectors, then random-looking short segments (invite and reset tokens). */
function redactSegmentText(raw: string, depth: number, rules: UrlRules): string {
  const decoded = safeDecode(raw, false);
  if (decoded.length >= URL_SEGMENT_TOKEN_MIN_CHARS && (isShortSecret(decoded, URL_SEGMENT_TOKEN_MIN_CHARS) || isTokenLike(decoded, 16))) {
    return PLACEHOLDER.token;
  }
  return redactPart(raw, depth, false, rules);
}

/** A path segment, with matrix parameters (";jsessionid=…") judged by name like query parameters. */
function redactSegment(seg: string, depth: number, rules: UrlRules): string {
  if (!seg.includes(';')) return redactSegmentText(seg, depth, rules);
  const [head = '', ...params] = seg.split(';');
  const kept = params.map((p) => {
    const eq = p.indexOf('=');
    if (eq >= 0 && isSecretParamName(safeDecode(p.slice(0, eq), false))) return `${p.slice(0, eq)}=${PLACEHOLDER.redacted}`;
    return redactPart(p, depth, false, rules);
  });
  return [redactSegmentText(head, depth, rules), ...kept].join(';');
}

function redactPath(path: string, depth: number, rules: UrlRules): string {
  return path
    .split('/')
    .map((seg) => (seg ? redactSegment(seg, depth, rules) : seg))
    .join('/');
}

/**
 * Query or fragment parameters, failing closed: a value is kept (and still checked by the detectors and
 * against what was just typed) only when its name is on the safe list and it is short; every other value
 * becomes [redacted]. A name without "=" is judged like a path segment.
 */
function redactParams(query: string, depth: number, rules: UrlRules): string {
  return query
    .split('&')
    .map((pair) => {
      if (!pair) return pair;
      const eq = pair.indexOf('=');
      if (eq < 0) return redactSegmentText(pair, depth, rules);
      const rawName = pair.slice(0, eq);
      const name = redactPart(rawName, depth, true, rules);
      const rawValue = pair.slice(eq + 1);
      if (!rawValue) return `${name}=`;
      const plainName = safeDecode(rawName, true);
      const safe = rules.safe.has(normaliseParamName(plainName)) && !isSecretParamName(plainName);
      if (!safe || rawValue.length > MAX_SAFE_URL_PARAM_VALUE_CHARS) return `${name}=${PLACEHOLDER.redacted}`;
      return `${name}=${redactPart(rawValue, depth, true, rules)}`;
    })
    .join('&');
}

/** Fragments: hash routes ("#/users/7?tab=x"), parameters ("#access_token=…&state=…") or plain text. */
function redactFragment(frag: string, depth: number, rules: UrlRules): string {
  const route = /^(!?\/)/.exec(frag);
  if (route) {
    const q = frag.indexOf('?');
    const path = q < 0 ? frag : frag.slice(0, q);
    const query = q < 0 ? '' : frag.slice(q + 1);
    return redactPath(path, depth, rules) + (q < 0 ? '' : `?${redactParams(query, depth, rules)}`);
  }
  // Text fragments ("#:~:text=…") quote the page: parameters like any other.
  if (frag.startsWith(':~:')) return `:~:${redactParams(frag.slice(3), depth, rules)}`;
  if (/^[^=&/\s]+=/.test(frag) || frag.includes('&')) return redactParams(frag, depth, rules);
  return redactSegmentText(frag, depth, rules);
}

/** Longest URL we look at; the rest is cut at a separator so no parameter is cut mid-value. */
const MAX_URL_INPUT = 16_384;

function redactUrlAt(input: string, depth: number, rules: UrlRules = DEFAULT_RULES): string {
  let raw = input.replace(INVISIBLE, '').trim();
  if (!raw) return PLACEHOLDER.invalidUrl;
  if (raw.length > MAX_URL_INPUT) raw = raw.slice(0, MAX_URL_INPUT).replace(/[^/&?#]*$/, '');
  const relative = raw.startsWith('/') && !raw.startsWith('//');
  let url: URL;
  try {
    url = new URL(raw, relative ? 'http://relative.invalid' : undefined);
  } catch {
    return PLACEHOLDER.invalidUrl;
  }
  const protocol = url.protocol.toLowerCase();
  if (protocol === 'blob:' && depth < MAX_DEPTH) return `blob:${redactUrlAt(raw.slice(5), depth + 1, rules)}`;
  if (!relative && !url.host && protocol !== 'file:') {
    // Opaque URLs (data:, javascript:, mailto:, tel:, about:) carry their content after the colon.
    if (/^about:[a-z-]*$/i.test(raw)) return raw.toLowerCase();
    return `${protocol}${PLACEHOLDER.redacted}`;
  }
  // url.host carries no user:password@, which is therefore dropped.
  const origin = relative ? '' : `${protocol}//${url.host}`;
  const path = redactPath(url.pathname, depth, rules);
  const query = url.search.length > 1 ? `?${redactParams(url.search.slice(1), depth, rules)}` : '';
  const hash = url.hash.length > 1 ? `#${redactFragment(url.hash.slice(1), depth, rules)}` : '';
  return origin + path + query + hash;
}

/**
 * Redacts a URL, failing closed: keeps scheme, host and path structure; drops `user:password@`; keeps a
 * query or fragment parameter's value only when its name is on the safe list (SAFE_URL_PARAMS plus
 * `safeParams`, never a secret-like name) — every other value becomes [redacted]; redacts emails, tokens,
 * numbers and random-looking short segments (invite tokens) in the path, hash routes included; redacts
 * any part that repeats what the person just typed (`typed`). Opaque URLs (data:, javascript:, mailto:)
 * keep only their scheme. Never throws: garbage gives "[invalid-url]". The second argument may be the
 * maximum length, as before.
 */
export function redactUrl(url: string, opts: number | UrlRedactionOptions = {}): string {
  if (typeof url !== 'string') return PLACEHOLDER.invalidUrl;
  const options = typeof opts === 'number' ? { maxLength: opts } : (opts ?? {});
  try {
    return truncate(redactUrlAt(url, 0, rulesOf(options)), options.maxLength ?? MAX_URL_CHARS);
  } catch {
    return PLACEHOLDER.invalidUrl;
  }
}
