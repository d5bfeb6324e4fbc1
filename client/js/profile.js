// profile.js — the signed-in user's own page: their name, the devices
// signed in (each can be signed out), the password, and closing the
// account. Stats come with the next update.

import { h, replace } from './dom.js';
import { account, accountPage, backLink, check, displayName, errorText, form, loadMe, request, setMe } from './account.js';

/** shortAgent turns a user agent into "Chrome on Linux"-like words. */
export function shortAgent(ua) {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : ua.split(/[ /]/)[0];
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** renderProfile draws the profile page. cb: {go, toast}. */
export function renderProfile(cb) {
  const body = h('div', { class: 'profile-body' }, h('p', { class: 'panel', role: 'status' }, 'Loading…'));
  const root = accountPage('profile', h('h1', { class: 'page-title' }, 'Your profile'), body, backLink(cb));
  (async () => {
    const me = await loadMe();
    if (!me) {
      replace(body, h('div', { class: 'panel' },
        h('p', null, 'You are not signed in.'),
        h('a', { href: '/login', class: 'btn btn-primary', onclick: (e) => { e.preventDefault(); cb.go('/login'); } }, 'Log in')));
      return;
    }
    replace(body, nameSection(me, cb), sessionsSection(cb), !me.guest && passwordSection(cb), deleteSection(me, cb),
      h('p', { class: 'hint' }, 'Your statistics will appear here with the next update.'));
  })();
  return root;
}

function nameSection(me, cb) {
  return h('section', { class: 'panel', 'aria-labelledby': 'profile-name-title' },
    h('h2', { id: 'profile-name-title' }, me.guest ? 'Guest' : displayName(me)),
    h('dl', { class: 'facts' },
      h('dt', null, 'Username'), h('dd', null, me.username || 'none yet — sign up to keep your games'),
      h('dt', null, 'Member since'), h('dd', null, when(me.created_at)),
      me.role === 'admin' && [h('dt', null, 'Role'), h('dd', null, 'admin')]),
    form({
      id: 'profile-name', submit: 'Save', submitClass: 'btn btn-primary',
      fields: [
        { name: 'display_name', label: 'Name shown at the table', value: me.display_name, check: check.displayName, autocomplete: 'nickname' },
        { name: 'email', label: 'Email', type: 'email', value: me.email ?? '', optional: true, check: check.email, autocomplete: 'email' },
      ],
      onSubmit: (v) => request('PATCH', '/api/me', v),
      onDone: (r) => { setMe(r.data.user); cb.toast('Saved.'); },
    }));
}

function sessionsSection(cb) {
  const list = h('ul', { class: 'sessions', 'aria-live': 'polite' }, h('li', null, 'Loading…'));
  const load = async () => {
    const r = await request('GET', '/api/me/sessions');
    if (!r.ok) { replace(list, h('li', { class: 'warn' }, errorText(r))); return; }
    replace(list, r.data.sessions.map((s) => h('li', { class: 'session' },
      h('span', null,
        h('b', null, shortAgent(s.user_agent)), s.current && h('span', { class: 'badge' }, 'this device'),
        h('br'), h('span', { class: 'hint' }, `${s.ip || 'unknown address'} · last used ${when(s.last_used_at)}`)),
      !s.current && h('button', {
        type: 'button', class: 'btn btn-small', dataset: { key: `revoke-${s.id}` },
        'aria-label': `Sign out ${shortAgent(s.user_agent)}, last used ${when(s.last_used_at)}`,
        onclick: async () => {
          const r = await request('DELETE', `/api/me/sessions/${encodeURIComponent(s.id)}`);
          if (r.ok) { cb.toast('That device is signed out.'); load(); } else cb.toast(errorText(r), 'error');
        },
      }, 'Sign out'))));
  };
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, 'Where you are signed in'),
    list,
    h('button', {
      type: 'button', class: 'btn', dataset: { key: 'logout-all' },
      onclick: async () => {
        if (!window.confirm('Sign out on every device, this one included?')) return;
        const r = await request('POST', '/api/auth/logout-all');
        if (!r.ok) { cb.toast(errorText(r), 'error'); return; }
        setMe(null);
        cb.toast('Signed out everywhere.');
        cb.go('/');
      },
    }, 'Log out everywhere'));
}

function passwordSection(cb) {
  const f = form({
    id: 'password', title: 'Change password', submit: 'Change password', submitClass: 'btn btn-primary',
    intro: 'Every other device is signed out; this one stays signed in.',
    fields: [
      { name: 'password', label: 'Current password', type: 'password', autocomplete: 'current-password', check: check.present },
      { name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password', hint: 'At least 8 characters', check: (v) => check.password(v, { username: account.me?.username }) },
    ],
    onSubmit: (v) => request('POST', '/api/me/password', v),
    onDone: () => {
      cb.toast('Password changed. Other devices are signed out.');
      for (const el of f.querySelectorAll('input')) el.value = '';
    },
  });
  return f;
}

function deleteSection(me, cb) {
  const fields = me.guest ? [] : [{ name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', check: check.present }];
  return form({
    id: 'delete', title: 'Delete account', submit: 'Delete my account', submitClass: 'btn btn-danger',
    intro: 'Your username and email are erased and you are signed out everywhere. Games you played stay in their history under an anonymous name.',
    fields,
    onSubmit: (v) => (window.confirm('Delete your account for good?')
      ? request('DELETE', '/api/me', v)
      : Promise.resolve({ ok: false, status: 0, data: { code: 'cancelled', message: 'Not deleted.' } })),
    onDone: () => {
      setMe(null);
      cb.toast('Your account is deleted.');
      cb.go('/');
    },
  });
}
