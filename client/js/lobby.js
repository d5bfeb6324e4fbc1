// lobby.js — the front door: pick a name (remembered), create a room or
// join one by code; and the join screen an invite link opens (/r/{code}),
// which shows who is already at the table.

import { icon } from './icons.js';
import { h } from './dom.js';
import { store } from './store.js';

const NAME_MAX = 24;

/** cleanName trims a name and reports whether it is usable (1–24 characters). */
export function cleanName(raw) {
  const name = String(raw ?? '').trim().replace(/\s+/g, ' ');
  return { name, ok: name.length > 0 && [...name].length <= NAME_MAX };
}

/** cleanCode upper-cases a room code and drops everything but letters and digits. */
export function cleanCode(raw) {
  return String(raw ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);
}

function nameField(id) {
  return h('div', { class: 'field' },
    h('label', { for: id }, 'Your name'),
    h('input', {
      id, name: 'name', type: 'text', autocomplete: 'nickname', maxlength: String(NAME_MAX), required: true,
      value: store.name(), placeholder: 'e.g. Ann', spellcheck: 'false', dataset: { key: id },
    }));
}

function brand() {
  return h('header', { class: 'hero' },
    h('div', { class: 'hero-cards', 'aria-hidden': 'true' },
      h('span', { class: 'hc hc1' }), h('span', { class: 'hc hc2' }), h('span', { class: 'hc hc3' })),
    h('h1', null, icon('flag', 'logo'), 'Golf'),
    h('p', { class: 'tagline' }, 'The 6-card card game. Lowest score wins — pair up your columns.'));
}

function readName(form, onError) {
  const { name, ok } = cleanName(form.elements.name.value);
  if (!ok) {
    onError('Pick a name of 1–24 characters.');
    form.elements.name.focus();
    return null;
  }
  store.setName(name);
  return name;
}

/**
 * renderLobby draws the front door. cb: {notice, account, create(name),
 * join(code, name), error(msg)}; notice says why the last room was left,
 * if it was not by choice; account is the account bar (account.js).
 */
export function renderLobby(cb) {
  const create = h('form', {
    class: 'panel lobby-card', 'aria-labelledby': 'create-title', dataset: { form: 'create' },
    onsubmit: (e) => {
      e.preventDefault();
      const name = readName(e.currentTarget, cb.error);
      if (name) cb.create(name);
    },
  },
  h('h2', { id: 'create-title' }, 'Start a table'),
  nameField('create-name'),
  h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { key: 'create' } }, 'Create a room'),
  h('p', { class: 'hint' }, 'You will be the host: add CPU players, invite friends, pick house rules.'));

  const join = h('form', {
    class: 'panel lobby-card', 'aria-labelledby': 'join-title', dataset: { form: 'join' },
    onsubmit: (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      const code = cleanCode(form.elements.code.value);
      if (code.length < 4) {
        cb.error('Room codes have 4 letters.');
        form.elements.code.focus();
        return;
      }
      const name = readName(form, cb.error);
      if (name) cb.join(code, name);
    },
  },
  h('h2', { id: 'join-title' }, 'Join a table'),
  h('div', { class: 'field' },
    h('label', { for: 'join-code' }, 'Room code'),
    h('input', {
      id: 'join-code', name: 'code', type: 'text', class: 'code-input', inputmode: 'text', autocomplete: 'off',
      autocapitalize: 'characters', maxlength: '8', placeholder: 'ABCD', required: true, spellcheck: 'false',
      dataset: { key: 'join-code' },
      oninput: (e) => { e.target.value = cleanCode(e.target.value); },
    })),
  nameField('join-name'),
  h('button', { type: 'submit', class: 'btn btn-big', dataset: { key: 'join' } }, 'Join'));

  // One name for both forms: typing in one fills the other.
  const sync = (e) => {
    if (e.target.name !== 'name') return;
    for (const f of [create, join]) if (f.elements.name !== e.target) f.elements.name.value = e.target.value;
  };
  create.addEventListener('input', sync);
  join.addEventListener('input', sync);

  return h('div', { class: 'lobby', dataset: { screen: 'lobby' } },
    cb.account,
    brand(),
    cb.notice && h('p', { class: 'notice', role: 'status', dataset: { key: 'notice' } }, cb.notice),
    h('div', { class: 'lobby-grid' }, create, join),
    h('p', { class: 'lobby-foot' },
      h('button', { type: 'button', class: 'btn btn-link', dataset: { action: 'rules', key: 'lobby-rules' } }, 'How to play'),
      ' · ',
      h('button', { type: 'button', class: 'btn btn-link', dataset: { action: 'help', key: 'lobby-help' } }, 'Keyboard shortcuts')));
}

/**
 * renderJoin draws the screen an invite link opens. info is GET
 * /api/rooms/{code} (null: no such room; undefined: unknown yet).
 * cb: {join(code, name), watch(code), lobby(), error(msg)}.
 */
export function renderJoin(code, info, cb) {
  const waiting = !info || info.phase === 'waiting';
  const full = info && info.seats && info.seats.length >= 6;
  const canJoin = info !== null && waiting && !full;
  const form = h('form', {
    class: 'panel lobby-card', 'aria-labelledby': 'joinroom-title', dataset: { form: 'join-room' },
    onsubmit: (e) => {
      e.preventDefault();
      const name = readName(e.currentTarget, cb.error);
      if (name) cb.join(code, name);
    },
  },
  h('h2', { id: 'joinroom-title' }, 'Join room ', h('span', { class: 'code-big' }, code)),
  info === null && h('p', { class: 'warn' }, 'There is no room with this code. It may have finished.'),
  info && h('div', { class: 'room-peek' },
    h('p', null, info.phase === 'waiting' ? 'Waiting to start' : 'Game in progress',
      ` · ${info.seats.length} player${info.seats.length === 1 ? '' : 's'}`,
      info.spectators ? ` · ${info.spectators} watching` : ''),
    h('ul', { class: 'peek-seats' }, info.seats.map((s) => h('li', null, s.cpu && icon('robot'), s.name, s.cpu && h('span', { class: 'sr-only' }, ' (CPU)'))))),
  canJoin && nameField('joinroom-name'),
  canJoin && h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { key: 'join-room' } }, 'Join game'),
  info && !waiting && h('p', { class: 'hint' }, 'This game has started: you can watch it.'),
  info?.rematch && h('p', null, h('a', { class: 'btn btn-primary', href: `/r/${info.rematch}` }, `Go to the rematch (room ${info.rematch})`)),
  info && waiting && full && h('p', { class: 'hint' }, 'This table is full: you can watch it.'),
  h('div', { class: 'row' },
    info !== null && h('button', { type: 'button', class: 'btn', dataset: { action: 'watch', key: 'watch' }, onclick: () => cb.watch(code) }, 'Watch'),
    h('button', { type: 'button', class: 'btn btn-link', dataset: { key: 'to-lobby' }, onclick: () => cb.lobby() }, 'Back to the lobby')));
  return h('div', { class: 'lobby', dataset: { screen: 'join' } }, brand(), h('div', { class: 'lobby-grid single' }, form));
}
