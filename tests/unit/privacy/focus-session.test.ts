// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createFocusSessionGate } from '../../../lib/privacy/focus-session';

afterEach(() => {
  document.body.innerHTML = '';
});

function inputs(): [HTMLInputElement, HTMLInputElement] {
  document.body.innerHTML = '<input id="secret" type="password"><input id="other">';
  return [document.getElementById('secret') as HTMLInputElement, document.getElementById('other') as HTMLInputElement];
}

describe('lib/privacy/focus-session', () => {
  it('allows one event per focus session: the count of keys cannot follow a secret\'s length', () => {
    const [secret, other] = inputs();
    const gate = createFocusSessionGate();
    secret.focus();
    const allowed = Array.from({ length: 25 }, () => gate.allow(secret));
    expect(allowed.filter(Boolean)).toHaveLength(1);
    // Leaving the field ends the session; the next focus starts a new one.
    other.focus();
    secret.focus();
    expect(gate.allow(secret)).toBe(true);
    expect(gate.allow(secret)).toBe(false);
    gate.stop();
  });

  it('ignores a blur dispatched by page script (it cannot open a second session)', () => {
    const [secret] = inputs();
    const gate = createFocusSessionGate();
    secret.focus();
    expect(gate.allow(secret)).toBe(true);
    const fake = new FocusEvent('blur');
    Object.defineProperty(fake, 'isTrusted', { value: false });
    secret.dispatchEvent(fake);
    expect(gate.allow(secret)).toBe(false);
    gate.stop();
  });

  it('opens no session for a field changed without focus (autofill fills each field once)', () => {
    const [secret] = inputs();
    const gate = createFocusSessionGate();
    expect(gate.allow(secret)).toBe(true);
    expect(gate.allow(secret)).toBe(true);
    gate.stop();
  });

  it('removes its listeners on stop (a paused session holds none)', () => {
    const [secret] = inputs();
    const removed: string[] = [];
    const original = secret.removeEventListener.bind(secret);
    secret.removeEventListener = ((type: string, ...rest: unknown[]) => {
      removed.push(type);
      return (original as (...a: unknown[]) => void)(type, ...rest);
    }) as typeof secret.removeEventListener;
    const gate = createFocusSessionGate();
    secret.focus();
    gate.allow(secret);
    gate.stop();
    expect(removed).toEqual(['blur']);
    expect(gate.allow(secret)).toBe(true); // a fresh session after stop
  });
});
