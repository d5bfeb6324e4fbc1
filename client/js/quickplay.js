// quickplay.js — finding a game without a code: "Play now" (the quick-play
// queue, docs/protocol.md "Quick play"), the list of public lobbies
// waiting for players (GET /api/rooms), and the host's switches that put a
// room on that list and turn its chat on or off.

import { h } from './dom.js';
import { icon } from './icons.js';
import { t } from './i18n.js';

export const SIZES = [2, 3, 4, 5, 6];
const SIZE_KEY = 'golf.qpsize';

/** preferredSize is the table size last picked (4 at first). */
export function preferredSize() {
  try {
    const n = Number(localStorage.getItem(SIZE_KEY));
    return SIZES.includes(n) ? n : 4;
  } catch {
    return 4;
  }
}

function rememberSize(n) {
  try { localStorage.setItem(SIZE_KEY, String(n)); } catch { /* storage off: forget it */ }
}

/**
 * quickCard is the lobby's "Play now" card: a table size and the button.
 * nameField and fieldError are the lobby's own builders; cb.play(size, form)
 * is called on submit.
 */
export function quickCard({ nameField, fieldError, play }) {
  const size = preferredSize();
  return h('form', {
    class: 'panel lobby-card quick-card', 'aria-labelledby': 'quick-title', dataset: { form: 'quick' },
    onsubmit: (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      const n = Number(form.elements.size.value) || 4;
      rememberSize(n);
      play(n, form);
    },
  },
  h('h2', { id: 'quick-title' }, t('quick.title')),
  nameField('quick-name'),
  h('fieldset', { class: 'size-pick' },
    h('legend', null, t('quick.size')),
    h('div', { class: 'segmented' },
      SIZES.map((n) => h('label', { class: 'seg' },
        h('input', { type: 'radio', name: 'size', value: String(n), checked: n === size, dataset: { key: 'size-' + n } }),
        h('span', null, String(n)))))),
  fieldError('quick-error', ''),
  h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { key: 'play-now' } }, icon('dice'), ' ', t('quick.play')),
  h('p', { class: 'hint' }, t('quick.hint')));
}

/**
 * publicRooms is the lobby's list of open tables. rooms: undefined while
 * loading, null when the list is unavailable, else GET /api/rooms' list.
 * cb.join(code) joins one; cb.refresh() reloads the list; cb.presetLabel(name)
 * names a rules preset.
 */
export function publicRooms(rooms, cb) {
  let body;
  if (rooms === undefined) body = h('p', { class: 'hint' }, t('open.loading'));
  else if (rooms === null) body = h('p', { class: 'hint warn' }, t('open.unavailable'));
  else if (rooms.length === 0) body = h('p', { class: 'hint', dataset: { key: 'open-empty' } }, t('open.empty'));
  else {
    body = h('ul', { class: 'open-list' }, rooms.map((r) => h('li', { class: 'open-room', dataset: { room: r.code } },
      h('span', { class: 'open-code' }, r.code),
      h('span', { class: 'open-host' }, t('open.host', { name: r.host })),
      h('span', { class: 'open-seats' }, t('open.seats', { taken: r.seats, max: r.max })),
      h('span', { class: 'open-rules' }, r.rules === 'custom' ? t('open.custom') : t('open.preset', { rules: cb.presetLabel?.(r.rules) ?? r.rules }),
        ' · ', t('open.holes', { count: r.rounds })),
      h('button', {
        type: 'button', class: 'btn btn-small btn-primary', 'aria-label': t('open.join_label', { code: r.code, name: r.host }),
        dataset: { key: 'open-join-' + r.code }, onclick: () => cb.join(r.code),
      }, t('open.join')))));
  }
  return h('section', { class: 'panel open-tables', 'aria-labelledby': 'open-title', dataset: { key: 'open-tables' } },
    h('div', { class: 'open-head' },
      h('h2', { id: 'open-title' }, t('open.title')),
      h('button', { type: 'button', class: 'btn btn-small', dataset: { key: 'open-refresh' }, onclick: () => cb.refresh() }, t('open.refresh'))),
    body);
}

/**
 * renderQueue is the screen while waiting for a quick-play table.
 * q: {size, waitMs, since (performance.now() when queued), matched}.
 */
export function renderQueue(q, cb) {
  return h('div', { class: 'queue panel', role: 'status', dataset: { screen: 'queue' } },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('h1', null, q.matched ? t('queue.found') : t('queue.title', { size: q.size ?? '' })),
    !q.matched && h('p', { class: 'queue-time' }, t('queue.waited'), ' ',
      h('b', { dataset: { elapsed: String(q.since ?? 0) } }, elapsed(q.since))),
    !q.matched && q.waitMs !== undefined && h('p', { class: 'hint' },
      q.waitMs <= 0 ? t('queue.cpu_now')
        : q.waitMs < 120000 ? t('queue.cpu_after', { seconds: Math.round(q.waitMs / 1000) })
          : t('queue.cpu_after_min', { minutes: Math.round(q.waitMs / 60000) })),
    !q.matched && h('button', { type: 'button', class: 'btn', dataset: { key: 'queue-cancel' }, onclick: () => cb.cancel() }, t('queue.cancel')));
}

/** elapsed formats the time since a performance.now() reading as m:ss. */
export function elapsed(since, now = performance.now()) {
  const s = Math.max(0, Math.floor((now - (since || now)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** tickQueue keeps the waiting time current. */
export function tickQueue() {
  for (const el of document.querySelectorAll('[data-elapsed]')) {
    const s = elapsed(Number(el.dataset.elapsed));
    if (el.textContent !== s) el.textContent = s;
  }
}

/**
 * roomSwitches are the waiting room's room settings: the host switches
 * them (main.js sends room_settings), the others read them.
 */
export function roomSwitches(view, room, isHost) {
  const pub = !!room?.public;
  const chat = room?.chat !== false;
  if (!isHost) {
    return h('p', { class: 'room-flags hint' }, pub ? t('room.is_public') : t('room.is_private'), ' · ', chat ? t('room.chat_on') : t('room.chat_off'));
  }
  const sw = (key, checked, label, help) => h('label', { class: 'switch-row' },
    h('input', { type: 'checkbox', checked, dataset: { roomSetting: key, key: 'room-' + key } }),
    h('span', null, h('b', null, label), h('span', { class: 'hint' }, ' ', help)));
  return h('div', { class: 'room-switches' },
    sw('public', pub, t('room.public'), t('room.public_help')),
    sw('chat', chat, t('room.chat'), t('room.chat_help')));
}
