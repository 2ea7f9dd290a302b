import { describe, expect, it } from 'vitest';
import { buildActionRecords, type ActionRecord } from '../../../collector/export-jsonl';
import { click, event, getNdjson, INSTALL, NO_MODIFIERS, startCollector, storeBatch, target } from './helpers';
import { loginSession, USERNAME } from './session-fixture';

const records = () => buildActionRecords(loginSession().map((event) => ({ installId: INSTALL, event })));
const bySeq = (list: ActionRecord[], seq: number) => list.find((r) => r.seq === seq);

describe('collector/export-jsonl buildActionRecords', () => {
  it('puts a value reported after the Enter that ended its typing before that Enter, and marks keyboard clicks', () => {
    const field = target('Full name', { tag: 'input', role: 'textbox', attrs: { type: 'text' } });
    const typed = (seq: number, k: string) => event('key', seq, { key: k, modifiers: NO_MODIFIERS, masked: false, target: field });
    const list = buildActionRecords(
      [
        event('navigation', 1, { kind: 'load' }),
        typed(2, '[text]'),
        typed(3, '[text]'),
        typed(4, 'Enter'),
        event('input', 5, { target: field, value: 'Ad', masked: false }),
        event('change', 6, { target: field, value: 'Ad', masked: false }),
        event('click', 7, { target: target('Next'), button: 0, modifiers: NO_MODIFIERS, x: 0, y: 0, offsetX: 0, offsetY: 0, detail: 0 }),
      ].map((e) => ({ installId: INSTALL, event: e })),
    );
    expect(list.map((r) => `${r.action}${r.key ? ` ${r.key}` : ''}${r.value ? ` ${r.value}` : ''}`)).toEqual(['navigation', 'change Ad', 'key Enter', 'click']);
    expect(list.at(-1)).toMatchObject({ detail: 0 });
  });


  it('describes a click with its target and the navigation it caused', () => {
    expect(bySeq(records(), 19)).toEqual({
      action: 'click',
      installId: INSTALL,
      seq: 19,
      ts: expect.any(Number),
      url: 'https://app.example.com/home',
      tab: 1,
      frame: 0,
      target: {
        tag: 'button',
        role: 'button',
        name: 'Sign in',
        selectors: [['aria/Sign in'], ['#sign-in']],
        box: { x: 10, y: 20, w: 100, h: 30 },
      },
      button: 0,
      modifiers: NO_MODIFIERS,
      x: 50,
      y: 35,
      offsetX: 40,
      offsetY: 15,
      outcome: {
        navigation: { kind: 'load', url: 'https://app.example.com/dashboard', title: 'Dashboard', afterMs: 200 },
      },
    });
  });

  it('reduces a field edit to its final value and leaves typing keys to it', () => {
    const list = records();
    const username = list.filter((r) => r.target?.name === USERNAME.name && r.action !== 'click');
    expect(username.map((r) => [r.action, r.value])).toEqual([
      ['focus', undefined],
      ['change', 'al'],
      ['key', undefined],
    ]);
    expect(list.filter((r) => r.action === 'key').map((r) => r.key)).toEqual(['Tab', 'Escape', 'k', 'Enter']);
    // The search box had no change event: its last input is the value, before Enter.
    const search = list.filter((r) => r.seq >= 38 && r.seq <= 43).map((r) => [r.action, r.value ?? r.key]);
    expect(search).toEqual([
      ['focus', undefined],
      ['input', 'q3'],
      ['key', 'Enter'],
    ]);
    expect(bySeq(list, 43)?.outcome?.navigation.url).toBe('https://app.example.com/reports?q=q3');
  });

  it('emits pointer paths, menu paths and capture markers as their own records', () => {
    const list = records();
    expect(bySeq(list, 2)).toMatchObject({ action: 'pointer_path', points: [[0, 0, 0], [40, 30, 75]] });
    expect(bySeq(list, 28)).toMatchObject({ action: 'menu_select', widget: 'menu', menuPath: ['File', 'Export', 'PDF'] });
    expect(bySeq(list, 36)).toMatchObject({ action: 'capture_state', state: 'paused' });
    expect(bySeq(list, 1)).toMatchObject({ action: 'navigation', kind: 'load', title: 'Login' });
    expect(bySeq(list, 34)).toMatchObject({ action: 'change', checked: true });
  });

  it('shows a masked field only as a value-less action, never its keys, value, name or name-based selectors', () => {
    const secret = target('Password for alice', {
      tag: 'input',
      masked: true,
      selectors: [['aria/Password for alice'], ['#pw'], ['text/alice']],
    });
    const list = buildActionRecords(
      [
        event('key', 1, { key: 'x', code: 'KeyX', modifiers: NO_MODIFIERS, masked: true, target: secret }),
        event('input', 2, { target: secret, masked: true, value: 'hunter2' }),
        event('input', 3, { target: secret, masked: true, value: 'hunter22' }),
        event('change', 4, { target: secret, masked: true, value: 'hunter22' }),
        click(5, 'Sign in'),
      ].map((e) => ({ installId: INSTALL, event: e })),
    );
    const text = JSON.stringify(list);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('KeyX');
    expect(text).not.toContain('alice');
    expect(list.map((r) => r.action)).toEqual(['change', 'click']);
    expect(list[0]).toMatchObject({ masked: true, target: { masked: true, selectors: [['#pw']] } });
    expect(list[0]).not.toHaveProperty('value');
  });
});

describe('collector/routes GET /v1/export?format=jsonl', () => {
  it('serves one action record per line, filtered by install, tab and time', async () => {
    const c = await startCollector();
    await storeBatch(c, loginSession());
    await storeBatch(c, [{ ...click(100, 'Other tab'), tab: 7 }]);
    const lines = await getNdjson<ActionRecord>(c, `/v1/export?format=jsonl&installId=${INSTALL}`);
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      expect(line).toMatchObject({
        action: expect.any(String),
        ts: expect.any(Number),
        url: expect.any(String),
        tab: expect.any(Number),
        frame: 0,
      });
    }
    // In the order things happened across the install's tabs (the other tab's click is older than the
    // reports page); each tab's own records keep their seq order.
    expect(lines.map((l) => l.ts)).toEqual([...lines.map((l) => l.ts)].sort((a, b) => a - b));
    const tab1 = lines.filter((l) => l.tab === 1).map((l) => l.seq);
    expect(tab1).toEqual([...tab1].sort((a, b) => a - b));
    const tab7 = await getNdjson<ActionRecord>(c, '/v1/export?format=jsonl&tab=7');
    expect(tab7.map((l) => [l.action, l.target?.name])).toEqual([['click', 'Other tab']]);
    const first = lines[0];
    const windowed = await getNdjson<ActionRecord>(c, `/v1/export?installId=${INSTALL}&from=${first?.ts}&to=${first?.ts}`);
    expect(windowed.map((l) => l.seq)).toEqual([1]);
  });
});
