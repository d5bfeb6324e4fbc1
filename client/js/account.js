// account.js — who the visitor is (GET /api/me), making them a guest
// before their first room (so the WebSocket carries the session cookie),
// the lobby's account bar, and the sign-up and sign-in pages. The session
// itself is an HttpOnly cookie: no script here ever sees a token
// (docs/api.md).

import { h, replace } from './dom.js';

/** account is what the page knows: whether the server has accounts, and the user. */
export const account = { on: true, loaded: false, me: null };

const listeners = new Set();

/** onAccountChange calls f whenever the signed-in user changes. */
export function onAccountChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

function setMe(user) {
  account.me = user ?? null;
  account.loaded = true;
  for (const f of listeners) f(account.me);
}

/**
 * request calls the JSON API and never throws: {ok, status, data,
 * retryAfter}; a network failure is status 0 with code 'network'.
 */
export async function request(method, path, body) {
  const opts = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch {
    return { ok: false, status: 0, data: { code: 'network' } };
  }
  let data = {};
  if (res.status !== 204 && (res.headers.get('Content-Type') || '').includes('application/json')) {
    try { data = await res.json(); } catch { data = {}; }
  }
  return { ok: res.ok, status: res.status, data, retryAfter: Number(res.headers.get('Retry-After')) || 0 };
}

/** loadMe asks the server who we are; null when not signed in. */
export async function loadMe() {
  const r = await request('GET', '/api/me');
  if (r.status === 404) account.on = false; // a server without accounts
  setMe(r.ok ? r.data.user : null);
  return account.me;
}

/**
 * ensureGuest makes sure the visitor is a user before a create or join:
 * a new guest named name, or the current guest renamed. A registered
 * user plays under the name they typed, as ever. Returns the API reply
 * ({ok: true} when nothing was needed).
 */
export async function ensureGuest(name) {
  if (!account.loaded) await loadMe();
  if (!account.on) return { ok: true };
  const me = account.me;
  if (me && (!me.guest || me.display_name === name)) return { ok: true };
  const r = await request('POST', '/api/auth/guest', { name });
  if (r.ok) setMe(r.data.user);
  return r;
}

/** signOut ends the session on the server. */
export async function signOut() {
  const r = await request('POST', '/api/auth/logout');
  if (r.ok) setMe(null);
  return r;
}

/** displayName is how the user is shown. */
export function displayName(u) {
  return u?.username || u?.display_name || '';
}

// ---- words ---------------------------------------------------------------

const MESSAGES = {
  invalid_username: 'Usernames are 3–20 letters, digits, _ or -.',
  username_reserved: 'That username is reserved. Pick another.',
  username_taken: 'That username is taken. Pick another.',
  invalid_password: 'Passwords are 8–128 characters and not the username.',
  invalid_email: 'That does not look like one email address.',
  email_taken: 'That email address belongs to another account.',
  invalid_display_name: 'Names are 1–24 characters, and not a reserved one.',
  invalid_preferences: 'Those preferences cannot be saved.',
  bad_credentials: 'Unknown username or wrong password.',
  invalid_session: 'You are not signed in.',
  session_expired: 'Your session has expired. Sign in again.',
  account_disabled: 'This account is closed.',
  already_registered: 'You are registered already.',
  cross_origin: 'That request came from another site and was refused.',
  busy: 'The server is busy. Try again in a moment.',
  network: 'The server cannot be reached. Check your connection.',
  forbidden: 'Only admins can do that.',
  last_admin: 'The platform must keep at least one admin.',
  target_is_admin: 'Admins cannot be banned: demote them first.',
  not_banned: 'That user is not banned.',
  user_not_found: 'No such user.',
  session_not_found: 'That session has ended already.',
  game_not_found: 'No active game with that id.',
  game_over: 'That game has ended already.',
};

/** errorText is the words for an API error reply. */
export function errorText(r) {
  const d = r.data ?? {};
  if (d.code === 'rate_limited') return `Too many attempts. Try again in ${r.retryAfter || 60} seconds.`;
  if (d.code === 'banned') return d.message ? capital(d.message) + '.' : 'You are banned.';
  return MESSAGES[d.code] ?? d.message ?? `Something went wrong (HTTP ${r.status}).`;
}

function capital(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- validation, as the server's (docs/accounts.md) -----------------------

const USERNAME = /^[A-Za-z0-9_-]{3,20}$/;

export const check = {
  username: (v) => (USERNAME.test(v) ? '' : MESSAGES.invalid_username),
  password: (v, all) => {
    const n = [...v].length;
    if (n < 8) return `At least 8 characters (${n} so far).`;
    if (n > 128) return 'At most 128 characters.';
    if (all?.username && v === all.username) return 'Not the same as the username.';
    return '';
  },
  email: (v) => (v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? '' : MESSAGES.invalid_email),
  displayName: (v) => {
    const n = [...v.trim()].length;
    return n >= 1 && n <= 24 ? '' : 'Names are 1–24 characters.';
  },
  present: (v) => (v ? '' : 'Required.'),
};

// ---- forms ---------------------------------------------------------------

/**
 * form builds an accessible form whose fields check themselves as the
 * user types (after they first leave the field, or once submitted), and
 * that shows the server's errors beside the fields they are about and in
 * a summary read out at once.
 *
 * spec: {id, title?, intro?, fields: [{name, label, type, autocomplete,
 * hint, check(value, values), value}], submit, submitClass, onSubmit(values)
 * → Promise<reply>, onDone(reply)}.
 */
export function form(spec) {
  const status = h('p', { class: 'form-status', role: 'alert', id: `${spec.id}-status`, hidden: true });
  const inputs = {};
  const errs = {};
  const touched = new Set();
  let submitted = false;
  const fields = spec.fields.map((f) => {
    const id = `${spec.id}-${f.name}`;
    const hint = f.hint ? h('span', { class: 'hint', id: `${id}-hint` }, f.hint) : null;
    const err = h('span', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' });
    const input = h('input', {
      id, name: f.name, type: f.type ?? 'text', autocomplete: f.autocomplete ?? 'off', value: f.value ?? '',
      required: f.optional ? undefined : true, spellcheck: 'false', autocapitalize: 'off',
      'aria-describedby': [hint && `${id}-hint`, `${id}-err`].filter(Boolean).join(' '),
      dataset: { key: id },
    });
    input.addEventListener('input', () => { if (touched.has(f.name) || submitted) validate(f.name); });
    input.addEventListener('blur', () => { if (input.value !== '') touched.add(f.name); validate(f.name); });
    inputs[f.name] = input;
    errs[f.name] = err;
    return h('div', { class: 'field' }, h('label', { for: id }, f.label, f.optional && h('span', { class: 'muted' }, ' (optional)')), input, hint, err);
  });
  const button = h('button', { type: 'submit', class: spec.submitClass ?? 'btn btn-primary btn-big', dataset: { key: `${spec.id}-submit` } }, spec.submit);

  const values = () => Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.type === 'password' ? el.value : el.value.trim()]));

  function show(name, msg) {
    const input = inputs[name];
    if (!input) return;
    errs[name].textContent = msg;
    if (msg) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function validate(name) {
    const f = spec.fields.find((x) => x.name === name);
    const v = values();
    const msg = f.check ? f.check(v[name], v) : '';
    show(name, msg);
    return !msg;
  }

  function showStatus(text) {
    status.hidden = !text;
    status.textContent = text;
  }

  const el = h('form', {
    class: 'panel account-form', id: spec.id, novalidate: true, 'aria-labelledby': `${spec.id}-title`,
    onsubmit: async (e) => {
      e.preventDefault();
      submitted = true;
      const bad = spec.fields.filter((f) => !validate(f.name));
      if (bad.length) {
        showStatus(bad.length === 1 ? 'Please fix the field marked below.' : `Please fix the ${bad.length} fields marked below.`);
        inputs[bad[0].name].focus();
        return;
      }
      showStatus('');
      button.disabled = true;
      el.setAttribute('aria-busy', 'true');
      const r = await spec.onSubmit(values());
      button.disabled = false;
      el.removeAttribute('aria-busy');
      if (r.ok) {
        spec.onDone?.(r);
        return;
      }
      const fs = r.data?.fields ?? {};
      let first = null;
      for (const [name, code] of Object.entries(fs)) {
        if (!inputs[name]) continue;
        show(name, MESSAGES[code] ?? code);
        first ??= name;
      }
      showStatus(errorText(r));
      (first ? inputs[first] : button).focus();
    },
  },
  spec.title && h('h2', { id: `${spec.id}-title` }, spec.title),
  spec.intro && h('p', { class: 'hint' }, spec.intro),
  status,
  fields,
  button,
  spec.foot);
  el.show = show;
  el.say = showStatus;
  return el;
}

// ---- pages and the bar ----------------------------------------------------

/**
 * accountBar is the lobby's header: who you are, and the ways to sign up,
 * in or out. It fills itself in once the server has answered. cb: {go(path),
 * toast(msg, kind)}.
 */
export function accountBar(cb) {
  const el = h('nav', { class: 'account-bar', 'aria-label': 'Account', dataset: { key: 'account-bar' } });
  const link = (path, text, key, cls = 'btn btn-small') => h('a', {
    href: path, class: cls, dataset: { key },
    onclick: (e) => { e.preventDefault(); cb.go(path); },
  }, text);
  const draw = () => {
    if (!account.on) { el.hidden = true; return; }
    const me = account.me;
    if (!account.loaded) { replace(el, h('span', { class: 'muted' }, '…')); return; }
    if (!me || me.guest) {
      replace(el,
        h('span', { class: 'account-who' }, me ? ['Playing as guest ', h('b', null, me.display_name), ' — register to keep your stats'] : 'Not signed in — register to keep your stats'),
        h('span', { class: 'row' },
          link('/register', 'Sign up', 'nav-register', 'btn btn-small btn-primary'),
          link('/login', 'Log in', 'nav-login')));
      return;
    }
    // A new browser knows no name yet: the account's is the one to play under.
    for (const input of document.querySelectorAll('#app input[name="name"]')) if (!input.value) input.value = me.display_name;
    replace(el,
      h('span', { class: 'account-who' }, 'Signed in as ', h('b', null, displayName(me)), me.role === 'admin' ? h('span', { class: 'badge' }, 'admin') : null),
      h('span', { class: 'row' },
        link('/profile', 'Profile', 'nav-profile'),
        me.role === 'admin' && link('/admin', 'Admin', 'nav-admin'),
        h('button', {
          type: 'button', class: 'btn btn-small', dataset: { key: 'nav-logout' },
          onclick: async () => {
            const r = await signOut();
            if (r.ok) cb.toast('Signed out.');
            else cb.toast(errorText(r), 'error');
          },
        }, 'Log out')));
  };
  draw();
  const off = onAccountChange(() => { if (!el.isConnected && account.loaded) { off(); return; } draw(); });
  if (!account.loaded) loadMe();
  return el;
}

function page(key, ...children) {
  return h('div', { class: 'lobby account-page', dataset: { screen: key } }, ...children);
}

function back(cb) {
  return h('p', { class: 'lobby-foot' }, h('a', {
    href: '/', class: 'btn btn-link', dataset: { key: 'to-lobby' },
    onclick: (e) => { e.preventDefault(); cb.go('/'); },
  }, 'Back to the lobby'));
}

/** renderRegister draws the sign-up page. cb: {go, toast}. */
export function renderRegister(cb) {
  const me = account.me;
  const f = form({
    id: 'register', title: 'Sign up',
    intro: me?.guest
      ? `Your games as ${me.display_name} stay yours: registering keeps this same player.`
      : 'An account keeps your games and stats, on any device.',
    fields: [
      { name: 'username', label: 'Username', autocomplete: 'username', hint: '3–20 letters, digits, _ or -', check: check.username },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', hint: 'At least 8 characters', check: check.password },
      { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', optional: true, hint: 'Only to tell you about your account', check: check.email },
    ],
    submit: 'Create my account',
    onSubmit: (v) => request('POST', '/api/auth/register', v),
    onDone: (r) => {
      setMe(r.data.user);
      cb.toast(`Welcome, ${displayName(r.data.user)}! You are signed in.`);
      cb.go('/');
    },
    foot: h('p', { class: 'hint' }, 'Already have an account? ', h('a', {
      href: '/login', dataset: { key: 'to-login' }, onclick: (e) => { e.preventDefault(); cb.go('/login'); },
    }, 'Log in')),
  });
  if (!account.loaded) loadMe();
  return page('register', f, back(cb));
}

/** renderLogin draws the sign-in page. cb: {go, toast}. */
export function renderLogin(cb) {
  const f = form({
    id: 'login', title: 'Log in',
    intro: account.me?.guest ? 'Your games as a guest on this device come along into your account.' : null,
    fields: [
      { name: 'username', label: 'Username', autocomplete: 'username', check: check.present },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', check: check.present },
    ],
    submit: 'Log in',
    onSubmit: (v) => request('POST', '/api/auth/login', v),
    onDone: (r) => {
      setMe(r.data.user);
      cb.toast(`Signed in as ${displayName(r.data.user)}.`);
      cb.go('/');
    },
    foot: h('p', { class: 'hint' }, 'New here? ', h('a', {
      href: '/register', dataset: { key: 'to-register' }, onclick: (e) => { e.preventDefault(); cb.go('/register'); },
    }, 'Sign up')),
  });
  if (!account.loaded) loadMe();
  return page('login', f, back(cb));
}

export { page as accountPage, back as backLink, setMe };
