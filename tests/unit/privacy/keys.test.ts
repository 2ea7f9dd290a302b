import { describe, expect, it } from 'vitest';
import { MASK } from '../../../lib/constants';
import { createMaskedKeyGate, maskKey, OTHER_KEY, TEXT_KEY, type KeyInput } from '../../../lib/privacy/keys';

const base: KeyInput = { key: 'a', code: 'KeyA', ctrl: false, meta: false, alt: false, shift: false, masked: false, editable: false };
const press = (over: Partial<KeyInput>) => maskKey({ ...base, ...over });

/** The key events a browser fires for each character of `text` on a US layout. */
function typed(text: string, over: Partial<KeyInput>): KeyInput[] {
  return [...text].map((ch) => {
    const code = /\d/.test(ch) ? `Digit${ch}` : /[a-z]/i.test(ch) ? `Key${ch.toUpperCase()}` : ch === ' ' ? 'Space' : ch === '@' ? 'Digit2' : ch === '.' ? 'Period' : 'Minus';
    return { ...base, key: ch, code, shift: /[A-Z@]/.test(ch), ...over };
  });
}

describe('lib/privacy/keys', () => {
  describe('masked field', () => {
    it.each(['a', '4', 'Backspace', 'Enter', 'Tab', 'ArrowLeft', ' ', 'Dead', 'F5'])('%s becomes the mask, with no code or chord', (key) => {
      expect(press({ key, code: 'KeyQ', masked: true, editable: true })).toEqual({ key: MASK, masked: true });
      expect(press({ key, code: 'KeyQ', masked: true, editable: true, ctrl: true, shift: true })).toEqual({ key: MASK, masked: true });
    });
  });

  describe('editable, not masked', () => {
    it('records typed characters as [text] with no code', () => {
      for (const key of ['a', 'Z', '7', '@', ' ', 'é', '😀']) {
        expect(press({ key, code: 'KeyX', editable: true })).toEqual({ key: TEXT_KEY, masked: false });
        expect(press({ key, code: 'KeyX', editable: true, shift: true })).toEqual({ key: TEXT_KEY, masked: false });
      }
    });

    it('treats IME and dead keys as typed text', () => {
      expect(press({ key: 'Process', code: 'KeyA', editable: true })).toEqual({ key: TEXT_KEY, masked: false });
      expect(press({ key: 'Dead', code: 'Quote', editable: true })).toEqual({ key: TEXT_KEY, masked: false });
    });

    it('keeps named keys with their code', () => {
      expect(press({ key: 'Enter', code: 'Enter', editable: true })).toEqual({ key: 'Enter', code: 'Enter', masked: false });
      expect(press({ key: 'Backspace', code: 'Backspace', editable: true })).toEqual({ key: 'Backspace', code: 'Backspace', masked: false });
      expect(press({ key: 'F12', code: 'F12', editable: true })).toEqual({ key: 'F12', code: 'F12', masked: false });
      expect(press({ key: 'Tab', code: 'Tab', shift: true, editable: true })).toEqual({ key: 'Tab', code: 'Tab', chord: 'Shift+Tab', masked: false });
    });

    it('keeps Ctrl/Meta chords', () => {
      expect(press({ key: 'c', code: 'KeyC', ctrl: true, editable: true })).toEqual({ key: 'c', code: 'KeyC', chord: 'Ctrl+C', masked: false });
      expect(press({ key: 'z', code: 'KeyZ', meta: true, shift: true, editable: true })).toMatchObject({ chord: 'Shift+Meta+Z' });
    });

    it('treats AltGr (Ctrl+Alt) and Option (Alt) characters as typed text', () => {
      expect(press({ key: '@', code: 'KeyQ', ctrl: true, alt: true, editable: true })).toEqual({ key: TEXT_KEY, masked: false });
      expect(press({ key: 'ł', code: 'KeyL', alt: true, editable: true })).toEqual({ key: TEXT_KEY, masked: false });
    });
  });

  describe('not a text field (a focused canvas, a div with tabindex, a button, the body)', () => {
    it('never carries characters: letters, punctuation and digits become [text] with no code', () => {
      for (const [key, code] of [['j', 'KeyJ'], ['?', 'Slash'], ['4', 'Digit4'], ['4', 'Numpad4'], ['٤', 'Digit4'], ['é', 'KeyE'], [' ', 'Space']] as const) {
        expect(press({ key, code }), key).toEqual({ key: TEXT_KEY, masked: false });
        expect(press({ key, code, shift: true }), key).toEqual({ key: TEXT_KEY, masked: false });
      }
    });

    it('treats Alt and AltGr characters, dead keys and IME keys as text too', () => {
      expect(press({ key: 'ł', code: 'KeyL', alt: true })).toEqual({ key: TEXT_KEY, masked: false });
      expect(press({ key: '@', code: 'KeyQ', ctrl: true, alt: true })).toEqual({ key: TEXT_KEY, masked: false });
      expect(press({ key: 'Dead', code: 'Quote' })).toEqual({ key: TEXT_KEY, masked: false });
      expect(press({ key: 'Unidentified', code: '' })).toEqual({ key: TEXT_KEY, masked: false });
    });

    it('names only the allowed command keys; other named keys become [key]', () => {
      for (const key of ['Enter', 'Tab', 'Escape', 'ArrowUp', 'PageDown', 'Home', 'End', 'F1', 'F24', 'Delete', 'Backspace']) {
        expect(press({ key, code: key }).key, key).toBe(key);
      }
      for (const key of ['Insert', 'MediaPlayPause', 'AudioVolumeUp', 'ContextMenu', 'BrowserBack']) {
        expect(press({ key, code: key }), key).toEqual({ key: OTHER_KEY, masked: false });
      }
    });

    it('keeps named keys and chords in canonical order Ctrl+Alt+Shift+Meta+Key', () => {
      expect(press({ key: 'ArrowDown', code: 'ArrowDown' })).toEqual({ key: 'ArrowDown', code: 'ArrowDown', masked: false });
      expect(press({ key: 'K', code: 'KeyK', ctrl: true, alt: true, shift: true, meta: true })).toMatchObject({ chord: 'Ctrl+Alt+Shift+Meta+K' });
      expect(press({ key: '1', code: 'Digit1', meta: true })).toMatchObject({ chord: 'Meta+1' });
      expect(press({ key: ' ', code: 'Space', ctrl: true })).toMatchObject({ chord: 'Ctrl+Space' });
      expect(press({ key: 'Shift', code: 'ShiftLeft', shift: true })).toEqual({ key: 'Shift', code: 'ShiftLeft', masked: false });
    });

    it('drops codes that do not look like codes', () => {
      expect(press({ key: 'Enter', code: 'Enter<script>' })).toEqual({ key: 'Enter', masked: false });
    });
  });

  it('a secret typed into a focused canvas (remote console) leaves no character, code or digit', () => {
    const out = typed('Hunter2@example.com 4111', {}).map(maskKey);
    expect(new Set(out.map((o) => o.key))).toEqual(new Set([TEXT_KEY]));
    expect(JSON.stringify(out)).not.toMatch(/\d|Key[A-Z]|Digit|Period/);
  });

  describe('a card number or email typed key by key cannot be reconstructed', () => {
    const secrets = ['4111 1111 1111 1111', 'jane.doe@example.com'];
    for (const secret of secrets) {
      it(`editable field: ${secret}`, () => {
        const out = typed(secret, { editable: true }).map(maskKey);
        expect(new Set(out.map((o) => o.key))).toEqual(new Set([TEXT_KEY]));
        const json = JSON.stringify(out);
        expect(json).not.toMatch(/\d/);
        expect(json).not.toMatch(/Key[A-Z]|Digit|Period/);
      });

      it(`masked field: ${secret}`, () => {
        const out = typed(secret, { editable: true, masked: true }).map(maskKey);
        expect(new Set(out.map((o) => JSON.stringify(o)))).toEqual(new Set([JSON.stringify({ key: MASK, masked: true })]));
      });
    }

    it('digits typed outside an editable field (a PIN pad) give nothing away', () => {
      const out = typed('4111111111111111', {}).map(maskKey);
      expect(JSON.stringify(out)).not.toMatch(/\d/);
    });
  });

  describe('createMaskedKeyGate: one masked key event per focus session', () => {
    it('allows the first key only, until the session ends', () => {
      const gate = createMaskedKeyGate();
      const field = {};
      const other = {};
      expect([gate.allow(field), gate.allow(field), gate.allow(field)]).toEqual([true, false, false]);
      expect(gate.allow(other)).toBe(true);
      gate.end(field);
      expect(gate.allow(field)).toBe(true);
      gate.end({}); // ending a session that never started is harmless
    });
  });
});
