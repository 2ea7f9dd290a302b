/**
 * Type guards for the few messages a content script must check at run time (its configuration, the
 * frame-level handshake). The content script runs in every frame of every tab, so it carries no zod: the
 * zod schemas stay the source of the types and of every other check (background, collector, tests), and
 * each guard built from these is pinned to its schema by tests/unit/schema/content-guards.test.ts.
 *
 * Each guard accepts exactly what the schema's `safeParse` accepts (unknown keys too, which zod strips
 * and the content script ignores).
 */

/** What `z.object` takes: an object that is not an array. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What `z.number()` takes: a finite number. */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** What `z.enum(choices)` takes. */
export function isOneOf<T extends string>(choices: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (choices as readonly string[]).includes(v);
}
