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
 * 5. Everything else is redacted by what it looks like, whatever the field is called: typed text, values,
 *    accessible names, titles and URLs lose emails (o'brien@… too), phone numbers (with a "+" from
 *    anywhere; without one, any grouped number with a trunk or international prefix "0…" or in the North
 *    American plan: ./phone), card numbers (Luhn),
 *    SSNs, IBANs, UK NI numbers, sort codes and account numbers near bank words, JWTs, known key formats
 *    and random-looking tokens from 10 characters, UUIDs and runs of 9+ digits, and secrets named by the
 *    words around them (./secret-text: `NAME_PASSWORD=…`, `"password": "…"`, `scheme://user:pass@`,
 *    `curl -u`, "the password is …", "code: 123456"). URLs fail closed: query and fragment values are kept
 *    only for names on SAFE_URL_PARAMS or policy `safeUrlParams` (never secret-like names), random-looking
 *    path segments become [token], and any part repeating what was just typed in the document
 *    (./typed-memory, never sent) is redacted. A value still being typed leaves out its unfinished tail
 *    (`redactTyping`), and is redacted once per flush. Names and postal addresses are not recognised.
 *    Policy `typedText: "masked"` keeps all free text on the page.
 * 6. Keys: characters typed anywhere are '[text]' — in fields, contenteditable (inherited), designMode
 *    documents and iframe bodies, and equally outside text fields (a focused canvas, a tabindex div, the
 *    body), digits included. Only command keys (Enter, Tab, Escape, arrows, PageUp/Down, Home/End,
 *    F-keys, Delete, Backspace, modifiers) and Ctrl/Meta chords keep their names; other named keys outside
 *    text fields become '[key]'.
 * Markers are honoured across shadow-root hosts and frames: a same-origin frame sees the markers around
 * its `<iframe>` itself; a cross-origin frame is told them by its parent frame through the background
 * (./frame-level.ts) and captures nothing until it knows — 'block' on the `<iframe>` (or any marker or
 * policy selector above it) silences the whole frame and those nested in it, 'mask' / 'ignore' apply to
 * every element in it. An element whose content holds masked, blocked or displayed-secret text
 * (`holdsPrivateContent`) is described like a masked one.
 * Field sensitivity is decided once per element and DOM state (`lib/describe/generation`), not once per key.
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
export { perGeneration, useGenerationSource, watchDomGeneration, type DomGeneration } from '../describe/generation';
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
