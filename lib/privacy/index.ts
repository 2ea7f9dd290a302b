/**
 * The privacy rules of Workflow Capture, in plain language. Everything here runs in the content script,
 * before an event exists; nothing below can be weakened by policy, which can only add.
 *
 * 1. Blocked: hidden inputs, and anything under a block marker (ours `data-capture="block"` /
 *    `capture-block`, rrweb `rr-block`, PostHog `ph-no-capture`, Sentry `sentry-block` /
 *    `data-sentry-block`, FullStory `fs-exclude`, Datadog `data-dd-privacy="hidden"`, Amplitude
 *    `amp-block`, Mixpanel `mp-block`, LogRocket `_lr-hide`, Smartlook `data-recording-disable`,
 *    OpenReplay `data-openreplay-hidden`…; the full list is in ./markers) produce no events.
 * 2. Masked: password inputs (sticky: still masked after a "show password" toggle, even one used before
 *    the field was ever focused — `watchPasswordFields` remembers them first — and a twin text input
 *    that a toggle swaps in inherits it), fields whose autocomplete, name, id, label, legend,
 *    aria-describedby text, table cell, heading or web-component host reads like a secret in about twenty
 *    languages (card, CVV, expiry, PIN, one-time/login/authenticator code, recovery or seed phrase,
 *    memorable information, security answer, SSN, tax id, IBAN, account/routing number, date of birth,
 *    API key, token…), fields drawn with CSS `-webkit-text-security`, one-digit PIN boxes and every part
 *    of a secret split over several short fields, selects that spell a secret one character at a time,
 *    custom listboxes labelled as secret (their options and the button showing the choice), the keys of
 *    on-screen keypads, secrets the app displays (`./displayed`: a temporary password, recovery codes),
 *    policy `sensitiveSelectors`, and anything under a mask marker (ours, `rr-mask`, `ph-sensitive`,
 *    `sentry-mask`, `data-clarity-mask`, `fs-mask`, `data-hj-suppress`, `data-private`, `amp-mask`,
 *    `mp-mask`, `data-heap-redact-text`, `data-recording-sensitive`, `data-mf-replace`…). A masked field gives away no value, no
 *    key, no length, no name and no per-key timing: keys become one MASK event per focus session, and
 *    value events are cut to one masked input per focus session too. Once masked, always masked. Closed
 *    shadow roots are looked into (`focusedWithin`): a password in a closed-root widget is masked
 *    although its events reach us retargeted to the host. A masked element's own aria-label or title
 *    names it only when it does not repeat what it holds.
 * 3. Ignored: under an ignore marker (`data-capture="ignore"`, `rr-ignore`, `sentry-ignore`) clicks are
 *    kept, keys and values are not.
 * 4. Private text names nothing else (`./content-guard`, asked by lib/describe for every name it
 *    computes): masked, blocked and displayed-secret text is left out of every other element's
 *    accessible name, aria and text selectors and menu paths — a label wrapping a checkbox, an
 *    aria-labelledby target, content slotted into a shadow-DOM button, a menu opener's text. A name with
 *    text left out gets no aria selector (it is not Chrome's name).
 * 5. Everything else is redacted: typed text, values, accessible names, titles and URLs lose emails,
 *    phone numbers, card numbers (Luhn), SSNs, IBANs, JWTs, API keys and tokens, UUIDs and runs of 9+ digits
 *    to typed placeholders ("[email]"); URLs lose `user:password@` and the values of secret-like
 *    parameters (token, code, state, session, key, sig, password, x-amz-*…), in the query and the fragment.
 *    A value still being typed leaves out its unfinished tail (`redactTyping`): "jane.doe" before the
 *    "@", or half a card number, is not recognisable yet and so must not leave early.
 * 6. Keys: characters typed into editable fields are recorded as '[text]' (their content arrives only as
 *    the redacted value); named keys and Ctrl/Meta chords are kept; outside editable fields shortcuts are
 *    kept but digits become '[digit]'.
 * Markers are honoured across shadow-root hosts and frames: a same-origin frame sees the markers around
 * its `<iframe>` itself; a cross-origin frame is told them by its parent frame through the background
 * (./frame-level.ts) and captures nothing until it knows — 'block' on the `<iframe>` (or any marker or
 * policy selector above it) silences the whole frame and those nested in it, 'mask' / 'ignore' apply to
 * every element in it. An element whose content holds masked, blocked or displayed-secret text
 * (`holdsPrivateContent`) is described like a masked one.
 * Field sensitivity is decided once per element and DOM state (`./dom-generation`), not once per key.
 * When unsure, mask.
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
  isKeypadKey,
  isSensitiveLabel,
  markSensitive,
  rememberPasswordFields,
  sensitiveReason,
  splitWords,
  targetPrivacy,
  useDomGeneration,
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
export { holdsPrivateContent, privacyContentGuard } from './content-guard';
export { holdsDisplayedSecret, isDisplayedSecret } from './displayed';
export { watchDomGeneration, type DomGeneration } from './dom-generation';
export { levelForFrameElement, needsInheritedLevel, startFrameLevelResponder, strongestLevel } from './frame-level';
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
