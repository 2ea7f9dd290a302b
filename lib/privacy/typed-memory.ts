/**
 * What the person just typed in this document, remembered only to keep it out of URLs: an app that
 * writes its search box into the query string (or the path) on every keystroke would otherwise put
 * every prefix of what was typed into the `url` of each event. redactUrl redacts any parameter or path
 * segment that repeats a remembered value, even one whose name is on the safe list.
 *
 * The memory lives in the content script's closure, per document, is bounded (TYPED_MEMORY_* in
 * lib/constants.ts: a few fields, a few values each, each cut short) and is never sent anywhere.
 * Masked fields are remembered too: their values must not reach a URL any more than an event.
 */
import { TYPED_MEMORY_FIELDS, TYPED_MEMORY_MAX_CHARS, TYPED_MEMORY_VALUES_PER_FIELD } from '../constants';

export interface TypedMemory {
  /** Remember the current value of a field that was typed into. */
  note(field: object, value: string): void;
  /** The remembered values, newest field first. */
  values(): readonly string[];
  /** Changes whenever the values do (callers cache per version). */
  readonly version: number;
  clear(): void;
}

export function createTypedMemory(): TypedMemory {
  // Oldest first; a field typed into again moves to the end.
  let entries: Array<{ field: object; values: string[] }> = [];
  let version = 0;
  let flat: readonly string[] = [];
  return {
    note(field, value) {
      if (typeof value !== 'string') return;
      const v = value.trim().slice(0, TYPED_MEMORY_MAX_CHARS);
      const i = entries.findIndex((e) => e.field === field);
      const entry = i >= 0 ? entries.splice(i, 1)[0]! : { field, values: [] };
      if (v && entry.values[entry.values.length - 1] !== v) {
        // A value that extends the last one replaces it ("w", "wo", "wom"): its prefixes match anyway.
        const last = entry.values[entry.values.length - 1];
        if (last !== undefined && v.startsWith(last)) entry.values.pop();
        entry.values.push(v);
        if (entry.values.length > TYPED_MEMORY_VALUES_PER_FIELD) entry.values.shift();
      }
      entries.push(entry);
      if (entries.length > TYPED_MEMORY_FIELDS) entries = entries.slice(-TYPED_MEMORY_FIELDS);
      flat = entries.flatMap((e) => e.values).reverse();
      version++;
    },
    values: () => flat,
    get version() {
      return version;
    },
    clear() {
      entries = [];
      flat = [];
      version++;
    },
  };
}
