// keys.js — keyboard shortcuts and the help overlay that lists them. Keys
// map to the same actions as the on-screen controls; typing in a form field
// never triggers them.

import { h, replace } from './dom.js';
import { t } from './i18n.js';

/** SHORTCUTS lists every key and the action it triggers; keys.<action> says what it does. */
export const SHORTCUTS = [
  { keys: ['D'], action: 'draw-deck' },
  { keys: ['P'], action: 'draw-discard' },
  { keys: ['1', '–', '6'], action: 'grid' },
  { keys: ['X'], action: 'discard' },
  { keys: ['B'], action: 'put-back' },
  { keys: ['S'], action: 'skip-flip' },
  { keys: ['K'], action: 'knock' },
  { keys: ['N'], action: 'next-round' },
  { keys: ['M'], action: 'mute' },
  { keys: ['?'], action: 'help' },
  { keys: ['Esc'], action: 'close' },
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
        h('h2', { id: 'help-title' }, t('tools.shortcuts')),
        h('button', { class: 'btn btn-icon', value: 'close', 'aria-label': t('common.close') }, '✕')),
      h('table', { class: 'keys-table' },
        h('tbody', null, SHORTCUTS.map((s) => h('tr', null,
          h('th', { scope: 'row' }, s.keys.map((k) => (k === '–' ? ' – ' : h('kbd', null, k)))),
          h('td', null, t(`keys.${s.action}`)))))),
      h('p', { class: 'hint' }, t('keys.tab'))));
  if (!dlg.open) dlg.showModal();
}
