// dialogs.js — the page's own questions, instead of the browser's
// confirm(): a modal <dialog> (aria-modal, the rest of the page inert),
// focus kept inside it (Tab cycles), Esc or a click outside answers no,
// focus goes back where it was. It looks like the rest of the game, speaks
// its language, and never blocks the page's frames the way confirm() does.

import { h, replace } from './dom.js';

let pending = null; // the open question's resolve, so a second one answers the first with no

/**
 * confirmDialog asks a yes/no question and resolves to true for yes.
 * q: {title, body, yes, no, danger, key}.
 */
export function confirmDialog(q) {
  let dlg = document.getElementById('confirm-dialog');
  if (!dlg) {
    dlg = h('dialog', { id: 'confirm-dialog', class: 'dialog dialog-confirm', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' });
    dlg.addEventListener('keydown', trapFocus);
    dlg.addEventListener('click', (e) => { if (e.target === dlg) dlg.close('no'); });
    dlg.addEventListener('close', () => {
      const done = pending;
      pending = null;
      done?.(dlg.returnValue === 'yes');
    });
    document.body.append(dlg);
  }
  pending?.(false);
  if (dlg.open) dlg.close('no');
  const opener = document.activeElement;
  return new Promise((resolve) => {
    pending = (yes) => {
      if (opener?.isConnected) opener.focus({ preventScroll: true });
      resolve(yes);
    };
    dlg.returnValue = '';
    dlg.dataset.key = q.key ?? '';
    replace(dlg,
      h('form', { method: 'dialog', class: 'dialog-body' },
        h('h2', { id: 'confirm-title' }, q.title),
        h('p', { id: 'confirm-body' }, q.body),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'submit', value: 'no', class: 'btn', dataset: { answer: 'no' } }, q.no),
          h('button', { type: 'submit', value: 'yes', class: ['btn', q.danger ? 'btn-danger-solid' : 'btn-primary'], dataset: { answer: 'yes' } }, q.yes))));
    dlg.showModal();
    // The safe answer has the focus: Enter on a stray key press does no harm.
    dlg.querySelector('[data-answer="no"]').focus();
  });
}

/** trapFocus keeps Tab and Shift-Tab among the dialog's own controls. */
function trapFocus(e) {
  if (e.key !== 'Tab') return;
  const dlg = e.currentTarget;
  const items = [...dlg.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((el) => !el.disabled);
  if (!items.length) return;
  const first = items[0];
  const last = items.at(-1);
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
