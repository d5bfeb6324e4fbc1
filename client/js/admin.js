// admin.js — the admin page: find users and ban, unban, promote or
// demote them; the active games, ending a stuck one; the audit log. The
// server checks every action (docs/api.md); this page only asks.

import { h, replace } from './dom.js';
import { accountPage, backLink, errorText, loadMe, request } from './account.js';

const DURATIONS = [
  ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'], ['2592000', '30 days'], ['0', 'Until lifted'],
];

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

function nameOf(u) {
  return u.username || `${u.display_name} (guest)`;
}

/** renderAdmin draws the admin page. cb: {go, toast}. */
export function renderAdmin(cb) {
  const body = h('div', { class: 'admin-body' }, h('p', { class: 'panel', role: 'status' }, 'Loading…'));
  const root = accountPage('admin', h('h1', { class: 'page-title' }, 'Admin'), body, backLink(cb));
  (async () => {
    const me = await loadMe();
    if (!me || me.role !== 'admin') {
      replace(body, h('p', { class: 'panel warn', role: 'alert' }, 'Only admins can see this page.'));
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
  const q = h('input', { id: 'admin-q', type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false', placeholder: 'username starts with…', dataset: { key: 'admin-q' } });
  const search = async () => {
    const r = await request('GET', `/api/admin/users?q=${encodeURIComponent(q.value.trim())}&limit=50`);
    if (!r.ok) { replace(results, h('li', { class: 'warn' }, errorText(r))); return; }
    if (!r.data.users.length) { replace(results, h('li', { class: 'muted' }, 'No registered user starts with that.')); return; }
    replace(results, r.data.users.map((u) => h('li', null,
      h('button', {
        type: 'button', class: 'btn btn-link', dataset: { key: `user-${u.id}` },
        onclick: () => showUser(u.id),
      }, nameOf(u)),
      u.role === 'admin' && h('span', { class: 'badge' }, 'admin'),
      h('span', { class: 'hint' }, ` last seen ${when(u.last_seen_at)}`))));
  };
  const showUser = async (id) => {
    const r = await request('GET', `/api/admin/users/${encodeURIComponent(id)}`);
    if (!r.ok) { replace(detail, h('p', { class: 'warn', role: 'alert' }, errorText(r))); return; }
    replace(detail, userDetail(r.data, cb, () => { showUser(id); changed(); }));
    detail.querySelector('h3')?.focus();
  };
  return h('section', { class: 'panel', 'aria-labelledby': 'admin-users-title' },
    h('h2', { id: 'admin-users-title' }, 'Users'),
    h('form', {
      class: 'row admin-search', role: 'search', onsubmit: (e) => { e.preventDefault(); search(); },
    }, h('label', { for: 'admin-q', class: 'sr-only' }, 'Find users'), q,
    h('button', { type: 'submit', class: 'btn', dataset: { key: 'admin-search' } }, 'Find')),
    results, detail);
}

function userDetail({ user: u, bans, online }, cb, changed) {
  const active = bans.find((b) => b.active);
  const reason = h('input', { id: 'ban-reason', type: 'text', name: 'reason', maxlength: '500', required: true, autocomplete: 'off', dataset: { key: 'ban-reason' } });
  const reasonErr = h('span', { class: 'field-error', id: 'ban-reason-err', 'aria-live': 'polite' });
  reason.setAttribute('aria-describedby', 'ban-reason-err');
  const length = h('select', { id: 'ban-length', name: 'expires_in', dataset: { key: 'ban-length' } },
    DURATIONS.map(([v, t]) => h('option', { value: v }, t)));
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
      reasonErr.textContent = text ? '' : 'A ban needs a reason: the user is shown it.';
      reason.toggleAttribute('aria-invalid', !text);
      if (!text) { reason.focus(); return; }
      await act('POST', `/api/admin/users/${id}/ban`, { reason: text, expires_in: Number(length.value) }, `${nameOf(u)} is banned.`);
    },
  },
  h('h4', { id: 'ban-title' }, 'Ban'),
  h('div', { class: 'field' }, h('label', { for: 'ban-reason' }, 'Reason (shown to them)'), reason, reasonErr),
  h('div', { class: 'field' }, h('label', { for: 'ban-length' }, 'For'), length),
  h('button', { type: 'submit', class: 'btn btn-danger', dataset: { key: 'ban-submit' } }, 'Ban and disconnect'));
  return h('article', { class: 'user-card' },
    h('h3', { tabindex: '-1' }, nameOf(u), u.role === 'admin' && h('span', { class: 'badge' }, 'admin')),
    h('dl', { class: 'facts' },
      h('dt', null, 'Id'), h('dd', null, h('code', null, u.id)),
      h('dt', null, 'Name at the table'), h('dd', null, u.display_name),
      h('dt', null, 'Joined'), h('dd', null, when(u.created_at)),
      h('dt', null, 'Connected here'), h('dd', null, String(online)),
      h('dt', null, 'Status'), h('dd', null, !u.active ? 'closed' : active
        ? `banned${active.expires_at ? ' until ' + when(active.expires_at) : ''}: ${active.reason}` : 'in good standing')),
    h('div', { class: 'row' },
      u.active && !u.guest && (u.role === 'admin'
        ? h('button', { type: 'button', class: 'btn', dataset: { key: 'demote' }, onclick: () => act('PUT', `/api/admin/users/${id}/role`, { role: 'player' }, `${nameOf(u)} is a player now.`) }, 'Demote to player')
        : h('button', { type: 'button', class: 'btn', dataset: { key: 'promote' }, onclick: () => window.confirm(`Make ${nameOf(u)} an admin?`) && act('PUT', `/api/admin/users/${id}/role`, { role: 'admin' }, `${nameOf(u)} is an admin now.`) }, 'Promote to admin')),
      active && h('button', { type: 'button', class: 'btn', dataset: { key: 'unban' }, onclick: () => act('DELETE', `/api/admin/users/${id}/ban`, undefined, `${nameOf(u)} is unbanned.`) }, 'Lift the ban')),
    u.active && u.role !== 'admin' && !active && banForm,
    bans.length > 0 && h('details', null, h('summary', null, `Bans (${bans.length})`),
      h('ul', null, bans.map((b) => h('li', null, `${when(b.created_at)}: ${b.reason}`,
        b.expires_at ? ` — until ${when(b.expires_at)}` : ' — until lifted', b.lifted_at ? ` (lifted ${when(b.lifted_at)})` : '')))));
}

function gamesSection(cb, changed) {
  const table = h('div', { class: 'table-wrap', 'aria-live': 'polite' });
  const load = async () => {
    const r = await request('GET', '/api/admin/games');
    if (!r.ok) { replace(table, h('p', { class: 'warn' }, errorText(r))); return; }
    if (!r.data.games.length) { replace(table, h('p', { class: 'muted' }, 'No game is being played.')); return; }
    replace(table, h('table', { class: 'admin-table' },
      h('caption', { class: 'sr-only' }, 'Active games'),
      h('thead', null, h('tr', null, ['Room', 'Phase', 'Players', 'Started', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, r.data.games.map((g) => h('tr', null,
        h('td', null, h('code', null, g.room)),
        h('td', null, g.open ? g.phase : h('span', { class: 'warn' }, 'no table')),
        h('td', null, g.seats ? g.seats.map((s) => s.name + (s.cpu ? ' (CPU)' : '')).join(', ') : `${g.player_ids.length} players`),
        h('td', null, when(g.created_at)),
        h('td', null, h('button', {
          type: 'button', class: 'btn btn-small btn-danger', dataset: { key: `end-${g.id}` }, 'aria-label': `End the game in room ${g.room}`,
          onclick: async () => {
            if (!window.confirm(`End the game in room ${g.room} for everyone? It is recorded as abandoned.`)) return;
            const r = await request('POST', `/api/admin/games/${encodeURIComponent(g.id)}/end`);
            if (!r.ok) { cb.toast(errorText(r), 'error'); return; }
            cb.toast(`The game in room ${g.room} is ended.`);
            load();
            changed();
          },
        }, 'End')))))));
  };
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'admin-games-title' },
    h('h2', { id: 'admin-games-title' }, 'Active games'),
    h('button', { type: 'button', class: 'btn btn-small', dataset: { key: 'games-refresh' }, onclick: load }, 'Refresh'),
    table);
}

function detailText(action, d) {
  switch (action) {
    case 'ban': return d.reason + (d.expires_at ? ` (until ${when(d.expires_at)})` : ' (until lifted)');
    case 'set_role': return `${d.was ?? '?'} → ${d.role}`;
    case 'end_game': return `game ${String(d.game_id).slice(0, 8)}…`;
    default: return '';
  }
}

function auditSection() {
  const table = h('div', { class: 'table-wrap', 'aria-live': 'polite' });
  const load = async () => {
    const r = await request('GET', '/api/admin/audit?limit=50');
    if (!r.ok) { replace(table, h('p', { class: 'warn' }, errorText(r))); return; }
    if (!r.data.entries.length) { replace(table, h('p', { class: 'muted' }, 'No admin action yet.')); return; }
    replace(table, h('table', { class: 'admin-table' },
      h('caption', { class: 'sr-only' }, 'Audit log, newest first'),
      h('thead', null, h('tr', null, ['When', 'Who', 'Action', 'Whom', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, r.data.entries.map((e) => h('tr', null,
        h('td', null, when(e.at)),
        h('td', null, e.actor || (e.actor_id ? e.actor_id.slice(0, 8) : 'operator')),
        h('td', null, e.action.replace('_', ' ')),
        h('td', null, e.target || (e.target_id ? e.target_id.slice(0, 8) : '—')),
        h('td', null, detailText(e.action, e.detail ?? {})))))));
  };
  load();
  const el = h('section', { class: 'panel', 'aria-labelledby': 'admin-audit-title' },
    h('h2', { id: 'admin-audit-title' }, 'Audit log'), table);
  el.load = load;
  return el;
}
