/**
 * Policy `typedText`: what leaves the page of the text people type into ordinary (not sensitive) fields.
 * - "values" (default): the value, redacted (lib/privacy/redact.ts).
 * - "masked": no free-text value at all; input and change events say "[text]" instead. Choices in
 *   selects, check boxes and radio buttons are still recorded.
 * Its own tiny module: the content configuration (its schema and the content script's guard) and the
 * policy schema share it.
 */
export const TYPED_TEXT_CHOICES = ['values', 'masked'] as const;
export type TypedTextChoice = (typeof TYPED_TEXT_CHOICES)[number];
