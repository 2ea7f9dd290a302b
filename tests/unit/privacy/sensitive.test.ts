// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  fieldPrivacy,
  isNeverCaptured,
  isSensitiveField,
  isSensitiveLabel,
  markSensitive,
  rememberPasswordFields,
  sensitiveReason,
  splitWords,
} from '../../../lib/privacy/sensitive';

afterEach(() => {
  document.body.innerHTML = '';
});

function mount(html: string, id = 'probe'): Element {
  document.body.innerHTML = html;
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id} in ${html}`);
  return el;
}

describe('lib/privacy/sensitive', () => {
  describe('password inputs (sticky)', () => {
    it('masks type=password in any case', () => {
      expect(isSensitiveField(mount('<input id="probe" type="password">'), [])).toBe(true);
      expect(isSensitiveField(mount('<input id="probe" type="PassWord">'), [])).toBe(true);
    });

    it('keeps a password field masked after a "show password" toggle turns it into text', () => {
      const input = mount('<input id="probe" type="password" name="field1">') as HTMLInputElement;
      expect(isSensitiveField(input, [])).toBe(true);
      input.type = 'text';
      expect(input.getAttribute('type')).toBe('text');
      expect(isSensitiveField(input, [])).toBe(true);
      expect(sensitiveReason(input, [])).toBe('sticky');
      expect(fieldPrivacy(input, []).masked).toBe(true);
    });

    it('remembers password fields that were toggled before they were ever looked at one by one', () => {
      document.body.innerHTML = '<form><input id="a" type="password" name="f1"><input id="b" type="text" name="f2"></form>';
      expect(rememberPasswordFields(document)).toBe(1);
      const a = document.getElementById('a') as HTMLInputElement;
      a.setAttribute('type', 'text');
      expect(isSensitiveField(a, [])).toBe(true);
      expect(isSensitiveField(document.getElementById('b')!, [])).toBe(false);
    });

    it('leaves no trace of the stickiness in the page DOM', () => {
      const input = mount('<input id="probe" type="password">');
      const before = document.body.innerHTML;
      isSensitiveField(input, []);
      fieldPrivacy(input, []);
      expect(document.body.innerHTML).toBe(before);
      expect(input.getAttributeNames()).toEqual(['id', 'type']);
    });

    it('markSensitive makes any element sensitive for good (e.g. a MutationObserver saw type leave "password")', () => {
      const input = mount('<input id="probe" type="text" name="comment">');
      expect(isSensitiveField(input, [])).toBe(false);
      markSensitive(input);
      expect(isSensitiveField(input, [])).toBe(true);
    });
  });

  describe('autocomplete tokens', () => {
    it.each([
      'cc-number', 'cc-csc', 'cc-exp', 'cc-exp-month', 'cc-exp-year', 'cc-name', 'cc-type', 'cc-given-name',
      'current-password', 'new-password', 'one-time-code', 'bday', 'bday-day', 'bday-month', 'bday-year',
      'transaction-amount', 'section-pay billing cc-number', 'CC-Number',
    ])('%s is sensitive', (ac) => {
      expect(isSensitiveField(mount(`<input id="probe" autocomplete="${ac}">`), [])).toBe(true);
    });

    it.each(['email', 'username', 'off', 'on', 'name', 'street-address', 'tel', 'organization', 'transaction-currency'])(
      '%s alone is not',
      (ac) => {
        expect(isSensitiveField(mount(`<input id="probe" autocomplete="${ac}">`), [])).toBe(false);
      },
    );
  });

  describe('name, id and label heuristics', () => {
    it.each([
      '<input id="probe" name="user_password">',
      '<input id="probe" name="newPassword">',
      '<input id="probe" name="passwd">',
      '<input id="probe" name="pwd">',
      '<input id="probe" name="passcode">',
      '<input id="probe" name="pin">',
      '<input id="probe" name="pin1">',
      '<input id="probe" name="atm-pin">',
      '<input id="probe" name="client_secret">',
      '<input id="probe" name="csrf_token">',
      '<input id="probe" name="accessToken">',
      '<input id="probe" name="api_key">',
      '<input id="probe" name="apikey">',
      '<input id="probe" placeholder="API key">',
      '<input id="probe" name="ssn">',
      '<input id="probe" name="SSNLast4">',
      '<input id="probe" aria-label="Social Security number">',
      '<input id="probe" aria-label="Tax ID">',
      '<input id="probe" name="tin">',
      '<input id="probe" name="iban">',
      '<input id="probe" placeholder="Account number">',
      '<input id="probe" name="routingNumber">',
      '<input id="probe" name="cardnumber">',
      '<input id="probe" name="ccnum">',
      '<input id="probe" data-testid="card-number-input">',
      '<input id="probe" name="cvv2">',
      '<input id="probe" name="CVC">',
      '<input id="probe" aria-label="Security code">',
      '<input id="probe" name="expiry">',
      '<input id="probe" name="exp-date">',
      '<input id="probe" name="expirationDate">',
      '<input id="probe" placeholder="MM / YY">',
      '<input id="probe" name="dob">',
      '<input id="probe" name="date_of_birth">',
      '<input id="probe" type="date" aria-label="Birthdate">',
      '<input id="probe" aria-label="Mother\'s maiden name">',
      '<input id="probe" name="otp">',
      '<input id="probe" name="totpCode">',
      '<input id="probe" name="2fa_code">',
      '<input id="probe" aria-label="MFA code">',
      '<input id="probe" placeholder="Verification code">',
      '<input id="probe" title="Enter your passphrase">',
      '<input id="probe" class="form-control otp-input">',
      '<input id="probe" aria-label="Passwort">',
      '<input id="probe" placeholder="Contraseña">',
      '<input id="probe" aria-label="パスワード">',
      '<select id="probe" name="exp_month"><option>01</option></select>',
      '<textarea id="probe" aria-label="Recovery codes"></textarea>',
    ])('%s', (html) => {
      expect(isSensitiveField(mount(html), [])).toBe(true);
    });

    it('reads label[for]', () => {
      expect(isSensitiveField(mount('<label for="probe">Card number</label><input id="probe" name="f3">'), [])).toBe(true);
    });

    it('reads a wrapping label', () => {
      expect(isSensitiveField(mount('<label>Your PIN <input id="probe" name="f3"></label>'), [])).toBe(true);
    });

    it('reads aria-labelledby, every id it names', () => {
      const html = '<span id="l1">Bank</span> <span id="l2">routing number</span><input id="probe" aria-labelledby="l1 l2">';
      expect(isSensitiveField(mount(html), [])).toBe(true);
      const plain = '<span id="l1">Delivery</span><span id="l2">notes</span><input id="probe" aria-labelledby="l1 l2">';
      expect(isSensitiveField(mount(plain), [])).toBe(false);
    });

    it('reads labels and aria-labelledby inside a shadow root', () => {
      document.body.innerHTML = '<pay-form></pay-form>';
      const root = document.querySelector('pay-form')!.attachShadow({ mode: 'open' });
      root.innerHTML =
        '<label for="c">CVV</label><input id="c"><span id="t">Date of birth</span><input id="d" aria-labelledby="t"><input id="e" aria-label="City">';
      expect(isSensitiveField(root.getElementById('c')!, [])).toBe(true);
      expect(isSensitiveField(root.getElementById('d')!, [])).toBe(true);
      expect(isSensitiveField(root.getElementById('e')!, [])).toBe(false);
    });

    it.each([
      '<input id="probe" name="passage">',
      '<input id="probe" aria-label="Passage title">',
      '<input id="probe" name="passenger_name">',
      '<input id="probe" class="spinner">',
      '<input id="probe" aria-label="Pinned note">',
      '<input id="probe" name="shipping_address">',
      '<input id="probe" aria-label="Expiring soon banner text">',
      '<input id="probe" aria-label="Tokens of appreciation">',
      '<input id="probe" name="max_tokens">',
      '<input id="probe" aria-label="Secretary">',
      '<input id="probe" name="footprint">',
      '<input id="probe" aria-label="Adobe ID">',
      '<input id="probe" name="classname">',
      '<input id="probe" name="taxidermy">',
      '<input id="probe" name="compass">',
      '<input id="probe" name="bypass_reason">',
      '<input id="probe" type="search" aria-label="Search">',
      '<input id="probe" type="email" name="email" placeholder="you@example.com">',
      '<input id="probe" name="first_name">',
      '<input id="probe" aria-label="Keyboard shortcut">',
      '<textarea id="probe" name="description"></textarea>',
      '<input id="probe" name="promo_code_banner">',
    ])('does not over-mask %s', (html) => {
      expect(isSensitiveField(mount(html), [])).toBe(false);
    });

    it('masks "Shipping PIN" (PIN is masked as a word, even as a postal code)', () => {
      expect(isSensitiveField(mount('<input id="probe" aria-label="Shipping PIN">'), [])).toBe(true);
    });

    it('ignores labels of controls that hold no typed text', () => {
      expect(isSensitiveField(mount('<label><input id="probe" type="checkbox"> Remember password</label>'), [])).toBe(false);
      expect(isSensitiveField(mount('<button id="probe" aria-label="Show password">👁</button>'), [])).toBe(false);
    });
  });

  describe('one-digit PIN boxes', () => {
    it('masks single numeric boxes of a split code', () => {
      expect(isSensitiveField(mount('<input id="probe" maxlength="1" inputmode="numeric">'), [])).toBe(true);
      expect(isSensitiveField(mount('<input id="probe" maxlength="1" pattern="[0-9]">'), [])).toBe(true);
    });
    it('leaves a middle-initial box alone', () => {
      expect(isSensitiveField(mount('<input id="probe" maxlength="1" name="middle_initial">'), [])).toBe(false);
    });
  });

  describe('contenteditable', () => {
    it('follows the same heuristics, also for a child of the editing host', () => {
      const host = mount('<div id="probe" contenteditable="true" aria-label="Secret notes"><p><span id="child">x</span></p></div>');
      expect(isSensitiveField(host, [])).toBe(true);
      expect(isSensitiveField(document.getElementById('child')!, [])).toBe(true);
    });

    it('is not sensitive without a reason', () => {
      const host = mount('<div id="probe" contenteditable aria-label="Comment"><span id="child">x</span></div>');
      expect(isSensitiveField(host, [])).toBe(false);
      expect(isSensitiveField(document.getElementById('child')!, [])).toBe(false);
    });

    it('follows markers and policy selectors', () => {
      mount('<div class="rr-mask"><div id="probe" contenteditable="plaintext-only"><b id="child">x</b></div></div>');
      expect(fieldPrivacy(document.getElementById('child')!, []).masked).toBe(true);
      mount('<div id="probe" contenteditable class="notes"><b id="child">x</b></div>');
      expect(isSensitiveField(document.getElementById('child')!, ['.notes'])).toBe(true);
    });
  });

  describe('hidden inputs and blocked subtrees: never captured', () => {
    it('never captures hidden inputs', () => {
      const hidden = mount('<input id="probe" type="hidden" name="csrf" value="abc">');
      expect(isNeverCaptured(hidden)).toBe(true);
      expect(fieldPrivacy(hidden, [])).toMatchObject({ neverCaptured: true, masked: true, keysAndValues: false });
    });

    it('never captures anything inside a block marker', () => {
      const el = mount('<div class="ph-no-capture"><button id="probe">Pay</button></div>');
      expect(isNeverCaptured(el)).toBe(true);
      expect(fieldPrivacy(el, [])).toMatchObject({ level: 'block', neverCaptured: true, keysAndValues: false });
    });

    it('captures ordinary elements', () => {
      const el = mount('<input id="probe" name="city">');
      expect(isNeverCaptured(el)).toBe(false);
      expect(fieldPrivacy(el, [])).toEqual({ level: 'none', neverCaptured: false, masked: false, keysAndValues: true });
    });
  });

  describe('policy sensitiveSelectors', () => {
    it('adds matches', () => {
      const el = mount('<input id="probe" name="notes" class="patient-record">');
      expect(isSensitiveField(el, ['.patient-record'])).toBe(true);
    });

    it('skips garbage selectors without throwing', () => {
      const el = mount('<input id="probe" name="city">');
      expect(() => isSensitiveField(el, ['a[[[', '', '}'])).not.toThrow();
      expect(isSensitiveField(el, ['a[[[', '', '}'])).toBe(false);
    });

    it('cannot remove built-in rules', () => {
      const el = mount('<input id="probe" type="password">');
      expect(isSensitiveField(el, [':not(input)', 'input:not([type=password])'])).toBe(true);
    });
  });

  describe('fieldPrivacy', () => {
    it('an ignore marker stops keys and values but keeps the element', () => {
      const el = mount('<div data-capture="ignore"><input id="probe" name="city"></div>');
      expect(fieldPrivacy(el, [])).toEqual({ level: 'ignore', neverCaptured: false, masked: false, keysAndValues: false });
    });

    it('masking by an ancestor marker is sticky once seen', () => {
      const el = mount('<div id="wrap" class="sentry-mask"><input id="probe" name="city"></div>');
      expect(fieldPrivacy(el, []).masked).toBe(true);
      document.getElementById('wrap')!.classList.remove('sentry-mask');
      expect(fieldPrivacy(el, []).masked).toBe(true);
    });
  });

  describe('isSensitiveLabel and splitWords', () => {
    it('splits camelCase, snake_case, kebab-case and acronyms', () => {
      expect(splitWords('newPassword_confirm-field CVVCode')).toEqual(['new', 'password', 'confirm', 'field', 'cvv', 'code']);
    });
    it.each(['Password', 'PIN', 'API token', 'Personal access tokens', 'Card number', 'Valid thru', 'Sort code', 'Two-factor code'])(
      '%s is sensitive',
      (t) => expect(isSensitiveLabel(t)).toBe(true),
    );
    it.each(['Passage', 'Spinner', 'Pinned', 'Shipping', 'Tokens of appreciation', 'Expiring soon', 'Code of conduct summary', '', null])(
      '%s is not',
      (t) => expect(isSensitiveLabel(t)).toBe(false),
    );
  });
});

describe('lib/privacy/sensitive (options of sensitive fields)', () => {
  it('masks the options of a sensitive <select>, not those of an ordinary one', () => {
    document.body.innerHTML = `
      <label for="m">Field M</label><select id="m" autocomplete="cc-exp-month"><option id="m7" value="07">07</option></select>
      <label for="b">Field B</label><select id="b" name="birthday"><optgroup id="bg" label="1990s"><option id="b1">1990</option></optgroup></select>
      <label for="s">Shipping speed</label><select id="s"><option id="s1">Express</option></select>`;
    const byId = (id: string) => document.getElementById(id)!;
    expect(isSensitiveField(byId('m7'), [])).toBe(true);
    expect(sensitiveReason(byId('b1'), [])).toBe('option');
    expect(isSensitiveField(byId('bg'), [])).toBe(true);
    expect(isSensitiveField(byId('s1'), [])).toBe(false);
  });

  it('masks the options of a combobox listbox when the combobox is sensitive', () => {
    document.body.innerHTML = `
      <input id="q" role="combobox" aria-label="Security question" aria-controls="qs">
      <ul id="qs" role="listbox"><li id="q1" role="option">Name of your first pet</li></ul>
      <input id="f" role="combobox" aria-label="Fruit" aria-controls="fs">
      <ul id="fs" role="listbox"><li id="f1" role="option">Banana</li></ul>`;
    expect(isSensitiveField(document.getElementById('q1')!, [])).toBe(true);
    expect(isSensitiveField(document.getElementById('f1')!, [])).toBe(false);
  });
});
