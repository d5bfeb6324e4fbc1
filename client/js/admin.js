// admin.js — the admin page: find users and ban, unban, promote or
// demote them; the active games, ending a stuck one; the audit log. The
// server checks every action (docs/api.md); this page only asks.

import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { accountPage, ask, backLink, errorText, loadMe, request } from './account.js';

// Ban lengths in seconds; each is worded by admin.d.<seconds>.
const DURATIONS = ['3600', '86400', '604800', '2592000', '0'];

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

function nameOf(u) {
  return u.username || t('admin.guest_name', { name: u.display_name });
}

/** renderAdmin draws the admin page. cb: {go, toast}. */
export function renderAdmin(cb) {
  const body = h('div', { class: 'admin-body' }, h('p', { class: 'panel', role: 'status' }, t('me.loading')));
  const root = accountPage('admin', h('h1', { class: 'page-title' }, t('admin.title')), body, backLink(cb));
  (async () => {
    const me = await loadMe();
    if (!me || me.role !== 'admin') {
      replace(body, h('p', { class: 'panel warn', role: 'alert' }, t('admin.only')));
      return;
    }
    const audit = auditSection(cb);
    const refresh = () => audit.load();
    replace(body, usersSection(cb, refresh), gamesSection(cb, refresh), audit);
  })();
  return root;
}

function usersSection(cb, changed) {
  const results = h('ul', { class: 'admin-list', 'aria-live': 'polite' });
  const detail = h('div', { class: 'admin-detail' });
  const q = h('input', { id: 'admin-q', type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false', placeholder: t('admin.find_placeholder'), dataset: { key: 'admin-q' } });
  const search = async () => {
    const r = await request('GET', `/api/admin/users?q=${encodeURIComponent(q.value.trim())}&limit=50`);
    if (!r.ok) { replace(results, h('li', { class: 'warn' }, errorText(r))); return; }
    if (!r.data.users.length) { replace(results, h('li', { class: 'muted' }, t('admin.none_found'))); return; }
    replace(results, r.data.users.map((u) => h('li', null,
      h('button', {
        type: 'button', class: 'btn btn-link', dataset: { key: `user-${u.id}` },
        onclick: () => showUser(u.id),
      }, nameOf(u)),
      u.role === 'admin' && h('span', { class: 'acct-badge' }, t('account.bar.admin')),
      h('span', { class: 'hint' }, t('admin.last_seen', { when: when(u.last_seen_at) })))));
  };
  const showUser = async (id) => {
    const r = await request('GET', `/api/admin/users/${encodeURIComponent(id)}`);
    if (!r.ok) { replace(detail, h('p', { class: 'warn', role: 'alert' }, errorText(r))); return; }
    replace(detail, userDetail(r.data, cb, () => { showUser(id); changed(); }));
    detail.querySelector('h3')?.focus();
  };
  return h('section', { class: 'panel', 'aria-labelledby': 'admin-users-title' },
    h('h2', { id: 'admin-users-title' }, t('admin.users')),
    h('form', {
      class: 'row admin-search', role: 'search', onsubmit: (e) => { e.preventDefault(); search(); },
    }, h('label', { for: 'admin-q', class: 'sr-only' }, t('admin.find_label')), q,
    h('button', { type: 'submit', class: 'btn', dataset: { key: 'admin-search' } }, t('admin.find'))),
    results, detail);
}

function userDetail({ user: u, bans, online }, cb, changed) {
  const active = bans.find((b) => b.active);
  const reason = h('input', { id: 'ban-reason', type: 'text', name: 'reason', maxlength: '500', required: true, autocomplete: 'off', dataset: { key: 'ban-reason' } });
  const reasonErr = h('span', { class: 'acct-field-error', id: 'ban-reason-err', 'aria-live': 'polite' });
  reason.setAttribute('aria-describedby', 'ban-reason-err');
  const length = h('select', { id: 'ban-length', name: 'expires_in', dataset: { key: 'ban-length' } },
    DURATIONS.map((v) => h('option', { value: v }, t(`admin.d.${v}`))));
  const act = async (method, path, body, done) => {
    const r = await request(method, path, body);
    if (!r.ok) { cb.toast(errorText(r), 'error'); return false; }
    cb.toast(done);
    changed();
    return true;
  };
  const id = encodeURIComponent(u.id);
  const banForm = h('form', {
    class: 'ban-form', 'aria-labelledby': 'ban-title', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const text = reason.value.trim();
      reasonErr.textContent = text ? '' : t('admin.ban_reason_needed');
      reason.toggleAttribute('aria-invalid', !text);
      if (!text) { reason.focus(); return; }
      await act('POST', `/api/admin/users/${id}/ban`, { reason: text, expires_in: Number(length.value) }, t('admin.banned', { name: nameOf(u) }));
    },
  },
  h('h4', { id: 'ban-title' }, t('admin.ban')),
  h('div', { class: 'field' }, h('label', { for: 'ban-reason' }, t('admin.ban_reason')), reason, reasonErr),
  h('div', { class: 'field' }, h('label', { for: 'ban-length' }, t('admin.ban_for')), length),
  h('button', { type: 'submit', class: 'btn btn-danger', dataset: { key: 'ban-submit' } }, t('admin.ban_submit')));
  return h('article', { class: 'user-card' },
    h('h3', { tabindex: '-1' }, nameOf(u), u.role === 'admin' && h('span', { class: 'acct-badge' }, t('account.bar.admin'))),
    h('dl', { class: 'facts' },
      h('dt', null, t('admin.id')), h('dd', null, h('code', null, u.id)),
      h('dt', null, t('admin.table_name')), h('dd', null, u.display_name),
      h('dt', null, t('admin.joined')), h('dd', null, when(u.created_at)),
      h('dt', null, t('admin.online')), h('dd', null, String(online)),
      h('dt', null, t('admin.status')), h('dd', null, !u.active ? t('admin.closed') : !active ? t('admin.good')
        : active.expires_at ? t('admin.banned_until', { when: when(active.expires_at), reason: active.reason })
          : t('admin.banned_forever', { reason: active.reason }))),
    h('div', { class: 'row' },
      u.active && !u.guest && (u.role === 'admin'
        ? h('button', { type: 'button', class: 'btn', dataset: { key: 'demote' }, onclick: () => act('PUT', `/api/admin/users/${id}/role`, { role: 'player' }, t('admin.demoted', { name: nameOf(u) })) }, t('admin.demote'))
        : h('button', {
          type: 'button', class: 'btn', dataset: { key: 'promote' },
          onclick: async () => await ask(t('admin.promote_confirm', { name: nameOf(u) }), 'promote') && act('PUT', `/api/admin/users/${id}/role`, { role: 'admin' }, t('admin.promoted', { name: nameOf(u) })),
        }, t('admin.promote'))),
      active && h('button', { type: 'button', class: 'btn', dataset: { key: 'unban' }, onclick: () => act('DELETE', `/api/admin/users/${id}/ban`, undefined, t('admin.unbanned', { name: nameOf(u) })) }, t('admin.unban'))),
    u.active && u.role !== 'admin' && !active && banForm,
    bans.length > 0 && h('details', null, h('summary', null, t('admin.bans', { count: bans.length })),
      h('ul', null, bans.map((b) => h('li', null,
        b.expires_at ? t('admin.ban_line_until', { when: when(b.created_at), reason: b.reason, until: when(b.expires_at) })
          : t('admin.ban_line_forever', { when: when(b.created_at), reason: b.reason }),
        b.lifted_at ? t('admin.ban_lifted', { when: when(b.lifted_at) }) : '')))));
}

function gamesSection(cb, changed) {
  const table = h('div', { class: 'table-wrap', 'aria-live': 'polite' });
  const load = async () => {
    const r = await request('GET', '/api/admin/games');
    if (!r.ok) { replace(table, h('p', { class: 'warn' }, errorText(r))); return; }
    if (!r.data.games.length) { replace(table, h('p', { class: 'muted' }, t('admin.no_games'))); return; }
    replace(table, h('table', { class: 'admin-table' },
      h('caption', { class: 'sr-only' }, t('admin.games_caption')),
      h('thead', null, h('tr', null, [t('admin.col.room'), t('admin.col.phase'), t('admin.col.players'), t('admin.col.started'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, r.data.games.map((g) => h('tr', null,
        h('td', null, h('code', null, g.room)),
        h('td', null, g.open ? g.phase : h('span', { class: 'warn' }, t('admin.no_table'))),
        h('td', null, g.seats ? g.seats.map((s) => (s.cpu ? t('admin.cpu', { name: s.name }) : s.name)).join(', ') : t('admin.n_players', { count: g.player_ids.length })),
        h('td', null, when(g.created_at)),
        h('td', null, h('button', {
          type: 'button', class: 'btn btn-small btn-danger', dataset: { key: `end-${g.id}` }, 'aria-label': t('admin.end_label', { room: g.room }),
          onclick: async () => {
            if (!await ask(t('admin.end_confirm', { room: g.room }), 'end-game', true)) return;
            const r = await request('POST', `/api/admin/games/${encodeURIComponent(g.id)}/end`);
            if (!r.ok) { cb.toast(errorText(r), 'error'); return; }
            cb.toast(t('admin.ended', { room: g.room }));
            load();
            changed();
          },
        }, t('admin.end'))))))));
  };
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'admin-games-title' },
    h('h2', { id: 'admin-games-title' }, t('admin.games')),
    h('button', { type: 'button', class: 'btn btn-small', dataset: { key: 'games-refresh' }, onclick: load }, t('admin.refresh')),
    table);
}

function detailText(action, d) {
  switch (action) {
    case 'ban': return d.expires_at ? t('admin.detail.until', { reason: d.reason, when: when(d.expires_at) }) : t('admin.detail.forever', { reason: d.reason });
    case 'set_role': return `${d.was ?? '?'} → ${d.role}`;
    case 'end_game': return t('admin.detail.game', { id: String(d.game_id).slice(0, 8) });
    default: return '';
  }
}

function auditSection() {
  const table = h('div', { class: 'table-wrap', 'aria-live': 'polite' });
  const load = async () => {
    const r = await request('GET', '/api/admin/audit?limit=50');
    if (!r.ok) { replace(table, h('p', { class: 'warn' }, errorText(r))); return; }
    if (!r.data.entries.length) { replace(table, h('p', { class: 'muted' }, t('admin.no_audit'))); return; }
    replace(table, h('table', { class: 'admin-table' },
      h('caption', { class: 'sr-only' }, t('admin.audit_caption')),
      h('thead', null, h('tr', null, ['when', 'who', 'action', 'whom', 'detail'].map((c) => h('th', { scope: 'col' }, t(`admin.col.${c}`))))),
      h('tbody', null, r.data.entries.map((e) => h('tr', null,
        h('td', null, when(e.at)),
        h('td', null, e.actor || (e.actor_id ? e.actor_id.slice(0, 8) : t('admin.operator'))),
        h('td', null, t(`admin.action.${e.action}`)),
        h('td', null, e.target || (e.target_id ? e.target_id.slice(0, 8) : '—')),
        h('td', null, detailText(e.action, e.detail ?? {})))))));
  };
  load();
  const el = h('section', { class: 'panel', 'aria-labelledby': 'admin-audit-title' },
    h('h2', { id: 'admin-audit-title' }, t('admin.audit')), table);
  el.load = load;
  return el;
}
