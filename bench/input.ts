/**
 * Trusted input through CDP `Input.*`, the way a person produces it: pointer paths at 60 Hz, typed
 * characters with their keydown/keypress/keyup, wheel scrolling. Element positions are read with one
 * small `Runtime.evaluate` in the page's main world, which costs the same in both arms.
 */
import { delay, type Session } from './cdp';

/** How fast the scripted person acts. */
export interface Pace {
  /** Pause between actions (reading, deciding), ms. */
  thinkMs: number;
  /** Between typed characters, ms. */
  typeMs: number;
  /** Between pointer samples while moving, ms (16 ≈ a 60 Hz mouse). */
  moveStepMs: number;
  /** Pixels per pointer sample while moving. */
  movePxPerStep: number;
}

/** For in-page cost: brisk but human-shaped (pointer paths, per-key events, pauses). */
export const BRISK: Pace = { thinkMs: 60, typeMs: 25, moveStepMs: 8, movePxPerStep: 40 };
/** For the wire-cost session: a person working steadily (≈ 55 wpm typing, 1 s between actions). */
export const HUMAN: Pace = { thinkMs: 1_000, typeMs: 180, moveStepMs: 16, movePxPerStep: 25 };

interface KeyDef {
  key: string;
  code: string;
  vk: number;
  text?: string;
  shift?: boolean;
}

const NAMED: Record<string, KeyDef> = {
  Enter: { key: 'Enter', code: 'Enter', vk: 13, text: '\r' },
  Tab: { key: 'Tab', code: 'Tab', vk: 9 },
  Escape: { key: 'Escape', code: 'Escape', vk: 27 },
  Backspace: { key: 'Backspace', code: 'Backspace', vk: 8 },
  ArrowUp: { key: 'ArrowUp', code: 'ArrowUp', vk: 38 },
  ArrowDown: { key: 'ArrowDown', code: 'ArrowDown', vk: 40 },
  ArrowLeft: { key: 'ArrowLeft', code: 'ArrowLeft', vk: 37 },
  ArrowRight: { key: 'ArrowRight', code: 'ArrowRight', vk: 39 },
  Home: { key: 'Home', code: 'Home', vk: 36 },
  End: { key: 'End', code: 'End', vk: 35 },
  PageDown: { key: 'PageDown', code: 'PageDown', vk: 34 },
  ' ': { key: ' ', code: 'Space', vk: 32, text: ' ' },
  Space: { key: ' ', code: 'Space', vk: 32, text: ' ' },
};

const PUNCT: Record<string, [code: string, vk: number, shift?: boolean]> = {
  '.': ['Period', 190],
  ',': ['Comma', 188],
  '-': ['Minus', 189],
  '@': ['Digit2', 50, true],
  '+': ['Equal', 187, true],
  "'": ['Quote', 222],
  '!': ['Digit1', 49, true],
  '?': ['Slash', 191, true],
  ':': ['Semicolon', 186, true],
};

function keyDef(ch: string): KeyDef {
  const named = NAMED[ch];
  if (named) return named;
  if (/^[a-z]$/.test(ch)) return { key: ch, code: `Key${ch.toUpperCase()}`, vk: ch.toUpperCase().charCodeAt(0), text: ch };
  if (/^[A-Z]$/.test(ch)) return { key: ch, code: `Key${ch}`, vk: ch.charCodeAt(0), text: ch, shift: true };
  if (/^[0-9]$/.test(ch)) return { key: ch, code: `Digit${ch}`, vk: ch.charCodeAt(0), text: ch };
  const p = PUNCT[ch];
  if (p) return { key: ch, code: p[0], vk: p[1], text: ch, ...(p[2] ? { shift: true } : {}) };
  throw new Error(`no key definition for ${JSON.stringify(ch)}`);
}

export interface Point {
  x: number;
  y: number;
}

export class Input {
  private pos: Point = { x: 5, y: 5 };

  constructor(
    readonly s: Session,
    readonly pace: Pace,
  ) {}

  think(factor = 1): Promise<void> {
    return delay(this.pace.thinkMs * factor);
  }

  /** Centre of the first element matching `selector`, scrolled into view if it is off screen. */
  async center(selector: string): Promise<Point> {
    const p = await this.s.evaluate<Point | null>(`(() => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (!el) return null;
      let r = el.getBoundingClientRect();
      if (r.bottom < 0 || r.top > innerHeight || r.right < 0 || r.left > innerWidth) {
        el.scrollIntoView({ block: 'center' });
        r = el.getBoundingClientRect();
      }
      return { x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 };
    })()`);
    if (!p) throw new Error(`workload: no element ${selector}`);
    return p;
  }

  /** A straight pointer path from the current position, one sample per `moveStepMs`. */
  async moveTo(to: Point): Promise<void> {
    const from = this.pos;
    const dist = Math.hypot(to.x - from.x, to.y - from.y);
    const steps = Math.max(1, Math.round(dist / this.pace.movePxPerStep));
    for (let i = 1; i <= steps; i++) {
      const x = from.x + ((to.x - from.x) * i) / steps;
      const y = from.y + ((to.y - from.y) * i) / steps;
      await this.s.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
      if (i < steps) await delay(this.pace.moveStepMs);
    }
    this.pos = { ...to };
  }

  async hover(selector: string): Promise<void> {
    await this.moveTo(await this.center(selector));
  }

  async clickAt(p: Point, clickCount = 1): Promise<void> {
    await this.moveTo(p);
    await this.s.send('Input.dispatchMouseEvent', { type: 'mousePressed', x: p.x, y: p.y, button: 'left', buttons: 1, clickCount });
    await this.s.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: p.x, y: p.y, button: 'left', buttons: 0, clickCount });
  }

  async click(selector: string): Promise<void> {
    await this.clickAt(await this.center(selector));
    await this.think();
  }

  async key(name: string): Promise<void> {
    const d = keyDef(name);
    const common = { key: d.key, code: d.code, windowsVirtualKeyCode: d.vk, nativeVirtualKeyCode: d.vk, modifiers: d.shift ? 8 : 0 };
    await this.s.send('Input.dispatchKeyEvent', { type: d.text ? 'keyDown' : 'rawKeyDown', ...common, ...(d.text ? { text: d.text, unmodifiedText: d.text } : {}) });
    await this.s.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
  }

  async press(...names: string[]): Promise<void> {
    for (const n of names) {
      await this.key(n);
      await delay(this.pace.typeMs);
    }
    await this.think();
  }

  async type(text: string): Promise<void> {
    for (const ch of text) {
      await this.key(ch);
      await delay(this.pace.typeMs);
    }
    await this.think();
  }

  /** Wheel scrolling in `notches` steps of `dy` pixels over the point `at`. */
  async wheel(at: Point, dy: number, notches: number): Promise<void> {
    await this.moveTo(at);
    for (let i = 0; i < notches; i++) {
      await this.s.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x: at.x, y: at.y, deltaX: 0, deltaY: dy });
      await delay(Math.max(this.pace.moveStepMs, 16));
    }
    await this.think();
  }
}
