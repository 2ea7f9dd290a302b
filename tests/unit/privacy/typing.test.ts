import { describe, expect, it } from 'vitest';
import { redactText, redactTyping } from '../../../lib/privacy/redact';

/** Every intermediate value a person produces typing `text` key by key (as input events report them). */
const asTyped = (text: string) => Array.from({ length: text.length }, (_, i) => redactTyping(text.slice(0, i + 1)));

describe('lib/privacy/redact (redactTyping: values still being typed)', () => {
  it('leaves out the word being typed, which may still become an email', () => {
    expect(redactTyping('Contact jane.doe')).toBe('Contact ');
    expect(redactTyping('Contact jane.doe@exam')).toBe('Contact ');
    expect(redactTyping('mail ada.lovelace@example.org ')).toBe('mail [email] ');
  });

  it('leaves out the groups of a number typed with spaces until a word follows', () => {
    expect(redactTyping('card 4111 1111')).toBe('card ');
    expect(redactTyping('card 4111 1111 ')).toBe('card ');
    expect(redactTyping('card 4111 1111 1111 1111 thanks')).toBe('card ');
    expect(redactTyping('card 4111 1111 1111 1111 thanks ')).toBe('card [card] thanks ');
    // Short capitals count as part of a code ("GB82 WEST"), so "IBAN" waits too: more is withheld, never less.
    expect(redactTyping('my IBAN GB82 WEST 1234 5698 7654 32')).toBe('my ');
    expect(redactTyping('call +44 (20) 7946 0958 ')).toBe('call ');
  });

  it('keeps settled ordinary words', () => {
    expect(redactTyping('Tokens of appreciation for the team ')).toBe('Tokens of appreciation for the team ');
    expect(redactTyping('Quarterly report draft')).toBe('Quarterly report ');
    expect(redactTyping('Passage')).toBe('');
    expect(redactTyping('')).toBe('');
  });

  it('never lets part of an email or card typed key by key through (every prefix checked)', () => {
    const text = 'Notes: ada.lovelace@example.org card 4111 1111 1111 1111 done';
    for (const value of asTyped(text)) {
      expect(value).not.toMatch(/ada|lovelace|example|411|111/);
    }
    // The settled value, reported when the field is left, is redacted as a whole.
    expect(redactText(text)).toBe('Notes: [email] card [card] done');
  });

  it('never lets part of an IBAN or a phone number through', () => {
    for (const value of asTyped('IBAN GB82 WEST 1234 5698 7654 32 paid and +1 (415) 555-2671 called ')) {
      expect(value).not.toMatch(/GB82|WEST|1234|5698|7654|415|555|2671/);
    }
  });

  it('cuts at the caret when the person types in the middle', () => {
    // "jane.do|" typed before text that was already there: the word at the caret is left out.
    expect(redactTyping('Contact jane.do and more words', 'Contact jane.do'.length)).toBe('Contact  and more words');
    expect(redactTyping('abc', 99)).toBe('');
    expect(redactTyping('one two', null)).toBe('one ');
  });

  it('never throws on odd input', () => {
    expect(redactTyping(undefined as unknown as string)).toBe('');
    expect(redactTyping(42 as unknown as string)).toBe('');
  });
});
