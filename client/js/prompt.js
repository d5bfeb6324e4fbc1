// prompt.js — what the viewer can do right now, and what the prompt says.
// The controls come only from the state frame's `moves`: every game command
// the server would accept from this viewer now, in its exact wire form
// (docs/protocol.md). A control is offered only for a listed move, and
// pressing it sends that move as it is, so the client never re-derives a
// rule. The prompt's words read the view (whose turn, what is held), which
// is presentation only.

import { cardThe } from './cards.js';
import { list, orList, t } from './i18n.js';

const PLAYING = new Set(['playing', 'final_turn']);

/** joinNames writes "Ann", "Ann and Bob" or "Ann, Bob and Cy" (in the page's language). */
export function joinNames(names) {
  return list(names);
}

/** mySeat returns the viewer's seat view, or null for a spectator. */
export function mySeat(view) {
  return view.seat >= 0 ? view.seats[view.seat] ?? null : null;
}

/** GRID_MOVES are the moves a click on one of the viewer's own cards makes. */
const GRID_MOVES = new Set(['swap', 'flip', 'flip_as_action']);

/**
 * controls reads a frame's moves into what the screen offers:
 *   deck, discardPile, discard, putBack, skipFlip, knock: the move, or null;
 *   grid: how a click on one's own card is read — 'initial', 'swap',
 *     'flip', 'flip_as_action' — or null;
 *   pick: position → the move a click there sends (one-card moves);
 *   pickable: the positions that can be clicked now;
 *   need: how many cards the initial flip turns up;
 *   mine: whether there is anything to do at all.
 * selected is the set of positions chosen so far for the initial flip: a
 * position can be added only if some listed flip contains it and them.
 */
export function controls(moves = [], selected = new Set()) {
  const c = {
    deck: null, discardPile: null, discard: null, putBack: null, skipFlip: null, knock: null,
    grid: null, pick: new Map(), pickable: new Set(), need: 0, initial: [], mine: moves.length > 0,
  };
  for (const m of moves) {
    switch (m.type) {
      case 'draw':
        if (m.source === 'deck') c.deck = m;
        else if (m.source === 'discard') c.discardPile = m;
        break;
      case 'discard': c.discard = m; break;
      case 'put_back': c.putBack = m; break;
      case 'skip_flip': c.skipFlip = m; break;
      case 'knock': c.knock = m; break;
      case 'flip_initial': c.initial.push(m); break;
      default:
        if (GRID_MOVES.has(m.type) && Number.isInteger(m.pos) && (c.grid ?? m.type) === m.type) {
          c.grid = m.type;
          c.pick.set(m.pos, m);
        }
    }
  }
  if (c.initial.length) {
    c.grid = 'initial';
    c.need = c.initial[0].positions?.length ?? 0;
    for (const m of c.initial) {
      const pos = m.positions ?? [];
      if (![...selected].every((p) => pos.includes(p))) continue;
      for (const p of pos) c.pickable.add(p);
    }
    for (const p of selected) c.pickable.add(p); // to take a choice back
  } else {
    c.pickable = new Set(c.pick.keys());
  }
  return c;
}

/** initialMove is the listed initial flip of exactly the selected positions, or null. */
export function initialMove(c, selected) {
  if (selected.size !== c.need) return null;
  return c.initial.find((m) => m.positions.length === selected.size && m.positions.every((p) => selected.has(p))) ?? null;
}

/**
 * actions is controls(moves, selected) plus the words for them: prompt (what
 * to do, or whose turn it is) and detail (a line of explanation).
 */
export function actions(view, moves = [], selected = new Set()) {
  const a = { ...controls(moves, selected), prompt: '', detail: '' };
  if (a.grid === 'initial') {
    const n = a.need;
    a.prompt = t('prompt.initial', { count: n });
    a.detail = selected.size ? t('prompt.initial_chosen', { n: selected.size, count: n }) : t('prompt.initial_detail');
    return a;
  }
  if (view.phase === 'initial_flip') {
    const waiting = view.seats.filter((s) => !s.left && !s.flipped).map((s) => s.name);
    a.prompt = waiting.length ? t('prompt.waiting_for', { names: joinNames(waiting) }) : t('prompt.starting');
    a.detail = t('prompt.everyone_flips');
    return a;
  }
  if (!PLAYING.has(view.phase)) return a;

  const last = (text) => (view.phase === 'final_turn' ? t('prompt.last_turn', { prompt: text }) : text);
  if (a.deck || a.discardPile) {
    const top = view.discard.at(-1);
    const extra = [];
    if (a.grid === 'flip_as_action') extra.push(t('prompt.or_flip_as_action'));
    if (a.knock) extra.push(t('prompt.or_knock'));
    a.prompt = last(t('prompt.draw'));
    const from = a.discardPile && top ? t('prompt.draw_either', { card: cardThe(top) }) : t('prompt.draw_deck');
    a.detail = extra.length ? t('prompt.draw_or', { from, extra: orList(extra) }) : t('prompt.sentence', { text: from });
    return a;
  }
  if (a.grid === 'swap') {
    a.prompt = last(t(a.discard ? 'prompt.swap_or_discard' : a.putBack ? 'prompt.swap_or_put_back' : 'prompt.swap'));
    a.detail = view.held?.card ? t('prompt.you_hold', { card: cardThe(view.held.card) }) : '';
    return a;
  }
  if (a.grid === 'flip' || a.skipFlip) {
    a.prompt = t('prompt.flip');
    a.detail = a.skipFlip ? t('prompt.flip_optional') : t('prompt.flip_required');
    return a;
  }
  if (a.mine) return a; // moves this screen has no words for: the controls still show

  const cur = view.current;
  if (cur === view.seat) {
    a.prompt = t('prompt.your_turn'); // with no moves listed yet: the next frame brings them
  } else if (cur >= 0) {
    const s = view.seats[cur];
    const name = s?.name ?? t('common.someone');
    const thinking = s?.cpu || s?.auto;
    a.prompt = t('prompt.their_turn', { name });
    a.detail = view.step === 'holding'
      ? (view.held?.card ? t('prompt.holding', { name, card: cardThe(view.held.card) }) : t('prompt.holding_back', { name }))
      : view.step === 'flip_owed' ? t('prompt.choosing_flip', { name })
        : thinking ? t('prompt.thinking', { name }) : t('prompt.choosing', { name });
  }
  return a;
}

/** finalBanner is the final-turn warning, or '' when nobody went out. */
export function finalBanner(view) {
  if (view.phase !== 'final_turn' || view.finisher < 0) return '';
  const f = view.seats[view.finisher];
  const me = mySeat(view);
  const tail = me && me.owed ? (view.current === view.seat ? 'now' : 'later') : 'all';
  if (view.finisher === view.seat) return t('banner.you_out');
  return t(`banner.out_${tail}`, { name: f?.name ?? t('common.someone') });
}

/** thinking reports whether seat i is a CPU (or autoplayed seat) expected to act now. */
export function thinking(view, i) {
  const s = view.seats[i];
  if (!s || s.left || !(s.cpu || s.auto)) return false;
  if (view.phase === 'initial_flip') return !s.flipped;
  return PLAYING.has(view.phase) && view.current === i;
}
