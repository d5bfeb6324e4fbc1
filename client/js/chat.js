// chat.js — the room's chat and quick reactions (docs/protocol.md "Chat").
// The dock lives outside #app: screens are rebuilt from every state frame,
// the talk is not part of the view. Lines are drawn as text nodes only (a
// "<script>" someone types is shown as those characters). Muting a player
// hides their lines and reactions on this browser, and is remembered.

import { h, replace } from './dom.js';
import { icon } from './icons.js';
import { store } from './store.js';
import { t } from './i18n.js';

/** REACTIONS are the server's quick reactions, in the order shown. */
export const REACTIONS = ['👍', '👏', '😂', '😮', '😬', '🎉'];

const MAX_LINES = 100;
const MAX_RUNES = 200;
const BUBBLE_MS = 2600;

const chat = {
  send: null, // (type, fields) => id, or 0 when not connected
  onChange: null, // the unread count or the dock changed: redraw the tools
  lines: [], // {seat, player_id, name, text, at, mine}
  unread: 0,
  open: false,
  ctx: null, // {seat, host, chat, me}
  dock: null,
};

/** mountChat builds the dock once; send and onChange come from main.js. */
export function mountChat(send, onChange) {
  chat.send = send;
  chat.onChange = onChange;
  if (chat.dock) return;
  const input = h('input', {
    id: 'chat-input', type: 'text', name: 'text', maxlength: String(MAX_RUNES), autocomplete: 'off',
    enterkeyhint: 'send', dataset: { key: 'chat-input' },
  });
  const form = h('form', {
    class: 'chat-form',
    onsubmit: (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if ([...text].length > MAX_RUNES) return;
      if (chat.send?.('chat', { text })) input.value = '';
    },
  },
  h('label', { for: 'chat-input', class: 'sr-only', id: 'chat-input-label' }),
  input,
  h('button', { type: 'submit', class: 'btn btn-small btn-primary', id: 'chat-send' }));
  chat.dock = h('aside', { id: 'chat-dock', class: 'chat-dock', hidden: true, 'aria-labelledby': 'chat-title' },
    h('header', { class: 'chat-head' },
      h('h2', { id: 'chat-title' }),
      h('label', { class: 'chat-switch', hidden: true },
        h('input', { type: 'checkbox', id: 'chat-switch', onchange: (e) => chat.send?.('room_settings', { chat: e.target.checked }) }),
        h('span', { id: 'chat-switch-label' })),
      h('button', { type: 'button', class: 'btn btn-icon', id: 'chat-close', onclick: () => setOpen(false) }, icon('close'))),
    h('div', { class: 'chat-muted', id: 'chat-muted', hidden: true }),
    h('ol', { class: 'chat-log', id: 'chat-log', 'aria-live': 'polite' }),
    h('div', { class: 'chat-reactions', id: 'chat-reactions', role: 'group' },
      REACTIONS.map((r) => h('button', { type: 'button', class: 'btn btn-react', dataset: { reaction: r }, onclick: () => react(r) }, r))),
    form,
    h('p', { class: 'chat-note', id: 'chat-note', hidden: true }));
  document.body.append(chat.dock);
  document.body.append(h('div', { id: 'reaction-layer', class: 'reaction-layer', 'aria-hidden': 'true' }));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && chat.open) setOpen(false);
  });
}

/** chatReset forgets the talk (a new room, or none). */
export function chatReset() {
  chat.lines = [];
  chat.unread = 0;
  chat.ctx = null;
  setOpen(false);
  if (chat.dock) {
    chat.dock.hidden = true;
    document.getElementById('chat-log')?.replaceChildren();
  }
}

/** chatUpdate follows the room after each state frame. */
export function chatUpdate({ view, room, me }) {
  if (!chat.dock) return;
  chat.ctx = { seat: view.seat, host: view.seat >= 0 && view.seat === view.host, chat: room?.chat !== false, me, seats: view.seats };
  relabel();
  renderLog();
}

function relabel() {
  const c = chat.ctx;
  if (!c) return;
  document.getElementById('chat-title').textContent = t('chat.title');
  document.getElementById('chat-input-label').textContent = t('chat.input_label');
  const input = document.getElementById('chat-input');
  const spectator = c.seat < 0;
  input.placeholder = !c.chat ? t('chat.off_placeholder') : t('chat.placeholder');
  input.disabled = spectator || !c.chat;
  const send = document.getElementById('chat-send');
  send.textContent = t('chat.send');
  send.disabled = input.disabled;
  document.getElementById('chat-close').setAttribute('aria-label', t('chat.close'));
  document.getElementById('chat-reactions').setAttribute('aria-label', t('chat.reactions'));
  for (const b of document.querySelectorAll('#chat-reactions button')) {
    b.disabled = spectator;
    b.setAttribute('aria-label', t('chat.react_label', { reaction: b.dataset.reaction }));
  }
  const sw = chat.dock.querySelector('.chat-switch');
  sw.hidden = !c.host;
  document.getElementById('chat-switch').checked = c.chat;
  document.getElementById('chat-switch-label').textContent = t('chat.switch');
  const note = document.getElementById('chat-note');
  const why = spectator ? t('chat.spectator_note') : !c.chat ? t('chat.off_note') : '';
  note.textContent = why;
  note.hidden = !why;
  const muted = mutedIds().map((id) => [id, nameOf(id)]).filter(([, n]) => n);
  const box = document.getElementById('chat-muted');
  box.hidden = muted.length === 0;
  replace(box, h('span', null, t('chat.muted')), ' ',
    muted.map(([id, name]) => h('button', {
      type: 'button', class: 'btn btn-small chip', 'aria-label': t('chat.unmute_label', { name }), onclick: () => toggleMute(id),
    }, name, ' ', icon('close'))));
}

function nameOf(id) {
  return chat.ctx?.seats?.find((s) => s.id === id)?.name ?? chat.lines.find((l) => l.player_id === id)?.name ?? '';
}

function renderLog() {
  const log = document.getElementById('chat-log');
  if (!log) return;
  const muted = new Set(mutedIds());
  const shown = chat.lines.filter((l) => !muted.has(l.player_id));
  replace(log, shown.length === 0
    ? h('li', { class: 'chat-empty' }, t('chat.empty'))
    : shown.map((l) => h('li', { class: ['chat-line', l.mine && 'mine'], dataset: { seat: l.seat } },
      h('span', { class: 'chat-name' }, l.name),
      h('span', { class: 'chat-text' }, l.text),
      !l.mine && h('button', {
        type: 'button', class: 'btn btn-link chat-mute', 'aria-label': t('chat.mute_label', { name: l.name }),
        title: t('chat.mute_label', { name: l.name }), onclick: () => toggleMute(l.player_id),
      }, t('chat.mute')))));
  log.scrollTop = log.scrollHeight;
}

/** chatFrame takes a chat or reaction frame from the server. */
export function chatFrame(f) {
  if (isMuted(f.player_id)) return;
  const mine = !!chat.ctx?.me?.(f.player_id);
  if (f.type === 'reaction') {
    bubble(f.seat, f.reaction);
    return;
  }
  chat.lines.push({ seat: f.seat, player_id: f.player_id, name: f.name, text: f.text, at: f.at, mine });
  if (chat.lines.length > MAX_LINES) chat.lines.splice(0, chat.lines.length - MAX_LINES);
  if (!chat.open && !mine) {
    chat.unread++;
    chat.onChange?.();
  }
  renderLog();
}

/** react sends a quick reaction. */
export function react(r) {
  if (REACTIONS.includes(r)) chat.send?.('react', { reaction: r });
}

/** bubble shows a reaction by the seat that sent it, for a moment. */
function bubble(seat, reaction) {
  const layer = document.getElementById('reaction-layer');
  if (!layer) return;
  const n = Number(seat);
  const at = document.querySelector(`#app .seat[data-seat="${n}"], #app .seat-row[data-seat="${n}"]`);
  const r = at?.getBoundingClientRect();
  const b = h('span', { class: 'reaction-bubble', dataset: { seat: n } }, reaction);
  if (r && r.width > 0 && r.height > 0) {
    b.style.left = `${Math.round(r.left + Math.min(r.width - 24, 60))}px`;
    b.style.top = `${Math.round(Math.max(4, r.top - 8))}px`;
  } else {
    b.classList.add('loose');
  }
  layer.append(b);
  setTimeout(() => b.remove(), BUBBLE_MS);
}

/** toggleChat opens or closes the dock. */
export function toggleChat() {
  setOpen(!chat.open);
}

function setOpen(open) {
  chat.open = open;
  if (!chat.dock) return;
  chat.dock.hidden = !open;
  document.body.classList.toggle('chat-open', open);
  if (open) {
    chat.unread = 0;
    renderLog();
    const input = document.getElementById('chat-input');
    if (!input.disabled && !matchMedia('(pointer: coarse)').matches) input.focus({ preventScroll: true });
  }
  chat.onChange?.();
}

/** chatButton is the tools button that opens the chat, with the unread count. */
export function chatButton() {
  return h('button', {
    type: 'button', class: ['btn', 'btn-small', 'chat-button', chat.open && 'active'], 'aria-expanded': String(chat.open),
    'aria-controls': 'chat-dock', 'aria-label': chat.unread ? t('chat.open_unread', { count: chat.unread }) : t('chat.open'),
    dataset: { action: 'chat', key: 'tool-chat' },
  }, icon('chat'), h('span', { class: 'chat-word' }, t('chat.button')),
  chat.unread > 0 && h('span', { class: 'unread', dataset: { unread: chat.unread } }, String(chat.unread)));
}

/** reactButton is the tools button with the quick reactions in a popover. */
export function reactButton(seat) {
  if (seat < 0) return null;
  return [h('button', {
    type: 'button', class: 'btn btn-small react-button', popovertarget: 'react-menu', 'aria-haspopup': 'menu',
    'aria-label': t('chat.reactions'), title: t('chat.reactions'), dataset: { key: 'tool-react' },
  }, '👍'),
  h('div', { id: 'react-menu', class: 'menu-pop react-pop', popover: 'auto', role: 'menu', 'aria-label': t('chat.reactions') },
    REACTIONS.map((r) => h('button', {
      type: 'button', class: 'btn btn-react', role: 'menuitem', 'aria-label': t('chat.react_label', { reaction: r }),
      dataset: { action: 'react', reaction: r, key: 'react-' + r },
    }, r)))];
}

// ---- mute ------------------------------------------------------------------

function mutedIds() {
  const ids = store.mutedPlayers();
  return Array.isArray(ids) ? ids : [];
}

/** isMuted reports whether this browser hides a player's chat. */
export function isMuted(id) {
  return mutedIds().includes(id);
}

/** toggleMute mutes or unmutes a player, remembered in localStorage. */
export function toggleMute(id) {
  const ids = mutedIds();
  store.setMutedPlayers(ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id].slice(-200));
  relabel();
  renderLog();
}
