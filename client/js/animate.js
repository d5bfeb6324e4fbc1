// animate.js — card movement, driven by the events of a state frame. The
// table is already drawn in its new state; each animation starts a card at
// where it came from (measured before the redraw) and lets it glide home
// (the FLIP technique). Animations never hold anything up: a new frame
// finishes them at once, and reduced-motion users get none.

const running = new Set();
const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)');

const FLY_MS = 420;
const FLIP_MS = 300;

/** snapshot measures every animation anchor ([data-anim]) on screen. */
export function snapshot(root) {
  const rects = new Map();
  for (const el of root.querySelectorAll('[data-anim]')) {
    const card = el.querySelector('.card') ?? el;
    rects.set(el.dataset.anim, card.getBoundingClientRect());
  }
  return rects;
}

/** settle jumps every running animation to its end. */
export function settle() {
  for (const a of running) a.finish();
  running.clear();
}

function track(anim, el) {
  running.add(anim);
  el.classList.add('moving');
  const done = () => {
    running.delete(anim);
    el.classList.remove('moving');
  };
  anim.onfinish = done;
  anim.oncancel = done;
}

function cardIn(root, anchor) {
  const box = root.querySelector(`[data-anim="${anchor}"]`);
  return box?.querySelector('.card') ?? null;
}

function fly(el, from, delay = 0) {
  if (!el || !from || from.width === 0) return;
  const to = el.getBoundingClientRect();
  if (to.width === 0) return;
  const dx = from.left + from.width / 2 - (to.left + to.width / 2);
  const dy = from.top + from.height / 2 - (to.top + to.height / 2);
  const s = from.width / to.width;
  if (Math.abs(dx) < 1 && Math.abs(dy) < 1) return;
  track(el.animate([
    { transform: `translate(${dx}px, ${dy}px) scale(${s})`, boxShadow: '0 18px 30px rgba(0,0,0,.45)' },
    { transform: 'none', boxShadow: '0 18px 30px rgba(0,0,0,.25)', offset: 0.8 },
    { transform: 'none' },
  ], { duration: FLY_MS, delay, easing: 'cubic-bezier(.2,.75,.25,1)', fill: 'backwards' }), el);
}

function flip(el, delay = 0) {
  if (!el) return;
  track(el.animate([
    { transform: 'perspective(600px) rotateY(90deg)', filter: 'brightness(.7)' },
    { transform: 'perspective(600px) rotateY(0deg)', filter: 'none' },
  ], { duration: FLIP_MS, delay, easing: 'ease-out', fill: 'backwards' }), el);
}

/**
 * play animates the frame's events. before is the snapshot taken before the
 * redraw; seatOf(playerID) gives a seat number.
 */
export function play(root, events, before, seatOf) {
  if (reduce?.matches || !events?.length) return;
  let flips = 0;
  for (const ev of events) {
    const d = ev.data ?? {};
    const seat = seatOf(d.player_id);
    switch (ev.type) {
      case 'CardDrawn':
        fly(cardIn(root, 'held'), before.get(d.source === 'discard' ? 'discard' : 'deck'));
        break;
      case 'DiscardReturned':
      case 'CardDiscarded':
        fly(cardIn(root, 'discard'), before.get('held'));
        break;
      case 'CardSwapped':
        fly(cardIn(root, `s${seat}p${d.position}`), before.get('held') ?? before.get('deck'));
        fly(cardIn(root, 'discard'), before.get(`s${seat}p${d.position}`), 60);
        break;
      case 'CardFlipped':
      case 'FlipAsAction':
        flip(cardIn(root, `s${seat}p${d.position}`));
        break;
      case 'InitialCardsFlipped':
      case 'Knocked':
        for (const p of d.positions ?? []) flip(cardIn(root, `s${seat}p${p}`), 90 * flips++);
        break;
      case 'PlayerLeft':
        if (d.held_card) fly(cardIn(root, 'discard'), before.get('held'));
        break;
    }
  }
}
