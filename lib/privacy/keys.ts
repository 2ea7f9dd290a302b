/**
 * What a key event may say about the key that was pressed.
 *
 * - Masked field: every key, Backspace and Enter included, becomes MASK with no code and no chord.
 *   Counting or timing those events would still reveal a secret's length and rhythm, so the observer
 *   emits at most one masked key event per focus session (`createMaskedKeyGate`), stamped with the time
 *   the session began rather than the time of the key.
 * - Editable, not masked: typed characters become '[text]' with no code; their text reaches the data only
 *   through the redacted input value, so a card number or email typed key by key cannot be rebuilt from key
 *   events. Named keys (Enter, Tab, Backspace, arrows, F1–F24…) and Ctrl/Meta chords ("Ctrl+C") are kept
 *   with their code. Alt-only and Ctrl+Alt (AltGr) combinations type characters on many layouts ("@" on a
 *   German keyboard, "ł" with Option on a Mac), so in an editable field they count as typed text.
 * - Not a text field (a focused canvas in a remote console, a div with tabindex, a button, the page body):
 *   keys never carry characters. Only the command keys in COMMAND_KEYS (Enter, Tab, Escape, arrows,
 *   PageUp/PageDown, Home/End, F1–F24, Delete/Backspace, lone modifiers) and Ctrl/Meta chords keep their
 *   names; every printable character, digits included, becomes '[text]' with no code, and any other named
 *   key becomes '[key]'. Single-key page shortcuts ("j", "?") are therefore not recorded as such: a
 *   canvas or a custom widget may be where a password is typed.
 * Chords are written Ctrl+Alt+Shift+Meta+Key, the key taken from the physical code where it is a letter or
 * digit ("Shift+Meta+Z", "Ctrl+1"), so they read the same on every layout.
 */
import { MASK } from '../constants';

/** Stand-in for a character typed into an editable, non-masked field. */
export const TEXT_KEY = '[text]';
/** Stand-in once used for digits outside text fields; events stored before 2026-12 may still carry it. */
export const DIGIT_KEY = '[digit]';
/** Stand-in for a named key outside a text field that is not a command key (media keys, Insert…). */
export const OTHER_KEY = '[key]';

export interface KeyInput {
  key: string;
  code: string;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
  /** The focused field is sensitive or inside a mask marker. */
  masked: boolean;
  /** The event target accepts text (input, textarea, contenteditable, role=textbox…). */
  editable: boolean;
}

export interface KeyOutput {
  key: string;
  code?: string;
  chord?: string;
  masked: boolean;
}

/** Named key values that carry no character (UI Events `key` values). */
const NAMED_KEYS = new Set([
  'Enter', 'Tab', 'Escape', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'ContextMenu', 'Clear', 'Help', 'Pause', 'PrintScreen',
  'ScrollLock', 'NumLock', 'CapsLock', 'Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'Fn',
  'BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome', 'BrowserSearch',
  'AudioVolumeUp', 'AudioVolumeDown', 'AudioVolumeMute', 'MediaPlayPause', 'MediaStop',
  'MediaTrackNext', 'MediaTrackPrevious', 'Undo', 'Redo', 'Copy', 'Cut', 'Paste', 'Find',
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
]);
/** Named keys kept by name where no text can be typed: navigation and editing commands. */
const COMMAND_KEYS = new Set([
  'Enter', 'Tab', 'Escape', 'Backspace', 'Delete', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight',
  'Shift', 'Control', 'Alt', 'AltGraph', 'Meta',
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
]);
const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'Fn', 'CapsLock', 'NumLock']);

/** Values that stand for text being composed (IME, dead keys): typed text, whatever they look like. */
function isComposing(key: string): boolean {
  return key === 'Process' || key === 'Dead' || key === 'Compose' || key === 'Unidentified';
}

function isNamed(key: string): boolean {
  return NAMED_KEYS.has(key);
}

/** The code is safe to keep only for what we keep verbatim anyway; its shape is checked too. */
function cleanCode(code: string): string | undefined {
  return /^[A-Za-z0-9]{1,32}$/.test(code) ? code : undefined;
}

function chordKeyName(key: string, code: string): string {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return letter[1] as string;
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(code);
  if (digit) return digit[1] as string;
  if (key === ' ') return 'Space';
  if ([...key].length === 1) return key.toUpperCase();
  return key.slice(0, 24);
}

/** "Ctrl+Alt+Shift+Meta+Key", or undefined for a lone modifier. */
export function chordOf(input: Pick<KeyInput, 'key' | 'code' | 'ctrl' | 'alt' | 'shift' | 'meta'>): string | undefined {
  if (MODIFIER_KEYS.has(input.key)) return undefined;
  const parts: string[] = [];
  if (input.ctrl) parts.push('Ctrl');
  if (input.alt) parts.push('Alt');
  if (input.shift) parts.push('Shift');
  if (input.meta) parts.push('Meta');
  if (parts.length === 0) return undefined;
  parts.push(chordKeyName(input.key, input.code));
  return parts.join('+');
}

function named(input: KeyInput): KeyOutput {
  const out: KeyOutput = { key: input.key, masked: false };
  const code = cleanCode(input.code);
  if (code) out.code = code;
  const chord = chordOf(input);
  if (chord) out.chord = chord;
  return out;
}

/** Applies the key policy above to one key event. */
export function maskKey(input: KeyInput): KeyOutput {
  const key = typeof input.key === 'string' ? input.key : '';
  if (input.masked) return { key: MASK, masked: true };
  if (input.editable && isNamed(key)) return named({ ...input, key });

  const composing = isComposing(key);
  const single = !composing && [...key].length === 1;
  if (input.editable) {
    // Ctrl/Meta chords are commands (copy, undo, bold); AltGr (Ctrl+Alt) and Alt alone type characters.
    const command = single && (input.ctrl || input.meta) && !(input.ctrl && input.alt && !input.meta);
    return command ? named({ ...input, key }) : { key: TEXT_KEY, masked: false };
  }
  // Not a text field: command keys by name, Ctrl/Meta chords, nothing else says which key it was.
  if (isNamed(key)) return COMMAND_KEYS.has(key) ? named({ ...input, key }) : { key: OTHER_KEY, masked: false };
  const chord = single && (input.ctrl || input.meta) && !(input.ctrl && input.alt && !input.meta);
  if (chord) return named({ ...input, key });
  return { key: TEXT_KEY, masked: false };
}

/**
 * At most one masked key event per focus session of a masked field: `allow(field)` is true for the first
 * key after focus and false for the rest until `end(field)` (call it on blur). Pair the one event with the
 * session's start time so that neither the number of keys nor their timing leaves the page.
 */
export interface MaskedKeyGate {
  allow(field: object): boolean;
  end(field: object): void;
}

export function createMaskedKeyGate(): MaskedKeyGate {
  const emitted = new WeakSet<object>();
  return {
    allow(field) {
      if (emitted.has(field)) return false;
      emitted.add(field);
      return true;
    },
    end(field) {
      emitted.delete(field);
    },
  };
}
