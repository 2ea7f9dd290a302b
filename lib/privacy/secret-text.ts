/**
 * Secrets inside ordinary free text, recognised by their shape rather than by the field they were typed
 * into: a settings page for environment variables, an API client's request body, a chat message. Each
 * function takes text and returns it with the secret part replaced by "[redacted]", keeping what names it
 * ("DB_PASSWORD=[redacted]", "postgres://[redacted]@db.internal/app") so the data stays readable.
 *
 * - Key/value pairs whose key names a secret, in any casing or separator: `NAME_PASSWORD=…`, `DB_PASS: …`,
 *   `"apiKey": "…"`, `client-secret = …`, YAML `password: …`, `--password=…`, `Authorization: …`.
 *   A key that starts a line (an env file, YAML, a header block) hides the rest of its line, since such
 *   values may hold spaces; elsewhere only the one value after the separator is hidden.
 * - Credentials in a URL of any scheme (`postgres://u:p@h`, `mongodb+srv://`, `redis://:p@h`, `smb://`).
 * - Command-line credentials: `curl -u user:pass`, `--password hunter2`, `-p'secret'` after mysql & co.
 * - Prose: "the password is …", "my pin is 1234", "code: 123456", "pw hunter2".
 *
 * What it does not know: a secret with no telling word next to it and no secret-like shape (a password
 * typed alone into an ordinary field is recognised only when it looks random: see redact.ts tokens).
 */

const REDACTED = '[redacted]';

/** Words that name a secret on their own, as a whole word of a key ("db_pass", "NAME_PASSWORD"). */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passwort', 'passphrase', 'pass', 'pwd', 'pw', 'psw', 'pword', 'passcode', 'pin',
  'secret', 'secrets', 'token', 'tokens', 'apikey', 'credential', 'credentials', 'creds', 'otp', 'totp', 'mfa',
  'authorization', 'cookie', 'sessionid', 'privatekey', 'contrasena', 'contraseña', 'motdepasse', 'mdp', 'senha',
]);
/** "key" is a secret only next to one of these ("api_key", "AccessKey", "x-api-key", "license key"). */
const KEY_QUALIFIERS = new Set([
  'api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'client', 'license', 'licence',
  'account', 'storage', 'subscription', 'auth', 'app', 'service', 'shared', 'webhook', 'ssh', 'deploy', 'product',
]);
/** Words that, with "code", make the code a secret ("verification code: 123456"). */
const CODE_QUALIFIERS = new Set([
  'verification', 'security', 'auth', 'authentication', 'login', 'access', 'confirmation', 'one', 'otp', 'sms',
  'recovery', 'backup', 'reset', '2fa', 'mfa', 'pairing', 'activation', 'unlock',
]);
const AUTH_SCHEMES = /^(?:Bearer|Basic|Token|Digest|Negotiate|NTLM|Bot|ApiKey|AWS4-HMAC-SHA256)$/i;
/** Keys that hide the rest of their line wherever they are: their value holds a space by design. */
const LINE_KEYS = new Set(['authorization', 'cookie', 'passphrase']);

/** Splits a key into lower-case words: "NAME_PASSWORD" → name password, "apiKey" → api key. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9ñç]+/)
    .filter(Boolean);
}

/** Whether a key (a variable, field or header name) names a secret. */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0 || words.length > 8) return false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (SECRET_WORDS.has(w)) return true;
    // "dbpassword", "userpasswd", "apitoken", "xapikey": one word with the secret inside.
    if (w.length > 6 && /(?:password|passwd|secret|token|apikey|credentials?)s?$|^(?:password|passwd)/.test(w)) return true;
    if (w === 'key' || w === 'keys') {
      const prev = words[i - 1];
      if (prev && KEY_QUALIFIERS.has(prev)) return true;
    }
    if (w.endsWith('key') && KEY_QUALIFIERS.has(w.slice(0, -3))) return true; // "apikey", "accesskey"
    if (w === 'code' || w === 'codes') {
      const prev = words[i - 1];
      if (prev && CODE_QUALIFIERS.has(prev)) return true;
    }
  }
  return false;
}

/**
 * key [sep] value. The key is an identifier (optionally quoted, optionally after "--", "-", "export ",
 * "$env:"); the separator is =, :, =>, := ; the value a quoted string or a run without spaces.
 */
const KEY_VALUE =
  /(^|[^\w$.-])(["']?)([A-Za-z_$][\w$.-]{0,63})\2([ \t]*(?:=>|:=|=|:)[ \t]*)(?!\[[a-z-]+\])("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"',;&)}\]]+)/g;

function atLineStart(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*(?:export[ \t]+|set[ \t]+|\$env:|-[ \t]+)?["']?$/i.test(text.slice(lineStart, index));
}

/** Key/value secrets (see the header): the value hidden, or the rest of the line where the key says so. */
export function redactKeyValueSecrets(text: string): string {
  if (!/[=:]/.test(text)) return text;
  const re = new RegExp(KEY_VALUE.source, 'g');
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [whole, lead = '', quote = '', key = '', sep = '', value = ''] = m;
    const valueStart = m.index + whole.length - value.length;
    if (!isSecretKey(key) || (sep.trim() === ':' && value.startsWith('//'))) {
      // The value may itself hold a pair ("config: password=abc"): look again from where it starts.
      re.lastIndex = valueStart - 1; // the character before the value serves as the next key's lead
      continue;
    }
    const quoted = value.startsWith('"') || value.startsWith("'");
    let end = m.index + whole.length;
    if (!quoted) {
      // The match stopped at punctuation that may be part of the secret ("pa,ss)word"): hide up to the
      // next space, or the next field of a form body or connection string ("&", ";"), instead.
      while (end < text.length && !/[\s&;]/.test(text[end] as string)) end++;
    }
    let hidden = quoted ? `${value[0]}${REDACTED}${value[0]}` : REDACTED;
    const formField = text[end] === '&' || text[end] === ';'; // "client_secret=…&grant_type=…": one field
    if (!quoted && (LINE_KEYS.has(keyWords(key).join('')) || (!formField && atLineStart(text, m.index + lead.length)))) {
      // A passphrase or "Basic dXNlcjpw" holds spaces: the rest of the line goes too.
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl;
      hidden = REDACTED;
    }
    // "Authorization: Basic …": the scheme says what kind of credential it was; the credential goes.
    if (!quoted && AUTH_SCHEMES.test(value) && end > valueStart + value.length) hidden = `${value} ${REDACTED}`;
    out += text.slice(last, valueStart) + hidden;
    last = end;
    re.lastIndex = end;
  }
  return out + text.slice(last);
}

/** scheme://user:password@host (any scheme), and scheme://:password@host. The whole user part goes. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,30}:\/\/)([^\s/?#@]*:[^\s/?#]*)@(?=[^\s@]*(?:[\s/?#]|$))/gi;

export function redactUrlCredentials(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${REDACTED}@`);
}

/**
 * Command-line credentials: `-u user:pass` (curl, wget), `--user[=]user:pass`, `--password[= ]x`,
 * `--token x`, and mysql's glued `-pSecret` after a client name.
 */
const CLI_USER = /(^|\s)(-u|--user|-U|--proxy-user|--http-user|--basic-auth)([ \t]+|=)(["']?)([^\s:"']*):([^\s"']+)\4/g;
const CLI_SECRET_FLAG = /(^|\s)(--?[A-Za-z][\w-]{0,40})([ \t]+|=)(?!-)(?!\[[a-z-]+\])("[^"\n]*"|'[^'\n]*'|\S+)/g;
const MYSQL_GLUED = /\b((?:mysql|mysqldump|mariadb|mysqladmin)\b[^\n]*?\s-p)(?!\s)(\S+)/g;

export function redactCommandLine(text: string): string {
  if (!text.includes('-')) return text;
  return text
    .replace(CLI_USER, (_m, lead: string, flag: string, gap: string, q: string) => `${lead}${flag}${gap}${q}${REDACTED}${q}`)
    .replace(CLI_SECRET_FLAG, (whole, lead: string, flag: string, gap: string) => {
      const name = flag.replace(/^-+/, '');
      if (!isSecretKey(name)) return whole;
      return `${lead}${flag}${gap}${REDACTED}`;
    })
    .replace(MYSQL_GLUED, (_m, head: string) => `${head}${REDACTED}`);
}

/** Nouns that name a secret in a sentence. */
const PROSE_SECRET =
  '(?:contrase[ñn]a|mot de passe|kennwort|senha|wachtwoord|lösenord|hasło|parola|password|passwort|passphrase|passcode|pass\\s?code|pin(?:\\s?(?:code|number))?|pw|pwd|psw|secret|token|api\\s?key|access\\s?key|secret\\s?key|private\\s?key|otp|one[- ]time\\s?(?:code|password)|(?:verification|security|login|access|auth(?:entication)?|confirmation|sms|2fa|mfa|recovery|backup|reset|unlock)\\s?code|code)';
/** "the password is X", "password for the VPN is: X", "my pin = 1234", "pw hunter2", "code: 123456". */
const PROSE = new RegExp(
  `\\b(${PROSE_SECRET})((?:\\s+(?:for|to|of|on|at)(?:\\s+[\\w.@'-]+){1,3}?)?(?:\\s*(?:[:=]|\\b(?:is|was|has been|have been|had been)\\s+(?:changed|set|reset|updated)\\s+to\\b|\\bis now\\b|\\bwill be\\b|\\bset to\\b|\\bchanged to\\b|\\bremains\\b|\\bshould be\\b|\\bis\\b|\\bwas\\b|\\bare\\b|\\b(?:es|est|ist|é|è|jest|er)\\b)\\s*:?|\\s+(?=[^\\s]*\\d)))\\s*(["'“”‘’]?)([^\\s"'“”‘’]+)`,
  'gi',
);
/** Words after "the password is" that are prose, not a password ("is required", "is too short"). */
const PROSE_STOP = new Set([
  'required', 'incorrect', 'wrong', 'invalid', 'expired', 'too', 'not', 'correct', 'valid', 'missing', 'empty',
  'the', 'a', 'an', 'being', 'now', 'still', 'case', 'sent', 'shown', 'below', 'above', 'same', 'different',
  'weak', 'strong', 'short', 'long', 'reset', 'changed', 'set', 'needed', 'mandatory', 'optional', 'in', 'on',
  'at', 'your', 'my', 'our', 'their', 'his', 'her', 'its', 'this', 'that', 'stored', 'saved', 'hidden', 'encrypted',
  'managed', 'rotated', 'available', 'unavailable', 'used', 'unused', 'revoked', 'active', 'inactive', 'ready',
  'and', 'or', 'but', 'with', 'without', 'for', 'from', 'of', 'to', 'by', 'as', 'if', 'when', 'which', 'who',
  'will', 'should', 'must', 'can', 'cannot', 'may', 'has', 'have', 'had', 'been', 'be', 'is', 'was', 'are',
  'generated', 'sent', 'emailed', 'texted', 'displayed', 'printed', 'attached', 'enclosed', 'included',
  'policy', 'policies', 'field', 'manager', 'length', 'format', 'rules', 'requirements', 'strength', 'expiry',
  'incorrectly', 'entered', 'accepted', 'rejected', 'ok', 'fine', 'good', 'bad', 'secure', 'insecure', 'unknown',
  'confidential', 'private', 'personal', 'needed', 'please', 'here', 'there', 'below:', 'above:', 'attached.',
]);
/** Words that turn "code" into something ordinary: "postal code", "error code", "discount code". */
const ORDINARY_CODE_BEFORE = /\b(?:postal|post|zip|area|country|currency|language|lang|locale|status|error|http|response|exit|return|source|discount|promo|promotion|coupon|voucher|gift|product|item|article|tax|vat|sort|bank|branch|swift|bic|iata|airport|region|dial(?:ling|ing)?|colou?r|hex|color|qr|bar|zip-|naics|sic|hs|cost|reason|class|course|event|ticket|order|reference|ref|booking|project|dept|department|account|customer|client|campaign|tracking|shipping|job|style|access)[\s_-]*$/i;

export function redactSecretProse(text: string): string {
  return text.replace(PROSE, (whole, noun: string, between: string, quote: string, value: string, offset: number, all: string) => {
    const word = value.toLowerCase().replace(/[.,;:!?)]+$/, '');
    if (value.startsWith('[') && /^\[[a-z-]+\]/.test(value)) return whole; // already a placeholder
    const lowerNoun = noun.toLowerCase().replace(/\s+/g, ' ');
    const bareCode = lowerNoun === 'code';
    const glued = between.trim() === ''; // "pw hunter2": only for values holding a digit (checked by the regex)
    if (!quote && PROSE_STOP.has(word)) return whole;
    if (bareCode) {
      // A bare "code" is a secret only when its value is a short run of digits ("code: 123456").
      if (!/^\d{4,8}[.,;:!?)]*$/.test(value)) return whole;
      if (ORDINARY_CODE_BEFORE.test(all.slice(Math.max(0, offset - 24), offset))) return whole;
    }
    if (glued && !/^(?:pw|pwd|psw|pin|otp|password|passcode|token|secret)$/.test(lowerNoun)) return whole;
    if (glued && /^pin$/.test(lowerNoun) && !/^\d{3,12}[.,;:!?)]*$/.test(value)) return whole;
    // Sentence punctuation stays readable; "!" and "?" end many passwords, so they go with the value.
    const trail = quote ? '' : (/[.,;:]+$/.exec(value)?.[0] ?? '');
    return `${noun}${between}${quote}${REDACTED}${trail}`;
  });
}

/** All of the above, in the order that keeps each from hiding another's evidence. */
export function redactSecretsInText(text: string): string {
  let s = redactUrlCredentials(text);
  s = redactCommandLine(s);
  s = redactKeyValueSecrets(s);
  return redactSecretProse(s);
}
