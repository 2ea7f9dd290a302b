// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { compileSelectors, privacyLevel, type PrivacyLevel } from '../../../lib/privacy/markers';

afterEach(() => {
  document.body.innerHTML = '';
});

/** Mounts `<wrapper-markup><input id="probe"></…>` and returns the probe input. */
function probeIn(wrapperAttrs: string): Element {
  document.body.innerHTML = `<main><section ${wrapperAttrs}><div><input id="probe"></div></section></main>`;
  return document.getElementById('probe') as Element;
}

describe('lib/privacy/markers', () => {
  describe('vendor markers on an ancestor', () => {
    const cases: Array<[string, string, PrivacyLevel]> = [
      ['ours, attribute', 'data-capture="block"', 'block'],
      ['ours, attribute', 'data-capture="mask"', 'mask'],
      ['ours, attribute', 'data-capture="ignore"', 'ignore'],
      ['ours, attribute, any case', 'data-capture=" BLOCK "', 'block'],
      ['ours, class', 'class="capture-block"', 'block'],
      ['ours, class', 'class="capture-mask"', 'mask'],
      ['ours, class', 'class="capture-ignore"', 'ignore'],
      ['rrweb', 'class="rr-block"', 'block'],
      ['rrweb', 'class="rr-mask"', 'mask'],
      ['rrweb', 'class="rr-ignore"', 'ignore'],
      ['PostHog', 'class="ph-no-capture"', 'block'],
      ['PostHog', 'class="ph-sensitive"', 'mask'],
      ['Sentry, class', 'class="sentry-block"', 'block'],
      ['Sentry, class', 'class="sentry-mask"', 'mask'],
      ['Sentry, class', 'class="sentry-ignore"', 'ignore'],
      ['Sentry, attribute', 'data-sentry-block', 'block'],
      ['Sentry, attribute', 'data-sentry-mask', 'mask'],
      ['Sentry, attribute', 'data-sentry-ignore=""', 'ignore'],
      ['Clarity', 'data-clarity-mask="true"', 'mask'],
      ['Clarity, any case', 'data-clarity-mask="True"', 'mask'],
      ['FullStory', 'class="fs-exclude"', 'block'],
      ['FullStory', 'class="fs-mask"', 'mask'],
      ['Hotjar', 'data-hj-suppress', 'mask'],
      ['LogRocket', 'data-private', 'mask'],
      ['Datadog', 'data-dd-privacy="hidden"', 'block'],
      ['Datadog', 'data-dd-privacy="mask-user-input"', 'mask'],
      ['among other classes', 'class="card shadow rr-mask big"', 'mask'],
    ];
    it.each(cases)('%s: %s → %s', (_vendor, attrs, level) => {
      expect(privacyLevel(probeIn(attrs), [])).toBe(level);
    });

    it('applies a marker on the element itself', () => {
      document.body.innerHTML = '<input id="probe" class="rr-block">';
      expect(privacyLevel(document.getElementById('probe')!, [])).toBe('block');
    });

    it('reads nothing from unmarked or unknown markup', () => {
      for (const attrs of ['', 'class="block mask"', 'data-capture="hide"', 'data-capture="constructor"', 'data-clarity-mask="false"', 'data-dd-privacy="allow"']) {
        expect(privacyLevel(probeIn(attrs), []), attrs).toBe('none');
      }
    });

    it('never lets an "unmask" marker of another tool weaken ours', () => {
      document.body.innerHTML =
        '<div class="capture-mask"><div data-clarity-unmask="true" class="rr-unmask fs-unmask" data-hj-allow><input id="probe" data-clarity-unmask="true"></div></div>';
      expect(privacyLevel(document.getElementById('probe')!, [])).toBe('mask');
    });
  });

  describe('precedence: block > mask > ignore', () => {
    it.each([
      ['data-capture="mask"', 'class="rr-block"', 'block'],
      ['class="rr-block"', 'data-capture="mask"', 'block'],
      ['data-capture="ignore"', 'class="sentry-mask"', 'mask'],
      ['class="sentry-mask"', 'data-capture="ignore"', 'mask'],
      ['class="ph-no-capture"', 'data-capture="ignore"', 'block'],
    ])('outer %s, inner %s → %s', (outer, inner, level) => {
      document.body.innerHTML = `<div ${outer}><div ${inner}><button id="probe">Go</button></div></div>`;
      expect(privacyLevel(document.getElementById('probe')!, [])).toBe(level);
    });

    it('takes the strongest marker on one element', () => {
      document.body.innerHTML = '<div id="probe" class="rr-ignore ph-sensitive" data-sentry-block></div>';
      expect(privacyLevel(document.getElementById('probe')!, [])).toBe('block');
    });
  });

  describe('shadow DOM', () => {
    it('applies a marker on a shadow host inside its shadow root', () => {
      document.body.innerHTML = '<my-widget class="rr-block"></my-widget>';
      const host = document.querySelector('my-widget')!;
      const root = host.attachShadow({ mode: 'open' });
      root.innerHTML = '<div><input id="inner"></div>';
      expect(privacyLevel(root.getElementById('inner')!, [])).toBe('block');
    });

    it('applies a marker above the host through nested shadow roots', () => {
      document.body.innerHTML = '<div data-capture="mask"><outer-el></outer-el></div>';
      const outer = document.querySelector('outer-el')!.attachShadow({ mode: 'open' });
      outer.innerHTML = '<inner-el></inner-el>';
      const inner = outer.querySelector('inner-el')!.attachShadow({ mode: 'closed' });
      inner.innerHTML = '<span><textarea id="deep"></textarea></span>';
      expect(privacyLevel(inner.getElementById('deep')!, [])).toBe('mask');
    });

    it('applies a marker inside the shadow root to that subtree only', () => {
      document.body.innerHTML = '<x-form></x-form>';
      const root = document.querySelector('x-form')!.attachShadow({ mode: 'open' });
      root.innerHTML = '<div class="sentry-mask"><input id="a"></div><input id="b">';
      expect(privacyLevel(root.getElementById('a')!, [])).toBe('mask');
      expect(privacyLevel(root.getElementById('b')!, [])).toBe('none');
    });

    it('applies markers around a slot to the light-DOM content slotted into it', () => {
      document.body.innerHTML = '<x-card><input id="slotted"></x-card>';
      const host = document.querySelector('x-card')!;
      const root = host.attachShadow({ mode: 'open' });
      root.innerHTML = '<div class="rr-block"><slot></slot></div>';
      const slotted = document.getElementById('slotted')!;
      // happy-dom does not assign slots; give the element the slot a browser would.
      Object.defineProperty(slotted, 'assignedSlot', { get: () => root.querySelector('slot') });
      expect(privacyLevel(slotted, [])).toBe('block');
    });
  });

  describe('frames', () => {
    function frameDocument(frameElement: () => Element | null) {
      const win = new Window({ url: 'https://app.example.com/frame' });
      Object.defineProperty(win, 'frameElement', { get: frameElement, configurable: true });
      win.document.body.innerHTML = '<form><input id="in-frame"></form>';
      return { win, input: win.document.getElementById('in-frame') as unknown as Element };
    }

    it('applies a marker around a same-origin iframe inside it', () => {
      // happy-dom cannot load frames; a stand-in element plays the <iframe> that frameElement returns.
      document.body.innerHTML = '<div class="ph-no-capture"><frame-stand-in id="f"></frame-stand-in></div>';
      const iframe = document.getElementById('f')!;
      const { win, input } = frameDocument(() => iframe);
      expect(privacyLevel(input, [])).toBe('block');
      win.happyDOM.close();
    });

    it('stops quietly at a cross-origin parent', () => {
      const { win, input } = frameDocument(() => {
        throw new DOMException('Blocked a frame with origin', 'SecurityError');
      });
      expect(privacyLevel(input, [])).toBe('none');
      win.document.body.classList.add('rr-mask');
      expect(privacyLevel(input, [])).toBe('mask');
      win.happyDOM.close();
    });
  });

  it('is never stale: a marker added or removed a moment ago is honoured now', () => {
    document.body.innerHTML = '<section id="s"><input id="probe"></section>';
    const section = document.getElementById('s')!;
    const probe = document.getElementById('probe')!;
    expect(privacyLevel(probe, [])).toBe('none');
    section.classList.add('rr-block');
    expect(privacyLevel(probe, [])).toBe('block');
    section.classList.remove('rr-block');
    section.setAttribute('data-capture', 'ignore');
    expect(privacyLevel(probe, [])).toBe('ignore');
    section.removeAttribute('data-capture');
    expect(privacyLevel(probe, [])).toBe('none');
  });

  describe('policy sensitiveSelectors', () => {
    it('masks what a selector matches and everything under it', () => {
      document.body.innerHTML = '<div class="billing"><span><input id="probe"></span></div><input id="other">';
      expect(privacyLevel(document.getElementById('probe')!, ['.billing'])).toBe('mask');
      expect(privacyLevel(document.getElementById('other')!, ['.billing'])).toBe('none');
      expect(privacyLevel(document.getElementById('other')!, ['#other'])).toBe('mask');
    });

    it('skips garbage selectors without throwing, and still uses the good ones', () => {
      document.body.innerHTML = '<div id="x"><input id="probe"></div>';
      const garbage = ['a[[[', '', '   ', '}{', ':not(', '>>>', 'div,', '#x', 42, null] as unknown as string[];
      expect(() => privacyLevel(document.getElementById('probe')!, garbage)).not.toThrow();
      expect(privacyLevel(document.getElementById('probe')!, garbage)).toBe('mask');
      expect(privacyLevel(document.getElementById('probe')!, ['a[[[', ':unknown-pseudo(1)'])).toBe('none');
    });

    it('cannot weaken a built-in marker', () => {
      document.body.innerHTML = '<div class="rr-block"><input id="probe"></div>';
      expect(privacyLevel(document.getElementById('probe')!, [':not(.rr-block)', '*'])).toBe('block');
    });

    it('compileSelectors splits valid from invalid, checking against a real DOM', () => {
      const r = compileSelectors(['.card-form input', 'a[[[', '', '[data-secret]', ':is(', 'a]b', 7, 'input[name="pin"]']);
      expect(r.valid).toEqual(['.card-form input', '[data-secret]', 'input[name="pin"]']);
      expect(r.invalid).toEqual(['a[[[', '', ':is(', 'a]b', '7']);
    });

    it('compileSelectors takes anything, even a non-list', () => {
      expect(compileSelectors('input' as unknown)).toEqual({ valid: [], invalid: [] });
      expect(compileSelectors(undefined)).toEqual({ valid: [], invalid: [] });
    });
  });

  it('does not throw on a detached element and reads its own markers', () => {
    const el = document.createElement('input');
    expect(privacyLevel(el, [])).toBe('none');
    const wrapper = document.createElement('div');
    wrapper.className = 'rr-mask';
    wrapper.append(el);
    expect(privacyLevel(el, [])).toBe('mask');
  });
});

describe('lib/privacy/markers (text nodes)', () => {
  it('judges a text node by the element that holds it', () => {
    document.body.innerHTML = '<p class="rr-block">secret text</p>';
    const text = document.querySelector('p')!.firstChild as unknown as Element;
    expect(privacyLevel(text, [])).toBe('block');
  });
});
