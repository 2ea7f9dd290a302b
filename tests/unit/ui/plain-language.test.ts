import { describe, expect, it } from 'vitest';
import type { CaptureEvent } from '../../../lib/schema/event';
import { describeEvent, formatBytes, formatCountdown } from '../../../lib/ui/plain-language';

const common = { v: 1 as const, id: 'x'.repeat(16), ts: 0, seq: 1, tab: 1, frame: 0, url: 'https://crm.example.com/deals' };
const target = { tag: 'button', role: 'button', name: 'Export', selectors: [['#x']], box: { x: 0, y: 0, w: 1, h: 1 }, masked: false };
const none = { alt: false, ctrl: false, meta: false, shift: false };

describe('lib/ui/plain-language', () => {
  it('tells events the way an employee would say them', () => {
    const click = { ...common, type: 'click', target, button: 0, modifiers: none, x: 0, y: 0, offsetX: 0, offsetY: 0 } as CaptureEvent;
    expect(describeEvent(click)).toBe("Clicked 'Export' on crm.example.com");
    const menu = { ...common, type: 'menu', action: 'select', widget: 'menubar', path: ['File', 'Export', 'PDF'], target } as CaptureEvent;
    expect(describeEvent(menu)).toBe('Chose File › Export › PDF on crm.example.com');
  });

  it('says what was not recorded rather than pretending', () => {
    const masked = { ...common, type: 'input', target: { ...target, tag: 'input', masked: true }, masked: true } as CaptureEvent;
    expect(describeEvent(masked)).toMatch(/protected field.*not recorded/);
    const typed = { ...common, type: 'key', key: '[text]', modifiers: none, masked: false } as CaptureEvent;
    expect(describeEvent(typed)).toMatch(/which one is not recorded/);
    const paste = { ...common, type: 'clipboard', action: 'paste' } as CaptureEvent;
    expect(describeEvent(paste)).toMatch(/clipboard content not recorded/);
  });

  it('formats sizes and countdowns', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatCountdown(61_000)).toBe('1:01');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});
