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
import { generationFor } from '../describe/generation';
import { focusedWithin } from './shadow';

const sticky = new WeakSet<Element>();

/** Negative answers, valid while the document has not changed since (see lib/describe/generation). */
const notSensitiveAt = new WeakMap<Element, number>();

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
  return isHiddenInput(el) || privacyLevel(el, NO_SELECTORS) === 'block';
}

/** One list object, so that answers remembered per list of policy selectors are found again. */
const NO_SELECTORS: readonly string[] = [];

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
  // Wallets and account recovery.
  /\b(recovery|seed|secret|mnemonic|backup|wallet) (phrase|words?|keys?|sentence)\b/,
  /\bmnemonic\b/,
  // Codes that sign someone in, whatever the app calls them.
  /\b(login|log in|logon|sign in|signin|unlock|confirmation|verification|verify|authenticator|authentication|app|activation|passcode|access|security|device|pairing|sms|email|text message) (code|number|pin)s?\b/,
  // Banks' "memorable information" and security answers.
  /\bmemorable\b/,
  /\b(security|secret|challenge) (answer|response|word)s?\b/,
  /\banswer to (your|the) (security|secret|challenge)\b/,
  /\b(mother s|mothers|mother) maiden\b/,
  /\bpass ?key\b/,
  /\bprivate (key|phrase)\b/,
];

/**
 * Secret labels in the languages business software is most used in (Spanish, German, French, Portuguese,
 * Italian, Dutch, Japanese, Chinese, Korean, Russian, Polish, Turkish, Arabic, Hebrew, Nordic, Czech,
 * Hungarian, Romanian, Hindi), found anywhere in the text, also without accents. Words that are also
 * everyday words elsewhere are left out ("账号" is a user name in Chinese; "TAN" a colour in English).
 */
const LOCALIZED_SECRETS = [
  // Password.
  'contraseña', 'contrasena', 'mot de passe', 'motdepasse', 'senha', 'wachtwoord', 'hasło', 'haslo', 'passwort',
  'lösenord', 'losenord', 'salasana', 'adgangskode', 'passord', 'heslo', 'jelszó', 'jelszo', 'parolă', 'parola',
  'пароль', '密码', '密碼', 'パスワード', '비밀번호', '암호', 'كلمة المرور', 'كلمة السر', 'סיסמה', 'şifre', 'sifre',
  'पासवर्ड', 'clave de acceso', 'clave secreta', 'palavra-passe', 'palavra passe', 'kennwort', 'geheimzahl',
  'code secret', 'codice segreto', 'код доступа',
  // PIN and one-time / verification codes.
  'pin-code', 'pin-kod', 'пин-код', 'пин код', '暗証番号', '暗証', 'ワンタイム', '確認コード', '認証コード', '認証番号',
  '验证码', '驗證碼', '校验码', '动态码', '口令', '인증번호', '인증 번호', '인증코드', '인증 코드', '보안코드', '보안 코드',
  'código de verificación', 'codigo de verificacion', 'código de verificação', 'codigo de verificacao',
  'código de seguridad', 'codigo de seguridad', 'código de segurança', 'codigo de seguranca',
  'code de vérification', 'code de verification', 'code de sécurité', 'code de securite', 'code de confirmation',
  'codice di verifica', 'codice di sicurezza', 'codice otp', 'verificatiecode', 'beveiligingscode',
  'bestätigungscode', 'bestatigungscode', 'sicherheitscode', 'einmalcode', 'einmalpasswort', 'zugangscode',
  'prüfnummer', 'prufnummer', 'prüfziffer', 'код подтверждения', 'код безопасности', 'одноразовый',
  'kod weryfikacyjny', 'kod bezpieczeństwa', 'kod bezpieczenstwa', 'kod sms', 'doğrulama kodu', 'dogrulama kodu',
  'güvenlik kodu', 'guvenlik kodu', 'رمز التحقق', 'رمز الأمان', 'cryptogramme', 'セキュリティコード', '安全码', '安全碼',
  // Cards, expiry.
  'kartennummer', 'numéro de carte', 'numero de carte', 'número de tarjeta', 'numero de tarjeta', 'número do cartão',
  'numero do cartao', 'numero della carta', 'numero di carta', 'kaartnummer', 'номер карты', 'numer karty',
  'kart numarası', 'kart numarasi', 'رقم البطاقة', 'カード番号', '卡号', '卡號', '카드번호', '카드 번호',
  'ablaufdatum', 'gültig bis', 'gultig bis', "date d'expiration", 'date d expiration', 'fecha de caducidad',
  'fecha de vencimiento', 'data de validade', 'data di scadenza', 'vervaldatum', 'срок действия', 'data ważności',
  'data waznosci', 'son kullanma', '有効期限', '有效期', '유효기간', '유효 기간',
  // Bank accounts.
  'kontonummer', 'numéro de compte', 'numero de compte', 'número de cuenta', 'numero de cuenta', 'número da conta',
  'numero da conta', 'numero di conto', 'rekeningnummer', 'номер счета', 'номер счёта', 'numer konta',
  'hesap numarası', 'hesap numarasi', '口座番号', '银行账号', '銀行帳號', '계좌번호', '계좌 번호',
  // Dates of birth and national ids.
  'geburtsdatum', 'date de naissance', 'fecha de nacimiento', 'data de nascimento', 'data di nascita', 'geboortedatum',
  'дата рождения', 'data urodzenia', 'doğum tarihi', 'dogum tarihi', 'تاريخ الميلاد', '生年月日', '出生日期', '생년월일',
  'codice fiscale', 'sozialversicherungsnummer', 'steueridentifikationsnummer', 'steuer-id', 'steuernummer',
  'numéro de sécurité sociale', 'numero de securite sociale', 'número de seguridad social', 'numero de seguridad social',
  'burgerservicenummer', 'tc kimlik', 'マイナンバー', '身份证', '身份證', '주민등록번호', '주민번호', 'снилс', 'паспорт',
  // Security questions.
  'sicherheitsfrage', 'question secrète', 'question secrete', 'réponse secrète', 'reponse secrete',
  'pregunta de seguridad', 'respuesta de seguridad', 'pergunta de segurança', 'pergunta de seguranca',
  'domanda di sicurezza', 'risposta segreta', 'контрольный вопрос', '秘密の質問', '安全问题', '密保', '보안 질문',
];

/** Whole words (in any language written with spaces) that name a national id, bank or login secret. */
const LOCALIZED_SECRET_WORDS = new Set([
  'pesel', 'cpf', 'dni', 'nif', 'bsn', 'nino', 'pps', 'ahv', 'avs', 'snils', 'rib', 'curp', 'rfc',
  'mtan', 'itan', 'smstan', 'pushtan', 'chiptan', 'photan', 'tans', 'pincode', 'geheimzahl', 'kennwort', 'passwort',
  'contrasena', 'senha', 'wachtwoord', 'haslo', 'sifre', 'salasana', 'passord', 'heslo', 'jelszo', 'cvc2', 'cvv2',
  'kryptogramm', 'cryptogramme',
]);

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

/**
 * Answers for label texts already read. A page asks about the same few labels again and again (every
 * key in a field, every hover over a menu), and the answer depends on the text alone.
 */
const labelAnswers = new Map<string, boolean>();
const MAX_LABEL_ANSWERS = 2_000;

/** True when a name, label or other description of a field reads like a secret. */
export function isSensitiveLabel(text: string | null | undefined): boolean {
  if (!text) return false;
  const s = text.length > MAX_LABEL_CHARS ? text.slice(0, MAX_LABEL_CHARS) : text;
  const known = labelAnswers.get(s);
  if (known !== undefined) return known;
  const answer = readsLikeSecret(s);
  if (labelAnswers.size >= MAX_LABEL_ANSWERS) labelAnswers.clear();
  labelAnswers.set(s, answer);
  return answer;
}

function readsLikeSecret(s: string): boolean {
  const lower = s.normalize('NFC').toLowerCase();
  const stripped = lower.normalize('NFKD').replace(/\p{M}+/gu, '');
  for (const w of LOCALIZED_SECRETS) if (lower.includes(w) || stripped.includes(w)) return true;
  const words = splitWords(s);
  if (words.length === 0) return false;
  for (const w of words) if (secretWord(w) || LOCALIZED_SECRET_WORDS.has(w)) return true;
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
  'name', 'id', 'class', 'placeholder', 'title', 'aria-label', 'aria-placeholder', 'aria-description',
  'data-placeholder', 'data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy', 'formcontrolname',
  // Web components name their field with attributes on the host (Shoelace, UI5, Material Web…).
  'label', 'hint', 'help-text', 'helper-text', 'supporting-text', 'description',
];

function textOf(el: Element | null | undefined): string {
  const t = el?.textContent ?? '';
  return t.length > MAX_LABEL_CHARS ? t.slice(0, MAX_LABEL_CHARS) : t;
}

/** Text short enough to be a label rather than content. */
function labelText(el: Element | null | undefined): string {
  const t = (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return t.length > MAX_CONTEXT_CHARS ? '' : t;
}

/** Longest text a heading, cell or neighbour may have to count as a field's description. */
const MAX_CONTEXT_CHARS = 120;

function byId(root: Node, id: string): Element | null {
  const r = root as Partial<Pick<Document, 'getElementById'>>;
  return typeof r.getElementById === 'function' ? r.getElementById(id) : null;
}

function idRefsText(el: Element, attr: string, out: string[]): void {
  const refs = el.getAttribute(attr);
  if (!refs) return;
  const root = el.getRootNode();
  for (const id of refs.split(/\s+/).slice(0, 8)) if (id) out.push(textOf(byId(root, id)));
}

/**
 * What labels the element itself: attributes, aria-labelledby and aria-describedby targets, label
 * elements (wrapping, `for`, and the browser's own `labels` list). True in `own` when it has a label of
 * its own (so the looser context below is not needed).
 */
function ownDescriptions(el: Element, out: string[]): boolean {
  for (const name of DESCRIBING_ATTRIBUTES) {
    const v = el.getAttribute(name);
    if (v) out.push(v);
  }
  const before = out.length;
  idRefsText(el, 'aria-labelledby', out);
  idRefsText(el, 'aria-describedby', out);
  const wrapping = el.closest('label');
  if (wrapping) out.push(textOf(wrapping));
  const root = el.getRootNode();
  const id = el.getAttribute('id');
  if (id && 'querySelectorAll' in root) {
    for (const label of Array.from((root as ParentNode).querySelectorAll('label[for]'))) {
      if (label.getAttribute('for') === id && label !== wrapping) out.push(textOf(label));
    }
  }
  const labels = (el as Partial<HTMLInputElement>).labels;
  if (labels) for (const l of Array.from(labels).slice(0, 4)) if (l !== wrapping) out.push(textOf(l));
  return out.length > before || ['aria-label', 'placeholder', 'title', 'label'].some((a) => !!el.getAttribute(a)?.trim());
}

/** The `<legend>` of every fieldset around the field (within its tree). */
function legends(el: Element, out: string[]): void {
  for (let fs = el.closest('fieldset'), i = 0; fs && i < 4; fs = fs.parentElement?.closest('fieldset') ?? null, i++) {
    for (const c of Array.from(fs.children)) if (tagOf(c) === 'legend') out.push(labelText(c));
  }
  const group = el.closest('[role="group" i],[role="radiogroup" i]');
  if (group) {
    out.push(group.getAttribute('aria-label') ?? '');
    idRefsText(group, 'aria-labelledby', out);
  }
}

/** A form laid out as a table: the cells before the field's cell in its row, and its column header. */
function neighbouringCells(el: Element, out: string[]): void {
  const cell = el.closest('td,th,[role="cell" i],[role="gridcell" i]');
  if (!cell) return;
  let sib = cell.previousElementSibling;
  for (let i = 0; sib && i < 2; i++, sib = sib.previousElementSibling) out.push(labelText(sib));
  const row = cell.parentElement;
  const table = cell.closest('table');
  if (!row || !table) return;
  const index = Array.from(row.children).indexOf(cell);
  const head = table.querySelector('thead tr') ?? table.querySelector('tr');
  if (head && head !== row && index >= 0) out.push(labelText(head.children[index]));
}

/**
 * For a field with no label of its own: the text just before it (previous siblings, then its
 * parent's) and the heading of the block it sits in, as a person reading the page would take them.
 */
function precedingText(el: Element, out: string[]): void {
  // Rows of a table are other fields' rows: `neighbouringCells` reads the right ones.
  if (el.closest('td,th,[role="cell" i],[role="gridcell" i]')) return;
  let node: Element | null = el;
  for (let depth = 0; node && depth < 3; depth++, node = node.parentElement) {
    let sib = depth < 2 ? node.previousElementSibling : null;
    for (let i = 0; sib && i < 2; i++, sib = sib.previousElementSibling) {
      if (['input', 'select', 'textarea', 'button'].includes(tagOf(sib)) || sib.querySelector('input,select,textarea')) break;
      out.push(labelText(sib));
    }
    const parent: Element | null = node.parentElement;
    if (!parent) break;
    const heading = parent.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > h5, :scope > h6, :scope > [role="heading" i]');
    if (heading && !heading.contains(el)) out.push(labelText(heading));
    if (['form', 'fieldset', 'section', 'dialog', 'body'].includes(tagOf(parent))) break;
  }
}

/** A field in a shadow root is also described by its host: the host's own labels and slotted label text. */
function hostDescriptions(el: Element, out: string[]): void {
  let root = el.getRootNode();
  for (let i = 0; i < 4 && root.nodeType === 11 && 'host' in root; i++) {
    const host = (root as ShadowRoot).host;
    if (!host) return;
    ownDescriptions(host, out);
    for (const c of Array.from(host.children).slice(0, 8)) {
      const slot = c.getAttribute('slot');
      if (slot !== null || ['label', 'span', 'legend'].includes(tagOf(c))) out.push(labelText(c));
    }
    legends(host, out);
    root = host.getRootNode();
  }
}

/** Everything that names or describes the field, nearest first. */
function descriptions(el: Element): string[] {
  const out: string[] = [];
  const labelled = ownDescriptions(el, out);
  legends(el, out);
  hostDescriptions(el, out);
  if (!labelled) {
    neighbouringCells(el, out);
    precedingText(el, out);
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

/** `-webkit-text-security` (and its standard spelling) draws the value as dots: the page says it is secret. */
function hidesItsText(el: Element): boolean {
  const view = el.ownerDocument?.defaultView;
  if (!view) return false;
  const style = view.getComputedStyle(el) as CSSStyleDeclaration & Record<string, string | undefined>;
  const v = style.getPropertyValue('-webkit-text-security') || style.webkitTextSecurity || style.getPropertyValue('text-security');
  return !!v && v.trim() !== '' && v.trim() !== 'none';
}

/**
 * A `<select>` (or listbox) whose choices are single characters: "the 3rd character of your memorable
 * information" spelled out one select at a time.
 */
function choosesCharacters(el: Element): boolean {
  let options: Element[] = [];
  if (tagOf(el) === 'select') options = Array.from((el as HTMLSelectElement).options ?? []);
  else if ((el.getAttribute('role') ?? '').trim().toLowerCase() === 'listbox') options = Array.from(el.querySelectorAll('[role="option" i]'));
  const labels = options.map((o) => (o.textContent ?? '').trim()).filter(Boolean);
  if (labels.length < 8) return false;
  const single = labels.filter((l) => [...l].length === 1).length;
  return single / labels.length >= 0.8;
}

function describedAsSecret(field: Element): string | null {
  if (sensitiveAutocomplete(field.getAttribute('autocomplete'))) return 'autocomplete';
  if (isDigitBox(field)) return 'digit-box';
  for (const text of descriptions(field)) if (isSensitiveLabel(text)) return 'label';
  if (hidesItsText(field)) return 'text-security';
  if (choosesCharacters(field)) return 'characters';
  return null;
}

/**
 * The field an option belongs to: its `<select>`, the combobox or button whose `aria-controls` /
 * `aria-owns` names the option's listbox, or the listbox itself. An option of a sensitive field is as
 * sensitive as the field: choosing "07" in an expiry-month select must not reach the data as a menu
 * choice or a click on "07".
 */
function optionOwners(el: Element): Element[] {
  const tag = tagOf(el);
  if (tag === 'option' || tag === 'optgroup') {
    const select = el.closest('select');
    return select ? [select] : [];
  }
  if ((el.getAttribute('role') ?? '').trim().toLowerCase() !== 'option') return [];
  const list = el.closest('[role="listbox" i]');
  if (!list) return [];
  const out = [list];
  const id = list.getAttribute('id');
  if (id) {
    const root = list.getRootNode() as Partial<ParentNode>;
    const quoted = id.replace(/["\\]/g, '\\$&');
    const opener = root.querySelector?.(`[aria-controls~="${quoted}"], [aria-owns~="${quoted}"]`);
    if (opener) out.push(opener);
  }
  return out;
}

/** Buttons that open a listbox (custom selects): their text shows the choice, so they are fields. */
function opensChoice(el: Element): boolean {
  const popup = (el.getAttribute('aria-haspopup') ?? '').trim().toLowerCase();
  const role = (el.getAttribute('role') ?? '').trim().toLowerCase();
  return popup === 'listbox' || popup === 'grid' || popup === 'tree' || role === 'listbox';
}

/**
 * A show-password control that swaps in a twin text input: the twin sits next to a password field
 * (same parent, or one level up) and mirrors it — the same value, the same name or label, or one of the
 * two is hidden while the other shows. The twin is as sensitive as the field it mirrors.
 */
function mirrorsSecretField(el: Element): boolean {
  if (tagOf(el) !== 'input') return false;
  const parent = el.parentElement;
  if (!parent) return false;
  const grand = parent.parentElement;
  const scopes: Element[] = [parent];
  if (grand && !['body', 'form', 'main', 'html'].includes(tagOf(grand))) scopes.push(grand);
  for (const scope of scopes) {
    let candidates: Element[];
    try {
      candidates = Array.from(scope.querySelectorAll('input'));
    } catch {
      return true;
    }
    // A wrapper with many inputs is a form, not a field and its twin.
    if (candidates.length > MAX_TWIN_SCOPE_INPUTS) continue;
    for (const other of candidates) {
      if (other === el) continue;
      const secret = inputType(other) === 'password' || (sticky.has(other) && tagOf(other) === 'input');
      if (!secret) continue;
      const mine = (el as HTMLInputElement).value ?? '';
      const theirs = (other as HTMLInputElement).value ?? '';
      if (mine !== '' && mine === theirs) return true;
      const same = (a: string) => {
        const x = el.getAttribute(a);
        return !!x && x === other.getAttribute(a);
      };
      if (same('name') || same('placeholder') || same('aria-label') || same('aria-labelledby')) return true;
      if (!isRendered(other) || !isRendered(el)) return true;
    }
  }
  return false;
}

/** Most inputs in the wrapper around a field and its twin (the field, the twin, perhaps a confirm). */
const MAX_TWIN_SCOPE_INPUTS = 3;

function isRendered(el: Element): boolean {
  const h = el as HTMLElement;
  if (h.hidden) return false;
  if (typeof h.checkVisibility === 'function') return h.checkVisibility();
  const view = el.ownerDocument?.defaultView;
  const style = view?.getComputedStyle(el);
  return !style || (style.display !== 'none' && style.visibility !== 'hidden');
}

/**
 * One secret over several fields (a one-time code in six boxes, a card number in four): the short
 * fields next to each other in one group share their sensitivity, so a group is masked whole once any
 * part of it is.
 */
function partOfSecretGroup(el: Element): boolean {
  if (tagOf(el) !== 'input' || !isShortPart(el)) return false;
  let parts: Element[];
  try {
    parts = splitParts(el);
  } catch {
    return true;
  }
  const others = parts.filter((p) => p !== el && isShortPart(p));
  return others.some((p) => sticky.has(p) || inputType(p) === 'password' || describedAsSecret(p) !== null);
}

/**
 * The fields that may hold the rest of the same secret: short fields side by side in one parent, or
 * each alone in a wrapper beside the others (code widgets wrap every box), or one small labelled group.
 * A whole form's short fields (a ZIP code next to a CVV) are not one secret.
 */
function splitParts(el: Element): Element[] {
  const parent = el.parentElement;
  if (!parent) return [];
  const inputs = (scope: Element) => Array.from(scope.querySelectorAll('input')).slice(0, 16);
  const siblings = Array.from(parent.children).filter((c) => tagOf(c) === 'input');
  if (siblings.length > 1) return siblings;
  const out: Element[] = [];
  const grand = parent.parentElement;
  // Boxes wrapped one by one carry no text of their own; rows of a form carry their labels.
  const bare = (wrapper: Element) => (wrapper.textContent ?? '').trim() === '';
  if (grand && inputs(parent).length === 1 && bare(parent)) {
    for (const wrapper of Array.from(grand.children).slice(0, 16)) {
      const inside = inputs(wrapper);
      if (inside.length === 1 && inside[0] && bare(wrapper)) out.push(inside[0]);
    }
  }
  const group = el.closest('fieldset,[role="group" i]');
  if (group) {
    const all = inputs(group);
    if (all.length <= MAX_SPLIT_PARTS) out.push(...all);
  }
  return out;
}

/** Most fields one split secret is spread over (a 16-digit card in 4, a code in 8). */
const MAX_SPLIT_PARTS = 8;

/** A field made for a few characters: by maxlength, size, or a pattern such as `\d{4}`. */
function isShortPart(el: Element): boolean {
  const short = (attr: string) => {
    const n = Number.parseInt(el.getAttribute(attr) ?? '', 10);
    return n > 0 && n <= MAX_SPLIT_PART_CHARS;
  };
  if (short('maxlength') || short('size')) return true;
  const m = /\{(\d+)(?:,(\d+))?\}\s*\$?$/.exec(el.getAttribute('pattern') ?? '');
  return !!m && Number(m[2] ?? m[1]) <= MAX_SPLIT_PART_CHARS;
}

/** Longest part of a secret split over several fields (4-digit card groups, 1-character code boxes). */
const MAX_SPLIT_PART_CHARS = 6;

/**
 * On-screen keypads: a button named by one digit among its siblings named by digits. Each click would
 * otherwise name the digit of a PIN typed by mouse.
 */
export function isKeypadKey(el: Element): boolean {
  const digit = (n: Element) =>
    /^\s*\p{Nd}\s*(?:[A-Za-z]{0,4}\s*)?$/u.test(n.textContent ?? '') ||
    /^\s*\p{Nd}\s*$/u.test(n.getAttribute('aria-label') ?? n.getAttribute('value') ?? '');
  const key = el.closest('button,[role="button" i],input[type="button" i]') ?? el;
  if (!digit(key)) return false;
  const keysIn = (scope: Element | null | undefined) => {
    if (!scope) return 0;
    return Array.from(scope.querySelectorAll('button,[role="button" i],input[type="button" i]')).slice(0, 40).filter(digit).length;
  };
  // A row of a keypad holds other digit keys; a keypad holds at least four.
  const row = key.parentElement;
  if (keysIn(row) < 2) return false;
  return keysIn(row) >= 4 || keysIn(row?.parentElement) >= 4;
}

function reasonNow(el: Element, extra: readonly string[]): string | null {
  for (const owner of optionOwners(el)) if (owner !== el && sensitiveReason(owner, extra)) return 'option';
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
  if (isTextEntry(el) || opensChoice(el)) {
    const r = describedAsSecret(el);
    if (r) return r;
    if (mirrorsSecretField(el)) return 'twin';
    if (partOfSecretGroup(el)) return 'split';
  }
  if (host && host !== el) return describedAsSecret(host);
  if (isKeypadKey(el)) return 'keypad';
  return null;
}

/**
 * Why a field is sensitive ('password', 'hidden', 'autocomplete', 'digit-box', 'label', 'text-security',
 * 'characters', 'twin', 'split', 'keypad', 'selector', 'sticky', 'option' (an option of a sensitive select
 * or listbox), 'error'), or null when it is not. Every positive answer is remembered (sticky). A DOM
 * that throws while we read it counts as sensitive.
 */
export function sensitiveReason(el: Element, extra: readonly string[]): string | null {
  if (sticky.has(el)) return 'sticky';
  // Cached only for elements of the document itself: the watcher does not see into shadow roots.
  const generation = generationFor(el);
  if (generation !== undefined && notSensitiveAt.get(el) === generation) return null;
  let reason: string | null;
  try {
    reason = reasonNow(el, extra);
  } catch {
    reason = 'error';
  }
  if (reason) sticky.add(el);
  else if (generation !== undefined) notSensitiveAt.set(el, generation);
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
