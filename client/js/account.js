// account.js — who the visitor is (GET /api/me), making them a guest
// before their first room (so the WebSocket carries the session cookie),
// the lobby's account bar, and the sign-up and sign-in pages. The session
// itself is an HttpOnly cookie: no script here ever sees a token
// (docs/api.md).

import { h, replace } from './dom.js';
import { has, t, tx } from './i18n.js';
import { confirmDialog } from './dialogs.js';

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

/** ask asks a yes/no question in the page's own dialog; true for yes. */
export function ask(question, key, danger = false) {
  return confirmDialog({ title: question, body: '', yes: t('account.confirm.yes'), no: t('account.confirm.no'), danger, key });
}

/** displayName is how the user is shown. */
export function displayName(u) {
  return u?.username || u?.display_name || '';
}

// ---- words ---------------------------------------------------------------


/** codeText is the words for an account error code, or '' if it has none. */
function codeText(code) {
  return code && has(`account.error.${code}`) ? t(`account.error.${code}`) : '';
}

/** errorText is the words for an API error reply. */
export function errorText(r) {
  const d = r.data ?? {};
  if (d.code === 'rate_limited') return t('account.error.rate_limited', { seconds: r.retryAfter || 60 });
  // A ban's message carries the admin's reason, which only the server knows.
  if (d.code === 'banned' && d.message) return t('account.error.banned_reason', { message: capital(d.message) });
  return codeText(d.code) || d.message || t('account.error.http', { status: r.status });
}

function capital(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- validation, as the server's (docs/accounts.md) -----------------------

const USERNAME = /^[A-Za-z0-9_-]{3,20}$/;

export const check = {
  username: (v) => (USERNAME.test(v) ? '' : t('account.error.invalid_username')),
  password: (v, all) => {
    const n = [...v].length;
    if (n < 8) return t('account.check.short', { count: n });
    if (n > 128) return t('account.check.long');
    if (all?.username && v === all.username) return t('account.check.same');
    return '';
  },
  email: (v) => (v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? '' : t('account.error.invalid_email')),
  displayName: (v) => {
    const n = [...v.trim()].length;
    return n >= 1 && n <= 24 ? '' : t('account.check.name');
  },
  present: (v) => (v ? '' : t('account.check.required')),
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
    const err = h('span', { class: 'acct-field-error', id: `${id}-err`, 'aria-live': 'polite' });
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
    return h('div', { class: 'field' }, h('label', { for: id }, f.label, f.optional && h('span', { class: 'muted' }, t('account.form.optional'))), input, hint, err);
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

  function tell(text) {
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
        tell(t('account.form.fix', { count: bad.length }));
        inputs[bad[0].name].focus();
        return;
      }
      tell('');
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
        show(name, codeText(code) || code);
        first ??= name;
      }
      tell(errorText(r));
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
  el.tell = tell;
  return el;
}

// ---- pages and the bar ----------------------------------------------------

/**
 * accountBar is the lobby's header: who you are, and the ways to sign up,
 * in or out. It fills itself in once the server has answered. cb: {go(path),
 * toast(msg, kind)}.
 */
export function accountBar(cb) {
  const el = h('nav', { class: 'account-bar', 'aria-label': t('account.bar.label'), dataset: { key: 'account-bar' } });
  const link = (path, text, key, cls = 'btn btn-small') => h('a', {
    href: path, class: cls, dataset: { key },
    onclick: (e) => { e.preventDefault(); cb.go(path); },
  }, text);
  const draw = () => {
    if (!account.on) { el.hidden = true; return; }
    const me = account.me;
    if (!account.loaded) { replace(el, h('span', { class: 'muted', 'aria-busy': 'true' }, '…')); return; }
    if (!me || me.guest) {
      replace(el,
        h('span', { class: 'account-who' }, me ? tx('account.bar.guest', { name: h('b', null, me.display_name) }) : t('account.bar.anonymous')),
        h('span', { class: 'row' },
          link('/register', t('account.bar.signup'), 'nav-register', 'btn btn-small btn-primary'),
          link('/login', t('account.bar.login'), 'nav-login')));
      return;
    }
    // A new browser knows no name yet: the account's is the one to play under.
    for (const input of document.querySelectorAll('#app input[name="name"]')) if (!input.value) input.value = me.display_name;
    replace(el,
      h('span', { class: 'account-who' }, tx('account.bar.signed_in', { name: h('b', null, displayName(me)) }), me.role === 'admin' ? h('span', { class: 'acct-badge' }, t('account.bar.admin')) : null),
      h('span', { class: 'row' },
        link('/profile', t('account.bar.profile'), 'nav-profile'),
        me.role === 'admin' && link('/admin', t('account.bar.admin_page'), 'nav-admin'),
        h('button', {
          type: 'button', class: 'btn btn-small', dataset: { key: 'nav-logout' },
          onclick: async () => {
            const r = await signOut();
            if (r.ok) cb.toast(t('account.signed_out'));
            else cb.toast(errorText(r), 'error');
          },
        }, t('account.bar.logout'))));
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
  }, t('common.back_to_lobby')));
}

/** renderRegister draws the sign-up page. cb: {go, toast}. */
export function renderRegister(cb) {
  const me = account.me;
  const f = form({
    id: 'register', title: t('account.register.title'),
    intro: me?.guest ? t('account.register.intro_guest', { name: me.display_name }) : t('account.register.intro'),
    fields: [
      { name: 'username', label: t('account.field.username'), autocomplete: 'username', hint: t('account.field.username_hint'), check: check.username },
      { name: 'password', label: t('account.field.password'), type: 'password', autocomplete: 'new-password', hint: t('account.field.password_hint'), check: check.password },
      { name: 'email', label: t('account.field.email'), type: 'email', autocomplete: 'email', optional: true, hint: t('account.field.email_hint'), check: check.email },
    ],
    submit: t('account.register.submit'),
    onSubmit: (v) => request('POST', '/api/auth/register', v),
    onDone: (r) => {
      setMe(r.data.user);
      cb.toast(t('account.register.welcome', { name: displayName(r.data.user) }));
      cb.go('/');
    },
    foot: h('p', { class: 'hint' }, t('account.register.have'), h('a', {
      href: '/login', dataset: { key: 'to-login' }, onclick: (e) => { e.preventDefault(); cb.go('/login'); },
    }, t('account.bar.login'))),
  });
  if (!account.loaded) loadMe();
  return page('register', f, back(cb));
}

/** renderLogin draws the sign-in page. cb: {go, toast}. */
export function renderLogin(cb) {
  const f = form({
    id: 'login', title: t('account.login.title'),
    intro: account.me?.guest ? t('account.login.intro_guest') : null,
    fields: [
      { name: 'username', label: t('account.field.username'), autocomplete: 'username', check: check.present },
      { name: 'password', label: t('account.field.password'), type: 'password', autocomplete: 'current-password', check: check.present },
    ],
    submit: t('account.login.submit'),
    onSubmit: (v) => request('POST', '/api/auth/login', v),
    onDone: (r) => {
      setMe(r.data.user);
      cb.toast(t('account.login.done', { name: displayName(r.data.user) }));
      cb.go('/');
    },
    foot: h('p', { class: 'hint' }, t('account.login.new'), h('a', {
      href: '/register', dataset: { key: 'to-register' }, onclick: (e) => { e.preventDefault(); cb.go('/register'); },
    }, t('account.bar.signup'))),
  });
  if (!account.loaded) loadMe();
  return page('login', f, back(cb));
}

export { page as accountPage, back as backLink, setMe };
