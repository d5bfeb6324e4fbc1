// keys.js — keyboard shortcuts and the help overlay that lists them. Keys
// map to the same actions as the on-screen controls; typing in a form field
// never triggers them.

import { h, replace } from './dom.js';

/** SHORTCUTS lists every key, the action it triggers and what it does. */
export const SHORTCUTS = [
  { keys: ['D'], action: 'draw-deck', text: 'Draw from the deck' },
  { keys: ['P'], action: 'draw-discard', text: 'Take the top of the discard pile' },
  { keys: ['1', '–', '6'], action: 'grid', text: 'Pick one of your cards (top row 1 2 3, bottom row 4 5 6): swap, flip or choose it' },
  { keys: ['X'], action: 'discard', text: 'Discard the card you drew' },
  { keys: ['B'], action: 'put-back', text: 'Put a card taken from the discard pile back' },
  { keys: ['S'], action: 'skip-flip', text: 'Skip an optional flip' },
  { keys: ['K'], action: 'knock', text: 'Knock (Early Knock rule)' },
  { keys: ['N'], action: 'next-round', text: 'Deal the next hole now (host)' },
  { keys: ['M'], action: 'mute', text: 'Sound on or off' },
  { keys: ['?'], action: 'help', text: 'Show this help' },
  { keys: ['Esc'], action: 'close', text: 'Close a dialog' },
];

const KEYMAP = {
  d: 'draw-deck', p: 'draw-discard', x: 'discard', b: 'put-back', s: 'skip-flip', k: 'knock',
  n: 'next-round', m: 'mute', '?': 'help',
};

function typing(el) {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return el.isContentEditable;
}

/** installKeys calls dispatch(action, pos) for shortcut keys. */
export function installKeys(dispatch) {
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (typing(e.target)) return;
    if (document.querySelector('dialog[open]') && e.key !== '?') return; // dialogs handle Esc themselves
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (k >= '1' && k <= '6') {
      e.preventDefault();
      dispatch('grid', Number(k) - 1);
      return;
    }
    const action = KEYMAP[k];
    if (action) {
      e.preventDefault();
      dispatch(action);
    }
  });
}

/** showHelp opens the keyboard-shortcut overlay. */
export function showHelp() {
  const dlg = document.getElementById('help-dialog');
  if (!dlg) return;
  replace(dlg,
    h('form', { method: 'dialog', class: 'dialog-body' },
      h('header', { class: 'dialog-head' },
        h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
        h('button', { class: 'btn btn-icon', value: 'close', 'aria-label': 'Close' }, '✕')),
      h('table', { class: 'keys-table' },
        h('tbody', null, SHORTCUTS.map((s) => h('tr', null,
          h('th', { scope: 'row' }, s.keys.map((k) => (k === '–' ? ' – ' : h('kbd', null, k)))),
          h('td', null, s.text))))),
      h('p', { class: 'hint' }, 'Tab moves between controls; Enter or Space presses the focused one.')));
  if (!dlg.open) dlg.showModal();
}
