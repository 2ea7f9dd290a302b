const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };

if (sessionStorage.getItem('acme.user')) status('You are signed in. Sign in again or open the app.');

$('toggle-password').addEventListener('click', () => {
  const input = $('password');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  $('toggle-password').setAttribute('aria-pressed', String(show));
  $('toggle-password').textContent = show ? 'Hide password' : 'Show password';
  status(show ? 'Password shown' : 'Password hidden');
});

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const email = $('email').value.trim();
  const password = $('password').value;
  const problems = [];
  $('email').removeAttribute('aria-invalid');
  $('password').removeAttribute('aria-invalid');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    problems.push('Enter your work email.');
    $('email').setAttribute('aria-invalid', 'true');
  }
  if (password.length === 0) {
    problems.push('Enter your password.');
    $('password').setAttribute('aria-invalid', 'true');
  }
  if (problems.length) {
    $('signin-error').textContent = problems.join(' ');
    status('Sign-in failed');
    (problems[0].includes('email') ? $('email') : $('password')).focus();
    return;
  }
  // A demo: any password is accepted and none is stored or sent anywhere.
  $('signin-error').textContent = '';
  sessionStorage.setItem('acme.user', email);
  status('Signed in — opening your expenses…');
  location.assign('app.html#/expenses');
});

window.__state = () => ({ page: 'signin', signedIn: !!sessionStorage.getItem('acme.user'), status: $('status').textContent });
