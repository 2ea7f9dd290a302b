/**
 * The privacy rules of Workflow Capture, in plain language. Everything here runs in the content script,
 * before an event exists; nothing below can be weakened by policy, which can only add.
 *
 * 1. Blocked: hidden inputs, and anything under a block marker (ours `data-capture="block"` /
 *    `capture-block`, rrweb `rr-block`, PostHog `ph-no-capture`, Sentry `sentry-block` /
 *    `data-sentry-block`, FullStory `fs-exclude`, Datadog `data-dd-privacy="hidden"`) produce no events.
 * 2. Masked: password inputs (sticky: still masked after a "show password" toggle, even one used before
 *    the field was ever focused — `watchPasswordFields` remembers them first), fields whose
 *    autocomplete, name, id, label or placeholder reads like a secret (card, CVV, expiry, PIN, one-time code,
 *    SSN, tax id, IBAN, account/routing number, date of birth, API key, token…), one-digit PIN boxes, policy
 *    `sensitiveSelectors`, and anything under a mask marker (ours, `rr-mask`, `ph-sensitive`,
 *    `sentry-mask`, `data-clarity-mask`, `fs-mask`, `data-hj-suppress`, `data-private`…). A masked field
 *    gives away no value, no key, no length, no name and no per-key timing: keys become one MASK event per
 *    focus session, and value events are cut to one masked input per focus session too. Once masked,
 *    always masked. Closed shadow roots are looked into (`focusedWithin`): a password in a closed-root
 *    widget is masked although its events reach us retargeted to the host.
 * 3. Ignored: under an ignore marker (`data-capture="ignore"`, `rr-ignore`, `sentry-ignore`) clicks are
 *    kept, keys and values are not.
 * 4. Everything else is redacted: typed text, values, accessible names, titles and URLs lose emails,
 *    phone numbers, card numbers (Luhn), SSNs, IBANs, JWTs, API keys and tokens, UUIDs and runs of 9+ digits
 *    to typed placeholders ("[email]"); URLs lose `user:password@` and the values of secret-like
 *    parameters (token, code, state, session, key, sig, password, x-amz-*…), in the query and the fragment.
 *    A value still being typed leaves out its unfinished tail (`redactTyping`): "jane.doe" before the
 *    "@", or half a card number, is not recognisable yet and so must not leave early.
 * 5. Keys: characters typed into editable fields are recorded as '[text]' (their content arrives only as
 *    the redacted value); named keys and Ctrl/Meta chords are kept; outside editable fields shortcuts are
 *    kept but digits become '[digit]'.
 * Markers are honoured across shadow-root hosts and same-origin frames, and an element whose content
 * holds masked or blocked text (`holdsPrivateText`) is described like a masked one: its name and text
 * selector would otherwise carry that text. When unsure, mask.
 */
export {
  compileSelectors,
  composedParent,
  hasMarkedDescendant,
  matchesAnySelector,
  privacyLevel,
  MARKER_ATTRIBUTES,
  MARKER_CLASSES,
  type PrivacyLevel,
} from './markers';
export {
  editingHost,
  fieldPrivacy,
  holdsPrivateText,
  isHiddenInput,
  isNeverCaptured,
  isSensitiveField,
  isSensitiveLabel,
  markSensitive,
  rememberPasswordFields,
  sensitiveReason,
  splitWords,
  targetPrivacy,
  SENSITIVE_AUTOCOMPLETE,
  type FieldPrivacy,
} from './sensitive';
export {
  ibanValid,
  isSecretParamName,
  isTokenLike,
  luhnValid,
  redactText,
  redactTyping,
  redactUrl,
  MAX_URL_CHARS,
  PLACEHOLDER,
} from './redact';
export {
  isSecretKey,
  redactCommandLine,
  redactKeyValueSecrets,
  redactSecretProse,
  redactSecretsInText,
  redactUrlCredentials,
} from './secret-text';
export { isShortSecret, mirrorsTyped, normaliseParamName, type UrlRedactionOptions } from './redact';
export { isNationalPhone } from './phone';
export { createTypedMemory, type TypedMemory } from './typed-memory';
export { createFocusSessionGate, type FocusSessionGate } from './focus-session';
export { watchPasswordFields, type PasswordWatch } from './password-watch';
export { canSeeClosedRoots, focusedWithin, rootsWithin, shadowRootOf } from './shadow';
export {
  chordOf,
  createMaskedKeyGate,
  maskKey,
  DIGIT_KEY,
  OTHER_KEY,
  TEXT_KEY,
  type KeyInput,
  type KeyOutput,
  type MaskedKeyGate,
} from './keys';
