// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { isSensitiveField, isSensitiveLabel } from '../../../lib/privacy';
import { isKeypadKey } from '../../../lib/privacy/sensitive';

afterEach(() => {
  document.body.innerHTML = '';
});

const $ = (id: string) => document.getElementById(id)!;
const sensitive = (id: string) => isSensitiveField($(id), []);

describe('lib/privacy/sensitive: labels in more words and languages', () => {
  it.each([
    'Recovery phrase', 'Seed phrase', 'Enter your 12-word secret phrase', 'Authenticator code', 'Login code',
    'Sign-in code', 'Memorable information', 'Characters from your memorable word', 'Security answer',
    'Answer to your security question', 'Geheimzahl', 'Kennwort', 'Sicherheitscode', 'Code de sécurité',
    'Mot de passe', 'Clave de acceso', 'Código de verificación', 'Senha', 'Codice fiscale', 'Wachtwoord',
    '暗証番号', 'パスワード', '비밀번호', '인증번호', '验证码', '密码', 'Пароль', 'Код подтверждения', 'Hasło',
    'PESEL', 'Doğrulama kodu', 'كلمة المرور', 'Numéro de carte', 'Fecha de nacimiento',
  ])('masks a field labelled %s', (label) => {
    expect(isSensitiveLabel(label)).toBe(true);
  });

  it.each(['Company name', 'Shipping address', 'Search products', 'Nom', 'Adresse', 'Ciudad', '账号', 'Bemerkungen', 'Product code'])(
    'keeps %s readable',
    (label) => {
      expect(isSensitiveLabel(label)).toBe(false);
    },
  );
});

describe('lib/privacy/sensitive: every label source', () => {
  it('reads a fieldset legend, aria-describedby, a neighbouring cell and a heading', () => {
    document.body.innerHTML = `
      <fieldset><legend>Your PIN</legend><input id="a" maxlength="4"><input id="b" maxlength="4"></fieldset>
      <p id="hint">Enter the answer you chose when you registered (security answer)</p><input id="c" aria-describedby="hint">
      <table><tr><td>Memorable word</td><td><input id="d"></td></tr><tr><td>City</td><td><input id="e"></td></tr></table>
      <section><h3>Authenticator code</h3><div><input id="f"></div></section>
      <section><h3>Delivery</h3><div><input id="g"></div></section>`;
    expect(sensitive('a')).toBe(true);
    expect(sensitive('b')).toBe(true);
    expect(sensitive('c')).toBe(true);
    expect(sensitive('d')).toBe(true);
    expect(sensitive('e')).toBe(false);
    expect(sensitive('f')).toBe(true);
    expect(sensitive('g')).toBe(false);
  });

  it('reads the host of a field inside a web component (label attribute, slotted label, outer label)', () => {
    document.body.innerHTML = `<x-field id="h1" label="Login code"></x-field>
      <x-field id="h2"><span slot="label">Geheimzahl</span></x-field>
      <label for="h3">Kennwort</label><x-field id="h3"></x-field>
      <x-field id="h4" label="Street"></x-field>`;
    const inner = (id: string) => {
      const root = $(id).attachShadow({ mode: 'open' });
      root.innerHTML = '<slot name="label"></slot><input id="in">';
      return root.getElementById('in')!;
    };
    expect(isSensitiveField(inner('h1'), [])).toBe(true);
    expect(isSensitiveField(inner('h2'), [])).toBe(true);
    expect(isSensitiveField(inner('h3'), [])).toBe(true);
    expect(isSensitiveField(inner('h4'), [])).toBe(false);
  });
});

describe('lib/privacy/sensitive: secrets split, mirrored, chosen or clicked', () => {
  it('masks every part of a split code once one part is sensitive', () => {
    document.body.innerHTML = `<div><div><input id="o1" autocomplete="one-time-code" maxlength="1"><input id="o2" maxlength="1"><input id="o3" maxlength="1"></div></div>
      <div><div><input id="z1" maxlength="5" aria-label="ZIP"><input id="z2" maxlength="4" aria-label="ZIP+4"></div></div>`;
    expect(sensitive('o2')).toBe(true);
    expect(sensitive('o3')).toBe(true);
    expect(sensitive('z1')).toBe(false);
    expect(sensitive('z2')).toBe(false);
  });

  it('masks the twin text input a show-password control swaps in', () => {
    document.body.innerHTML = `<div class="pw"><input type="password" id="p" aria-label="Password"><input type="text" id="t" hidden></div>
      <div><input id="u" aria-label="User"><input id="v" aria-label="Nickname"></div>
      <form><div><label for="n">Username</label><input id="n" autocomplete="off"><input type="password" id="np" autocomplete="off"></div></form>`;
    ($('p') as HTMLInputElement).value = 'abc';
    ($('t') as HTMLInputElement).value = 'abc';
    ($('t') as HTMLInputElement).hidden = false;
    ($('p') as HTMLInputElement).hidden = true;
    expect(sensitive('t')).toBe(true);
    expect(sensitive('u')).toBe(false);
    expect(sensitive('n')).toBe(false); // a username beside its password is not its twin
  });

  it('masks selects that spell a secret one character at a time, and custom listboxes labelled as secret', () => {
    const letters = 'abcdefghij'.split('').map((c) => `<option>${c}</option>`).join('');
    document.body.innerHTML = `<select id="ch">${letters}</select><select id="country"><option>France</option><option>Spain</option></select>
      <span id="lbl">Card expiry month</span>
      <button id="btn" aria-haspopup="listbox" aria-controls="lb" aria-labelledby="lbl btn">07</button>
      <ul role="listbox" id="lb" aria-labelledby="lbl"><li role="option" id="opt">08</li></ul>`;
    expect(sensitive('ch')).toBe(true);
    expect(sensitive('country')).toBe(false);
    expect(sensitive('btn')).toBe(true);
    expect(sensitive('opt')).toBe(true);
  });

  it('recognises the keys of an on-screen keypad, not a lone numbered button', () => {
    const keys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0].map((d) => `<button id="k${d}">${d}</button>`).join('');
    document.body.innerHTML = `<div class="pad">${keys}</div><div><button id="one">1</button><button id="next">Next</button></div>`;
    expect(isKeypadKey($('k7'))).toBe(true);
    expect(sensitive('k7')).toBe(true);
    expect(isKeypadKey($('one'))).toBe(false);
  });
});

describe('lib/describe/generation: decided once per element and DOM state', () => {
  it('reuses a negative answer until the document changes, then decides again', async () => {
    const { useGenerationSource, watchDomGeneration } = await import('../../../lib/describe/generation');
    document.body.innerHTML = '<label id="l" for="f">Nickname</label><input id="f">';
    const generation = watchDomGeneration(document);
    const off = useGenerationSource(document, () => generation.current());
    try {
      expect(sensitive('f')).toBe(false);
      const g = generation.current();
      expect(sensitive('f')).toBe(false);
      expect(generation.current()).toBe(g); // no change: the cached answer stands
      $('l').textContent = 'Memorable word';
      await new Promise((r) => setTimeout(r, 0));
      expect(generation.current()).not.toBe(g);
      expect(sensitive('f')).toBe(true);
    } finally {
      off();
      generation.stop();
    }
  });
});

describe('lib/privacy/sensitive: split secrets, not whole forms', () => {
  it('spreads over boxes in wrappers, never to a ZIP code beside a CVV', () => {
    document.body.innerHTML = `
      <div class="otp"><div><input id="b1" autocomplete="one-time-code" maxlength="1"></div><div><input id="b2" maxlength="1"></div><div><input id="b3" maxlength="1"></div></div>
      <div><input id="c1" aria-label="Card number" size="4"><input id="c2" size="4"><input id="c3" pattern="\\d{4}"></div>
      <form><div><label for="zip">ZIP</label><input id="zip" maxlength="5"></div><div><label for="cvv">CVV</label><input id="cvv" maxlength="4"></div></form>`;
    expect(sensitive('b2')).toBe(true);
    expect(sensitive('b3')).toBe(true);
    expect(sensitive('c2')).toBe(true);
    expect(sensitive('c3')).toBe(true);
    expect(sensitive('cvv')).toBe(true);
    expect(sensitive('zip')).toBe(false);
  });
});
