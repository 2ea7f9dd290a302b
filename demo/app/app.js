// The menu widget is the menubar fixture's (the fixture server serves both apps).
import { initMenus } from '../menubar/menus.js';

const $ = (id) => document.getElementById(id);
const user = sessionStorage.getItem('acme.user');
if (!user) location.replace('./');

const CATEGORIES = { travel: 'Travel', meals: 'Meals', office: 'Office supplies', software: 'Software', other: 'Other' };
const SEED = [
  { date: '2025-03-03', description: 'Team lunch', category: 'meals', amount: 86.4, notes: '' },
  { date: '2025-03-05', description: 'Train to Lyon', category: 'travel', amount: 129, notes: 'Client visit' },
];
const load = (key, fallback) => {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : fallback;
  } catch {
    return fallback;
  }
};

const state = {
  signedIn: !!user,
  route: '',
  expenses: load('acme.expenses', SEED),
  settings: load('acme.settings', { displayName: '', currency: 'USD', weeklySummary: false }),
  lastCommand: null,
  status: '',
};
const save = () => {
  sessionStorage.setItem('acme.expenses', JSON.stringify(state.expenses));
  sessionStorage.setItem('acme.settings', JSON.stringify(state.settings));
};
window.__state = () => JSON.parse(JSON.stringify(state));

function say(text) {
  state.status = text;
  $('status').textContent = text;
}
const money = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: state.settings.currency }).format(n);

// --- Expenses table -----------------------------------------------------------------------------
function renderTable() {
  const body = $('expenses-body');
  body.replaceChildren(
    ...state.expenses.map((x, i) => {
      const tr = document.createElement('tr');
      tr.id = `expense-${i + 1}`;
      const cells = [x.date, x.description, CATEGORIES[x.category] ?? x.category, money(x.amount)];
      cells.forEach((text, c) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (c === 3) td.className = 'amount';
        tr.append(td);
      });
      const td = document.createElement('td');
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'delete';
      del.dataset.index = String(i);
      del.textContent = 'Delete';
      del.setAttribute('aria-label', `Delete ${x.description}`);
      td.append(del);
      tr.append(td);
      return tr;
    }),
  );
  $('total').textContent = money(state.expenses.reduce((s, x) => s + x.amount, 0));
}
$('expenses-body').addEventListener('click', (e) => {
  const btn = e.target.closest('button.delete');
  if (!btn) return;
  const [gone] = state.expenses.splice(Number(btn.dataset.index), 1);
  save();
  renderTable();
  say(`Deleted “${gone.description}”`);
  $('exp-description').focus();
});

// --- Add-expense form ---------------------------------------------------------------------------
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
$('exp-date').value = today();

function fieldError(id, message) {
  $(`${id}-error`).textContent = message;
  if (message) $(id).setAttribute('aria-invalid', 'true');
  else $(id).removeAttribute('aria-invalid');
  return !message;
}
$('add-expense').addEventListener('submit', (e) => {
  e.preventDefault();
  const description = $('exp-description').value.trim();
  const amount = Number($('exp-amount').value);
  const date = $('exp-date').value;
  const ok = [
    fieldError('exp-description', description ? '' : 'Describe the expense.'),
    fieldError('exp-amount', amount > 0 ? '' : 'Enter an amount greater than 0.'),
    fieldError('exp-date', /^\d{4}-\d{2}-\d{2}$/.test(date) ? '' : 'Pick the date of the expense.'),
  ];
  if (ok.includes(false)) {
    $(['exp-description', 'exp-amount', 'exp-date'][ok.indexOf(false)]).focus();
    say('Please fix the highlighted fields');
    return;
  }
  const expense = { date, description, category: $('exp-category').value, amount: Math.round(amount * 100) / 100, notes: $('exp-notes').value.trim() };
  state.expenses.push(expense);
  save();
  renderTable();
  $('exp-description').value = '';
  $('exp-amount').value = '';
  $('exp-notes').value = '';
  $('exp-description').focus();
  say(`Added “${expense.description}” — ${money(expense.amount)} (${CATEGORIES[expense.category]})`);
});

// --- Settings -----------------------------------------------------------------------------------
function fillSettings() {
  $('set-name').value = state.settings.displayName;
  $('set-currency').value = state.settings.currency;
  $('set-weekly').checked = state.settings.weeklySummary;
}
$('settings-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.settings = { displayName: $('set-name').value.trim(), currency: $('set-currency').value, weeklySummary: $('set-weekly').checked };
  save();
  renderTable();
  showUser();
  say(`Settings saved: ${state.settings.currency}, weekly summary ${state.settings.weeklySummary ? 'on' : 'off'}`);
});
function showUser() {
  $('user').textContent = state.settings.displayName ? `Signed in as ${state.settings.displayName}` : 'Signed in';
}

// --- Routes (hash) ------------------------------------------------------------------------------
const ROUTES = { '#/expenses': 'expenses', '#/settings': 'settings' };
function route() {
  if (!ROUTES[location.hash]) {
    history.replaceState(null, '', '#/expenses');
  }
  const view = ROUTES[location.hash];
  const changed = state.route !== location.hash;
  state.route = location.hash;
  for (const [hash, name] of Object.entries(ROUTES)) {
    $(`view-${name}`).hidden = name !== view;
    const link = $(`nav-${name}`);
    if (hash === location.hash) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${view === 'expenses' ? 'Expenses' : 'Settings'} — Acme Expenses`;
  if (view === 'settings') fillSettings();
  if (changed) say(view === 'expenses' ? `Expenses: ${state.expenses.length} items` : 'Settings');
}
window.addEventListener('hashchange', () => {
  route();
  $(`${ROUTES[location.hash]}-title`).focus();
});

// --- Menus --------------------------------------------------------------------------------------
function exportAs(kind) {
  const rows = [['date', 'description', 'category', 'amount'], ...state.expenses.map((x) => [x.date, x.description, x.category, x.amount.toFixed(2)])];
  const csv = rows.map((r) => r.map((v) => `"${String(v).replaceAll('"', '""')}"`).join(',')).join('\n');
  // A demo: the export is prepared in memory and described, not downloaded.
  const bytes = new Blob([csv]).size;
  say(kind === 'CSV' ? `Exported ${state.expenses.length} expenses as CSV (${bytes} bytes)` : `Exported ${state.expenses.length} expenses as PDF`);
}
const dialogs = { shortcuts: $('shortcuts-dialog'), clear: $('clear-dialog') };
$('clear-dialog').addEventListener('close', () => {
  if ($('clear-dialog').returnValue === 'confirm') {
    const n = state.expenses.length;
    state.expenses = [];
    save();
    renderTable();
    say(`Cleared ${n} expenses`);
  } else {
    say('Nothing cleared');
  }
});

initMenus({
  onCommand({ path }) {
    const command = path.join(' ▸ ');
    state.lastCommand = path.join('/');
    switch (state.lastCommand) {
      case 'File/New expense':
        if (location.hash !== '#/expenses') location.hash = '#/expenses';
        $('exp-description').focus();
        say('New expense: fill in the form');
        break;
      case 'File/Export/PDF':
        exportAs('PDF');
        break;
      case 'File/Export/CSV':
        exportAs('CSV');
        break;
      case 'File/Sign out':
        sessionStorage.removeItem('acme.user');
        say('Signed out');
        location.assign('./');
        break;
      case 'Edit/Undo last expense': {
        const gone = state.expenses.pop();
        save();
        renderTable();
        say(gone ? `Undid “${gone.description}”` : 'Nothing to undo');
        break;
      }
      case 'Edit/Clear all expenses…':
        dialogs.clear.returnValue = '';
        dialogs.clear.showModal();
        say('Confirm clearing all expenses');
        break;
      case 'Help/Keyboard shortcuts':
        dialogs.shortcuts.showModal();
        say('Keyboard shortcuts');
        break;
      case 'Help/About Acme Expenses':
        say('Acme Expenses 1.0 — a demo app for Workflow Capture');
        break;
      default:
        say(`Command: ${command}`);
    }
  },
});

if (user) {
  showUser();
  renderTable();
  route();
}
