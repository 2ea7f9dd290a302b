/**
 * Is this field sensitive? A sensitive field gives away nothing: no value, no key, no length, no name.
 *
 * A field is sensitive when any of these holds (none can be switched off; policy can only add):
 * - it is, or once was, `<input type=password>` (sticky: a "show password" toggle does not unmask it);
 * - its `autocomplete` names a secret: any `cc-*`, `current-password`, `new-password`, `one-time-code`,
 *   `bday*` (date of birth), `transaction-amount`;
 * - its name, id, class, placeholder, title, aria-label, aria-labelledby text, label text or test id
 *   reads like a secret (see `isSensitiveLabel`);
 * - it is a one-character numeric box (the digits of a split PIN or one-time-code widget);
 * - it is an option of a sensitive `<select>` or of a sensitive combobox's listbox;
 * - it matches a policy `sensitiveSelectors` entry;
 * - it was ever found sensitive before (every positive answer is sticky).
 * The marker levels of the app (`privacyLevel`) are combined with this in `fieldPrivacy`.
 *
 * Stickiness lives in a module WeakSet of the content script's isolated world: nothing is written to the
 * page's DOM, so the page can neither see nor clear it.
 */
import { hasMarkedDescendant, matchesAnySelector, privacyLevel, type PrivacyLevel } from './markers';
import { focusedWithin } from './shadow';

const sticky = new WeakSet<Element>();

/** Remembers an element as sensitive for as long as it lives (e.g. a MutationObserver saw its `type`
 * change away from "password"). */
export function markSensitive(el: Element): void {
  sticky.add(el);
}

/**
 * Remembers every password input under `root` now, so that a later "show password" toggle cannot unmask
 * one that was never focused while it was still a password field. Call it when capture starts and for
 * added subtrees; shadow roots are separate roots. Returns how many were found.
 */
export function rememberPasswordFields(root: ParentNode): number {
  let found = 0;
  try {
    for (const input of Array.from(root.querySelectorAll('input[type*="password" i]'))) {
      if (inputType(input) === 'password') {
        sticky.add(input);
        found++;
      }
    }
  } catch {
    // A root we cannot query has nothing we can remember.
  }
  return found;
}

function inputType(el: Element): string {
  return (el.getAttribute('type') ?? '').trim().toLowerCase();
}

function tagOf(el: Element): string {
  return (el.localName || el.tagName || '').toLowerCase();
}

/** `<input type=hidden>`: never captured in any form. */
export function isHiddenInput(el: Element): boolean {
  return tagOf(el) === 'input' && inputType(el) === 'hidden';
}

/**
 * Hidden inputs and everything inside a `block` marker produce no events at all. Policy selectors only
 * ever mask, so the optional second argument (accepted for symmetry with the other checks) changes nothing.
 */
export function isNeverCaptured(el: Element, _extra?: readonly string[]): boolean {
  return isHiddenInput(el) || privacyLevel(el, []) === 'block';
}

// ---------------------------------------------------------------------------------------------------------
// Autocomplete tokens.

/**
 * Autocomplete tokens that name a secret. `cc-*` and `bday*` are matched as prefixes. transaction-amount
 * is masked because a payment amount typed at checkout is personal financial data; when unsure, mask.
 */
export const SENSITIVE_AUTOCOMPLETE: readonly string[] = [
  'cc-*',
  'current-password',
  'new-password',
  'one-time-code',
  'bday*',
  'transaction-amount',
];

function sensitiveAutocomplete(value: string | null): boolean {
  if (!value) return false;
  for (const token of value.toLowerCase().split(/\s+/)) {
    if (!token) continue;
    if (token.startsWith('cc-') || token.startsWith('bday')) return true;
    if (token === 'current-password' || token === 'new-password' || token === 'one-time-code') return true;
    if (token === 'transaction-amount') return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Label heuristics.

/**
 * Whole words (after camelCase/snake/kebab splitting, digits trimmed from the ends: "pin1" → "pin") that
 * mark a secret. "pin" is masked as a word whatever precedes it, so India's postal "PIN code" is masked
 * too (accepted over-masking); "spinner", "pinned", "shipping" are different words and stay readable.
 */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passwort', 'kennwort', 'passcode', 'passphrase', 'pwd', 'pw', 'pass', 'pword', 'passw',
  'pin', 'mpin', 'tpin', 'atmpin', 'upipin', 'simpin', 'pincode', 'pinnumber', 'pinno',
  'secret', 'token', 'apikey',
  'ssn', 'tin', 'dob', 'iban', 'bsb',
  'otp', 'totp', 'hotp', 'mfa', '2fa',
  'cvv', 'cvc', 'csc', 'cvn', 'cvd', 'ccv',
  'expiry', 'expiration', 'expdate', 'ccexp', 'ccexpiry',
  'ccnum', 'ccnumber', 'cardnumber', 'cardnum', 'cardno',
  'birthdate', 'birthday', 'dateofbirth',
]);

/** Parts of a single run-together word that mark a secret ("newPassword" is split, "newpassword" is not). */
const SECRET_STEMS = [
  'password', 'passwd', 'passwort', 'kennwort', 'passcode', 'passphrase', 'pwd',
  'apikey', 'apisecret', 'apitoken', 'privatekey', 'secretkey', 'accesskey',
  'creditcard', 'debitcard', 'cardnumber', 'cardnum', 'ccnum', 'ccnumber', 'securitycode', 'cvv', 'cvc',
  'dateofbirth', 'birthdate', 'birthday', 'socialsecurity', 'maidenname',
  'accountnumber', 'acctnumber', 'acctnum', 'acctno', 'routingnumber', 'taxnumber',
  'onetimecode', 'onetimepassword', 'onetimepin', 'twofactor',
  'expirydate', 'expirationdate', 'passportnumber', 'passportno', 'driverslicense', 'driverlicense', 'pincode',
];

/**
 * "token" in prose: "Tokens of appreciation", "max tokens" are not secrets; a field named "token",
 * "accessToken" or "csrf_token" is. Plural "tokens" alone stays readable; every other word containing
 * "token" is masked (when unsure, mask).
 */
const TOKEN_PROSE = new Set(['tokens', 'tokenize', 'tokenizer', 'tokenized', 'tokenizing', 'tokenization', 'tokenise', 'tokeniser']);

/** Phrases over the split words, joined by single spaces. */
const SECRET_PHRASES: readonly RegExp[] = [
  /\bpass (word|phrase|code)\b/,
  /\bapi (key|token|secret)s?\b/,
  /\b(secret|private|access|license|licence|product|encryption|signing|ssh|recovery|master) keys?\b/,
  /\b(api|access|auth|bearer|refresh|personal access|session|id|csrf|xsrf|security) tokens\b/,
  /\bsocial (security|insurance)\b/,
  /\bnational (insurance|id|identity)( number| no)?\b/,
  /\btax (id|identification|number|no|file number)\b/,
  /\b(account|acct|acc) (number|num|no|nr)\b/,
  /\bbank account\b/,
  /\brouting (number|num|no|nr)\b/,
  /\baba (number|routing)\b/,
  /\bsort code\b/,
  /\b(card|cc|pan) (number|num|no|nr)\b/,
  /\b(credit|debit) card\b/,
  /\bpan card\b/,
  /\bcard verification\b/,
  /\b(security|card|verification|auth|authentication|authenticator|access|sms|mfa|otp|2fa|recovery|backup) codes?\b/,
  /\bexp (date|month|year|mm|yy|yyyy)\b/,
  /\bmm (yy|yyyy|aa|aaaa|jj|jjjj)\b/,
  /\bvalid (thru|through)\b/,
  /\bdate of birth\b/,
  /\bbirth (date|day)\b/,
  /\bmaiden name\b/,
  /\bone time (code|password|passcode|pin|pass|token)\b/,
  /\b(two|2) (factor|step)\b/,
  /\b(security|secret) (answer|question)s?\b/,
  /\bpassport (number|num|no|nr)\b/,
  /\bdriv(er|ers|ing) licen[cs]e\b/,
];

/** "Password" and friends in other languages, found anywhere in the text. */
const LOCALIZED_SECRETS = [
  'contraseña', 'contrasena', 'mot de passe', 'motdepasse', 'senha', 'wachtwoord', 'hasło', 'haslo',
  'lösenord', 'losenord', 'salasana', 'adgangskode', 'passord', 'heslo', 'jelszó', 'jelszo', 'parolă',
  'пароль', '密码', '密碼', 'パスワード', '비밀번호', 'كلمة المرور', 'סיסמה', 'şifre',
  'geheimzahl', 'kartennummer', 'geburtsdatum', 'numéro de carte', 'número de tarjeta', 'fecha de nacimiento',
  'date de naissance', 'codice fiscale',
];

/** Splits text into lowercase words at spaces, punctuation, `_`, `-` and camelCase boundaries. */
export function splitWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function secretWord(word: string): boolean {
  if (SECRET_WORDS.has(word)) return true;
  const core = word.replace(/^\d+|\d+$/g, '');
  if (!core) return false;
  if (SECRET_WORDS.has(core)) return true;
  for (const stem of SECRET_STEMS) if (core.includes(stem)) return true;
  if (core.includes('secret') && !core.includes('secretar')) return true; // not "secretary"
  if (core.includes('token') && !TOKEN_PROSE.has(core)) return true;
  if (core.startsWith('otp') || core.endsWith('otp')) return true; // not "footprint"
  if (core.startsWith('mfa') || core.startsWith('ssn') || core.startsWith('iban')) return true;
  return word.startsWith('2fa');
}

/** Longest text of one source we look at; labels are short, and this bounds the work. */
const MAX_LABEL_CHARS = 300;

/** True when a name, label or other description of a field reads like a secret. */
export function isSensitiveLabel(text: string | null | undefined): boolean {
  if (!text) return false;
  const s = text.length > MAX_LABEL_CHARS ? text.slice(0, MAX_LABEL_CHARS) : text;
  const lower = s.normalize('NFC').toLowerCase();
  const stripped = lower.normalize('NFKD').replace(/\p{M}+/gu, '');
  for (const w of LOCALIZED_SECRETS) if (lower.includes(w) || stripped.includes(w)) return true;
  const words = splitWords(s);
  if (words.length === 0) return false;
  for (const w of words) if (secretWord(w)) return true;
  const joined = words.join(' ');
  return SECRET_PHRASES.some((re) => re.test(joined));
}

// ---------------------------------------------------------------------------------------------------------
// Which elements are fields, and what describes them.

/** Input types whose value is never typed text (their labels may say "password" harmlessly). */
const NON_TEXT_INPUT_TYPES = new Set(['button', 'submit', 'reset', 'image', 'checkbox', 'radio', 'range', 'color', 'file']);
const TEXT_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);

/** The contenteditable element that owns `el`'s text, if any (within the same tree). */
export function editingHost(el: Element): Element | null {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const v = node.getAttribute('contenteditable');
    if (v === null) continue;
    return v.trim().toLowerCase() === 'false' ? null : node;
  }
  return null;
}

function isTextEntry(el: Element): boolean {
  const tag = tagOf(el);
  if (tag === 'input') return !NON_TEXT_INPUT_TYPES.has(inputType(el));
  if (tag === 'textarea' || tag === 'select') return true;
  const ce = el.getAttribute('contenteditable');
  if (ce !== null && ce.trim().toLowerCase() !== 'false') return true;
  return TEXT_ROLES.has((el.getAttribute('role') ?? '').trim().toLowerCase());
}

const DESCRIBING_ATTRIBUTES = [
  'name', 'id', 'class', 'placeholder', 'title', 'aria-label', 'aria-placeholder', 'data-placeholder',
  'data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy', 'formcontrolname',
];

function textOf(el: Element | null | undefined): string {
  const t = el?.textContent ?? '';
  return t.length > MAX_LABEL_CHARS ? t.slice(0, MAX_LABEL_CHARS) : t;
}

function byId(root: Node, id: string): Element | null {
  const r = root as Partial<Pick<Document, 'getElementById'>>;
  return typeof r.getElementById === 'function' ? r.getElementById(id) : null;
}

/** Everything that names or describes the field: attributes, its labels, aria-labelledby targets. */
function descriptions(el: Element): string[] {
  const out: string[] = [];
  for (const name of DESCRIBING_ATTRIBUTES) {
    const v = el.getAttribute(name);
    if (v) out.push(v);
  }
  const root = el.getRootNode();
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    for (const id of labelledBy.split(/\s+/).slice(0, 8)) if (id) out.push(textOf(byId(root, id)));
  }
  const wrapping = el.closest('label');
  if (wrapping) out.push(textOf(wrapping));
  const id = el.getAttribute('id');
  if (id && 'querySelectorAll' in root) {
    for (const label of Array.from((root as ParentNode).querySelectorAll('label[for]'))) {
      if (label.getAttribute('for') === id && label !== wrapping) out.push(textOf(label));
    }
  }
  return out;
}

/** Single-character numeric boxes: one digit of a split PIN or one-time-code input. */
function isDigitBox(el: Element): boolean {
  if (tagOf(el) !== 'input' || el.getAttribute('maxlength')?.trim() !== '1') return false;
  const mode = (el.getAttribute('inputmode') ?? '').trim().toLowerCase();
  const type = inputType(el);
  const pattern = el.getAttribute('pattern') ?? '';
  return mode === 'numeric' || mode === 'decimal' || type === 'number' || type === 'tel' || /\\d|0-9/.test(pattern);
}

function describedAsSecret(field: Element): string | null {
  if (sensitiveAutocomplete(field.getAttribute('autocomplete'))) return 'autocomplete';
  if (isDigitBox(field)) return 'digit-box';
  for (const text of descriptions(field)) if (isSensitiveLabel(text)) return 'label';
  return null;
}

/**
 * The field an option belongs to: its `<select>`, or the combobox whose `aria-controls`/`aria-owns`
 * names the option's listbox. An option of a sensitive field is as sensitive as the field: choosing
 * "07" in an expiry-month select must not reach the data as a menu choice or a click on "07".
 */
function optionOwner(el: Element): Element | null {
  const tag = tagOf(el);
  if (tag === 'option' || tag === 'optgroup') return el.closest('select');
  if ((el.getAttribute('role') ?? '').trim().toLowerCase() !== 'option') return null;
  const list = el.closest('[role="listbox" i]');
  const id = list?.getAttribute('id');
  if (!list || !id) return null;
  const root = list.getRootNode() as Partial<ParentNode>;
  const quoted = id.replace(/["\\]/g, '\\$&');
  return root.querySelector?.(`[aria-controls~="${quoted}"], [aria-owns~="${quoted}"]`) ?? null;
}

function reasonNow(el: Element, extra: readonly string[]): string | null {
  const owner = optionOwner(el);
  if (owner && owner !== el && sensitiveReason(owner, extra)) return 'option';
  if (tagOf(el) === 'input') {
    const type = inputType(el);
    if (type === 'password') return 'password';
    if (type === 'hidden') return 'hidden';
  }
  const host = editingHost(el);
  if (extra.length > 0 && (matchesAnySelector(el, extra) || (host && host !== el && matchesAnySelector(host, extra)))) {
    return 'selector';
  }
  if (host && host !== el && sticky.has(host)) return 'sticky';
  if (isTextEntry(el)) {
    const r = describedAsSecret(el);
    if (r) return r;
  }
  if (host && host !== el) return describedAsSecret(host);
  return null;
}

/**
 * Why a field is sensitive ('password', 'hidden', 'autocomplete', 'digit-box', 'label', 'selector',
 * 'sticky', 'option' (an option of a sensitive select or combobox), 'error'), or null when it is not. Every positive answer is remembered (sticky). A DOM that
 * throws while we read it counts as sensitive.
 */
export function sensitiveReason(el: Element, extra: readonly string[]): string | null {
  if (sticky.has(el)) return 'sticky';
  let reason: string | null;
  try {
    reason = reasonNow(el, extra);
  } catch {
    reason = 'error';
  }
  if (reason) sticky.add(el);
  return reason;
}

/** True when the field itself (or its contenteditable host) is sensitive; see the rules above. */
export function isSensitiveField(el: Element, extra: readonly string[]): boolean {
  return sensitiveReason(el, extra) !== null;
}

/** Everything an observer needs to know about an element, in one call. */
export interface FieldPrivacy {
  /** The strongest app marker on the element or its ancestors. */
  level: PrivacyLevel;
  /** No event of any kind: hidden inputs and blocked subtrees. */
  neverCaptured: boolean;
  /** Values, keys, text and accessible name are replaced by the mask; the target carries `masked: true`. */
  masked: boolean;
  /** Whether key, input and change events may be emitted at all (false for never-captured and `ignore`). */
  keysAndValues: boolean;
}

export function fieldPrivacy(el: Element, extra: readonly string[]): FieldPrivacy {
  const level = privacyLevel(el, extra);
  const neverCaptured = level === 'block' || isHiddenInput(el);
  const masked = neverCaptured || level === 'mask' || isSensitiveField(el, extra);
  // Masking by an ancestor marker is sticky too: removing the marker later does not unmask the field.
  if (masked) sticky.add(el);
  return { level, neverCaptured, masked, keysAndValues: !neverCaptured && level !== 'ignore' };
}

const LEVEL_ORDER: readonly PrivacyLevel[] = ['none', 'ignore', 'mask', 'block'];

/**
 * `fieldPrivacy` for the element an event was reported on, looking through a shadow host into the root
 * that holds focus (closed roots included, see ./shadow): keys and input typed into a password inside a
 * closed root arrive retargeted to the host, which on its own reads as an ordinary element. Whatever is
 * stricter, the host's or the focused element's rules, applies.
 */
export function targetPrivacy(el: Element, extra: readonly string[]): FieldPrivacy {
  const own = fieldPrivacy(el, extra);
  if (own.neverCaptured) return own;
  let inner: Element | null;
  try {
    inner = focusedWithin(el);
  } catch {
    inner = null;
  }
  if (!inner) return own;
  const deep = fieldPrivacy(inner, extra);
  const level = LEVEL_ORDER[Math.max(LEVEL_ORDER.indexOf(own.level), LEVEL_ORDER.indexOf(deep.level))] ?? 'block';
  return {
    level,
    neverCaptured: deep.neverCaptured,
    masked: own.masked || deep.masked,
    keysAndValues: own.keysAndValues && deep.keysAndValues,
  };
}

/**
 * True when text under `el` may be private: a descendant carries a mask or block marker or matches a
 * policy selector, or is a sensitive contenteditable. An element's accessible name (from content) and
 * its Recorder text selector are built from that text — a click on a table row would otherwise carry
 * the masked cell in its name — so such an element is described like a masked one.
 */
export function holdsPrivateText(el: Element, extra: readonly string[]): boolean {
  if (hasMarkedDescendant(el, extra)) return true;
  try {
    for (const ce of Array.from(el.querySelectorAll('[contenteditable]'))) {
      if ((ce.getAttribute('contenteditable') ?? '').trim().toLowerCase() === 'false') continue;
      if (isSensitiveField(ce, extra)) return true;
    }
  } catch {
    return true;
  }
  return false;
}
