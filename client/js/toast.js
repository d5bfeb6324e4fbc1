// toast.js — brief on-screen messages (errors, "link copied") and the
// screen-reader live region that narrates what happens at the table.

import { h } from './dom.js';

const TOAST_MS = 3800;

/** toast shows a short message; kind is 'info' or 'error'. */
export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  // The same message twice in a row (e.g. a key held down) is shown once.
  const last = box.lastElementChild;
  if (last && last.textContent === text && !last.classList.contains('leaving')) {
    last.dataset.until = String(Date.now() + TOAST_MS);
    return;
  }
  const el = h('div', { class: ['toast', 'toast-' + kind], dataset: { kind } }, text);
  box.append(el);
  while (box.children.length > 3) box.firstElementChild.remove();
  el.dataset.until = String(Date.now() + TOAST_MS);
  const tick = () => {
    if (!el.isConnected) return;
    const left = Number(el.dataset.until) - Date.now();
    if (left > 0) { setTimeout(tick, left); return; }
    el.classList.add('leaving');
    setTimeout(() => el.remove(), 250);
  };
  setTimeout(tick, TOAST_MS);
}

let pending = [];
let flushTimer = 0;

/**
 * announce queues a sentence for screen readers. Sentences from one frame
 * are joined so a reader hears them in order without interrupting itself.
 */
export function announce(text) {
  if (!text) return;
  pending.push(text);
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = 0;
    const region = document.getElementById('announcer');
    if (!region) { pending = []; return; }
    region.append(h('p', null, pending.join(' ')));
    pending = [];
    while (region.children.length > 5) region.firstElementChild.remove();
  }, 120);
}
