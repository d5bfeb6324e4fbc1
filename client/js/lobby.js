// lobby.js — the front door: pick a name (remembered), create a room or
// join one by code; and the join screen an invite link opens (/r/{code}),
// which shows who is already at the table.

import { icon } from './icons.js';
import { h } from './dom.js';
import { store } from './store.js';
import { LANGUAGES, language, t, tx } from './i18n.js';
import { publicRooms, quickCard } from './quickplay.js';

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

function nameField(id, value, invalid) {
  return h('div', { class: 'field' },
    h('label', { for: id }, t('lobby.name')),
    h('input', {
      id, name: 'name', type: 'text', autocomplete: 'nickname', maxlength: String(NAME_MAX), required: true,
      value: value ?? store.name(), placeholder: t('lobby.name_placeholder'), spellcheck: 'false', dataset: { key: id },
      'aria-invalid': invalid ? 'true' : null, 'aria-describedby': invalid ? id.replace(/-name$/, '-error') : null,
    }));
}

/** languagePicker is the small language menu; main.js handles its change. */
export function languagePicker() {
  return h('label', { class: 'lang-picker' },
    h('span', { class: 'sr-only' }, t('lang.label')),
    h('select', { id: 'lang', dataset: { action: 'language', key: 'lang' }, 'aria-label': t('lang.label') },
      Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code, selected: code === language(), lang: code }, name))));
}

function brand() {
  return h('header', { class: 'hero' },
    languagePicker(),
    h('div', { class: 'hero-cards', 'aria-hidden': 'true' },
      h('span', { class: 'hc hc1' }), h('span', { class: 'hc hc2' }), h('span', { class: 'hc hc3' })),
    h('h1', null, icon('flag', 'logo'), 'Golf'),
    h('p', { class: 'tagline' }, t('lobby.tagline')));
}

function readName(form, onError) {
  const { name, ok } = cleanName(form.elements.name.value);
  if (!ok) {
    onError(t('lobby.bad_name', { max: NAME_MAX }));
    form.elements.name.focus();
    return null;
  }
  store.setName(name);
  return name;
}

/**
 * fieldError shows a form's error under the field it is about, where it
 * covers nothing (a toast at the foot of a phone would hide the button).
 */
function fieldError(id, text) {
  return h('p', { id, class: 'field-error', role: 'alert', hidden: !text, dataset: { key: id } }, text || '');
}

function setFieldError(form, id, input, text) {
  const el = form.querySelector('#' + id);
  if (!el) return;
  el.textContent = text;
  el.hidden = !text;
  if (input) {
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/**
 * renderLobby draws the front door. cb: {notice, account, code, codeError,
 * create(name), join(code, name), quick(name, size), rooms, refreshRooms(),
 * presetLabel(name)}; rooms is the public lobbies (quickplay.js) and
 * quick queues for quick play; notice says why the last
 * room was left, if it was not by choice; account is the account bar
 * (account.js); code and codeError are a join the server refused (a bad
 * room code): the code stays as typed, with the reason under it.
 */
export function renderLobby(cb) {
  const create = h('form', {
    class: 'panel lobby-card', 'aria-labelledby': 'create-title', dataset: { form: 'create' },
    onsubmit: (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      const name = readName(form, (msg) => setFieldError(form, 'create-error', form.elements.name, msg));
      if (name) cb.create(name);
    },
  },
  h('h2', { id: 'create-title' }, t('lobby.create_title')),
  nameField('create-name'),
  fieldError('create-error', ''),
  h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { key: 'create' } }, t('lobby.create')),
  h('p', { class: 'hint' }, t('lobby.create_hint')));

  const join = h('form', {
    class: 'panel lobby-card', 'aria-labelledby': 'join-title', dataset: { form: 'join' },
    onsubmit: (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      const code = cleanCode(form.elements.code.value);
      if (code.length < 4) {
        setFieldError(form, 'join-error', form.elements.code, t('lobby.short_code'));
        form.elements.code.focus();
        return;
      }
      const name = readName(form, (msg) => setFieldError(form, 'join-error', form.elements.name, msg));
      if (name) cb.join(code, name);
    },
  },
  h('h2', { id: 'join-title' }, t('lobby.join_title')),
  h('div', { class: 'field' },
    h('label', { for: 'join-code' }, t('lobby.code')),
    h('input', {
      id: 'join-code', name: 'code', type: 'text', class: 'code-input', inputmode: 'text', autocomplete: 'off',
      autocapitalize: 'characters', maxlength: '8', placeholder: 'ABCD', required: true, spellcheck: 'false',
      value: cb.code ?? '', 'aria-invalid': cb.codeError ? 'true' : null, 'aria-describedby': 'join-error',
      dataset: { key: 'join-code' },
      oninput: (e) => {
        e.target.value = cleanCode(e.target.value);
        setFieldError(join, 'join-error', e.target, '');
      },
    })),
  fieldError('join-error', cb.codeError),
  nameField('join-name'),
  h('button', { type: 'submit', class: 'btn btn-big', dataset: { key: 'join' } }, t('lobby.join')));

  const quick = quickCard({
    nameField, fieldError,
    play: (size, form) => {
      const name = readName(form, (msg) => setFieldError(form, 'quick-error', form.elements.name, msg));
      if (name) cb.quick(name, size);
    },
  });

  // One name for every form: typing in one fills the others.
  const sync = (e) => {
    if (e.target.name !== 'name') return;
    for (const f of [quick, create, join]) if (f.elements.name !== e.target) f.elements.name.value = e.target.value;
  };
  quick.addEventListener('input', sync);
  create.addEventListener('input', sync);
  join.addEventListener('input', sync);

  return h('div', { class: 'lobby', dataset: { screen: 'lobby' } },
    cb.account,
    brand(),
    cb.notice && h('p', { class: 'notice', role: 'status', dataset: { key: 'notice' } }, cb.notice),
    // On a phone the open tables come right after Play now; wider, below the three cards.
    h('div', { class: 'lobby-grid lobby-grid-3' }, quick, h('div', { id: 'open-tables-slot', class: 'open-slot' }, openTables(cb.rooms, cb)), create, join),
    h('p', { class: 'lobby-foot' },
      h('a', { class: 'btn btn-link', href: '/rules', dataset: { action: 'rules-page', key: 'lobby-rules' } }, t('lobby.how_to_play')),
      ' · ', h('a', { class: 'btn btn-link', href: '/games', dataset: { key: 'lobby-recent' } }, t('replay.recent')),
      h('span', { class: 'kbd-only' }, ' · ',
        h('button', { type: 'button', class: 'btn btn-link', dataset: { action: 'help', key: 'lobby-help' } }, t('tools.shortcuts')))));
}

/**
 * openTables is the lobby's list of public lobbies; main.js redraws it
 * alone as it refreshes. Joining one takes the name typed in the forms.
 */
export function openTables(rooms, cb) {
  const join = (code) => {
    const form = document.querySelector('[data-form="quick"]');
    if (!form) return;
    const name = readName(form, (msg) => setFieldError(form, 'quick-error', form.elements.name, msg));
    if (name) cb.join(code, name);
  };
  return publicRooms(rooms, { join, refresh: cb.refreshRooms, presetLabel: cb.presetLabel });
}

/**
 * renderJoin draws the screen an invite link opens. info is GET
 * /api/rooms/{code} (null: no such room; undefined: unknown yet).
 * cb: {join(code, name), watch(code), lobby()}.
 */
export function renderJoin(code, info, cb) {
  const waiting = !info || info.phase === 'waiting';
  const full = info && info.seats && info.seats.length >= 6;
  const canJoin = info !== null && waiting && !full;
  const form = h('form', {
    class: 'panel lobby-card', 'aria-labelledby': 'joinroom-title', dataset: { form: 'join-room' },
    onsubmit: (e) => {
      e.preventDefault();
      const f = e.currentTarget;
      const name = readName(f, (msg) => setFieldError(f, 'joinroom-error', f.elements.name, msg));
      if (name) cb.join(code, name);
    },
  },
  h('h2', { id: 'joinroom-title' }, tx('join.title', { code: h('span', { class: 'code-big' }, code) })),
  info === null && h('p', { class: 'warn' }, t('join.no_room')),
  info && h('div', { class: 'room-peek' },
    h('p', null, info.phase === 'waiting' ? t('join.waiting') : t('join.in_progress'),
      ' · ', t('join.players', { count: info.seats.length }),
      info.spectators ? [' · ', t('join.watching', { count: info.spectators })] : ''),
    h('ul', { class: 'peek-seats' }, info.seats.map((s) => h('li', null, s.cpu && icon('robot'), s.name, s.cpu && h('span', { class: 'sr-only' }, ' ' + t('join.cpu_note')))))),
  // A name the room has already (name_taken) stays as typed, the reason under it.
  canJoin && nameField('joinroom-name', cb.name, !!cb.nameError),
  canJoin && fieldError('joinroom-error', cb.nameError ?? ''),
  canJoin && h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { key: 'join-room' } }, t('join.join')),
  info && !waiting && h('p', { class: 'hint' }, t('join.started')),
  info?.rematch && h('p', null, h('a', { class: 'btn btn-primary', href: `/r/${info.rematch}` }, t('rematch.go', { code: info.rematch }))),
  info && waiting && full && h('p', { class: 'hint' }, t('join.full')),
  h('div', { class: 'row' },
    info !== null && h('button', { type: 'button', class: 'btn', dataset: { action: 'watch', key: 'watch' }, onclick: () => cb.watch(code) }, t('join.watch')),
    h('button', { type: 'button', class: 'btn btn-link', dataset: { key: 'to-lobby' }, onclick: () => cb.lobby() }, t('common.back_to_lobby'))));
  return h('div', { class: 'lobby', dataset: { screen: 'join' } }, brand(), h('div', { class: 'lobby-grid single' }, form));
}
