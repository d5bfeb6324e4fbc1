// profile.js — the signed-in user's own page: their name, the devices
// signed in (each can be signed out), the password, and closing the
// account. Stats come with the next update.

import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { account, accountPage, ask, backLink, check, displayName, errorText, form, loadMe, request, setMe } from './account.js';

/** shortAgent turns a user agent into "Chrome on Linux"-like words. */
export function shortAgent(ua) {
  if (!ua) return t('me.unknown_device');
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : ua.split(/[ /]/)[0];
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? t('me.device', { browser, os }) : browser;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** renderProfile draws the profile page. cb: {go, toast}. */
export function renderProfile(cb) {
  const body = h('div', { class: 'profile-body' }, h('p', { class: 'panel', role: 'status' }, t('me.loading')));
  const root = accountPage('profile', h('h1', { class: 'page-title' }, t('me.title')), body, backLink(cb));
  (async () => {
    const me = await loadMe();
    if (!me) {
      replace(body, h('div', { class: 'panel' },
        h('p', null, t('me.not_signed_in')),
        h('a', { href: '/login', class: 'btn btn-primary', onclick: (e) => { e.preventDefault(); cb.go('/login'); } }, t('account.bar.login'))));
      return;
    }
    replace(body, nameSection(me, cb), sessionsSection(cb), !me.guest && passwordSection(cb), deleteSection(me, cb),
      h('p', { class: 'hint' }, t('me.stats_soon')));
  })();
  return root;
}

function nameSection(me, cb) {
  return h('section', { class: 'panel', 'aria-labelledby': 'profile-name-title' },
    h('h2', { id: 'profile-name-title' }, me.guest ? t('me.guest') : displayName(me)),
    h('dl', { class: 'facts' },
      h('dt', null, t('me.username')), h('dd', null, me.username || t('me.no_username')),
      h('dt', null, t('me.since')), h('dd', null, when(me.created_at)),
      me.role === 'admin' && [h('dt', null, t('me.role')), h('dd', null, t('account.bar.admin'))]),
    form({
      id: 'profile-name', submit: t('me.save'), submitClass: 'btn btn-primary',
      fields: [
        { name: 'display_name', label: t('me.display_name'), value: me.display_name, check: check.displayName, autocomplete: 'nickname' },
        { name: 'email', label: t('account.field.email'), type: 'email', value: me.email ?? '', optional: true, check: check.email, autocomplete: 'email' },
      ],
      onSubmit: (v) => request('PATCH', '/api/me', v),
      onDone: (r) => { setMe(r.data.user); cb.toast(t('me.saved')); },
    }));
}

function sessionsSection(cb) {
  const list = h('ul', { class: 'sessions', 'aria-live': 'polite' }, h('li', null, t('me.loading')));
  const load = async () => {
    const r = await request('GET', '/api/me/sessions');
    if (!r.ok) { replace(list, h('li', { class: 'warn' }, errorText(r))); return; }
    replace(list, r.data.sessions.map((s) => h('li', { class: 'session' },
      h('span', null,
        h('b', null, shortAgent(s.user_agent)), s.current && h('span', { class: 'acct-badge' }, t('me.this_device')),
        h('br'), h('span', { class: 'hint' }, t('me.session_line', { ip: s.ip || t('me.unknown_ip'), when: when(s.last_used_at) }))),
      !s.current && h('button', {
        type: 'button', class: 'btn btn-small', dataset: { key: `revoke-${s.id}` },
        'aria-label': t('me.sign_out_label', { device: shortAgent(s.user_agent), when: when(s.last_used_at) }),
        onclick: async () => {
          const r = await request('DELETE', `/api/me/sessions/${encodeURIComponent(s.id)}`);
          if (r.ok) { cb.toast(t('me.signed_out_device')); load(); } else cb.toast(errorText(r), 'error');
        },
      }, t('me.sign_out')))));
  };
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, t('me.sessions')),
    list,
    h('button', {
      type: 'button', class: 'btn', dataset: { key: 'logout-all' },
      onclick: async () => {
        if (!await ask(t('me.logout_all_confirm'), 'logout-all')) return;
        const r = await request('POST', '/api/auth/logout-all');
        if (!r.ok) { cb.toast(errorText(r), 'error'); return; }
        setMe(null);
        cb.toast(t('me.logged_out_all'));
        cb.go('/');
      },
    }, t('me.logout_all')));
}

function passwordSection(cb) {
  const f = form({
    id: 'password', title: t('me.password_title'), submit: t('me.password_title'), submitClass: 'btn btn-primary',
    intro: t('me.password_intro'),
    fields: [
      { name: 'password', label: t('me.current_password'), type: 'password', autocomplete: 'current-password', check: check.present },
      { name: 'new_password', label: t('me.new_password'), type: 'password', autocomplete: 'new-password', hint: t('account.field.password_hint'), check: (v) => check.password(v, { username: account.me?.username }) },
    ],
    onSubmit: (v) => request('POST', '/api/me/password', v),
    onDone: () => {
      cb.toast(t('me.password_changed'));
      for (const el of f.querySelectorAll('input')) el.value = '';
    },
  });
  return f;
}

function deleteSection(me, cb) {
  const fields = me.guest ? [] : [{ name: 'password', label: t('me.your_password'), type: 'password', autocomplete: 'current-password', check: check.present }];
  return form({
    id: 'delete', title: t('me.delete_title'), submit: t('me.delete'), submitClass: 'btn btn-danger',
    intro: t('me.delete_intro'),
    fields,
    onSubmit: async (v) => (await ask(t('me.delete_confirm'), 'delete', true)
      ? request('DELETE', '/api/me', v)
      : { ok: false, status: 0, data: { code: 'cancelled' } }),
    onDone: () => {
      setMe(null);
      cb.toast(t('me.deleted'));
      cb.go('/');
    },
  });
}
