// prompt.js — what the viewer can do right now, and what the prompt says.
// The controls come only from the state frame's `moves`: every game command
// the server would accept from this viewer now, in its exact wire form
// (docs/protocol.md). A control is offered only for a listed move, and
// pressing it sends that move as it is, so the client never re-derives a
// rule. The prompt's words read the view (whose turn, what is held), which
// is presentation only.

import { cardName } from './cards.js';

const PLAYING = new Set(['playing', 'final_turn']);

/** joinNames writes "Ann", "Ann and Bob" or "Ann, Bob and Cy". */
export function joinNames(names) {
  if (names.length <= 1) return names.join('');
  return names.slice(0, -1).join(', ') + ' and ' + names.at(-1);
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
  const name = (i) => (i === view.seat ? 'You' : view.seats[i]?.name ?? 'Someone');

  if (a.grid === 'initial') {
    const n = a.need;
    a.prompt = `Turn up ${n} card${n === 1 ? '' : 's'} to start`;
    a.detail = selected.size ? `${selected.size} of ${n} chosen` : 'Pick any of your face-down cards.';
    return a;
  }
  if (view.phase === 'initial_flip') {
    const waiting = view.seats.filter((s) => !s.left && !s.flipped).map((s) => s.name);
    a.prompt = waiting.length ? `Waiting for ${joinNames(waiting)}` : 'Starting…';
    a.detail = 'Everyone turns up their first cards.';
    return a;
  }
  if (!PLAYING.has(view.phase)) return a;

  const last = view.phase === 'final_turn' ? 'Last turn: ' : '';
  if (a.deck || a.discardPile) {
    const top = view.discard.at(-1);
    const extra = [];
    if (a.grid === 'flip_as_action') extra.push('flip a face-down card as your turn');
    if (a.knock) extra.push('knock');
    a.prompt = last + 'Draw a card';
    a.detail = (a.discardPile && top ? `From the deck, or take the ${cardName(top)}` : 'From the deck') +
      (extra.length ? ` — or ${extra.join(', or ')}` : '') + '.';
    return a;
  }
  if (a.grid === 'swap') {
    a.prompt = last + (a.discard ? 'Swap into your grid or discard' : a.putBack ? 'Swap into your grid or put it back' : 'Swap into your grid');
    a.detail = view.held?.card ? `You hold the ${cardName(view.held.card)}.` : '';
    return a;
  }
  if (a.grid === 'flip' || a.skipFlip) {
    a.prompt = 'Flip one of your face-down cards';
    a.detail = a.skipFlip ? 'Or skip: this flip is optional.' : 'Speed Golf: the flip is required.';
    return a;
  }
  if (a.mine) return a; // moves this screen has no words for: the controls still show

  const cur = view.current;
  if (cur === view.seat) {
    a.prompt = 'Your turn'; // with no moves listed yet: the next frame brings them
  } else if (cur >= 0) {
    const s = view.seats[cur];
    const who = name(cur);
    const thinking = s?.cpu || s?.auto;
    a.prompt = `${who}’s turn`;
    a.detail = view.step === 'holding'
      ? `${who} is holding ${view.held?.card ? 'the ' + cardName(view.held.card) : 'a card from the deck'}.`
      : view.step === 'flip_owed' ? `${who} is choosing a card to flip.`
        : thinking ? `${who} is thinking…` : `${who} is choosing a card.`;
  }
  return a;
}

/** finalBanner is the final-turn warning, or '' when nobody went out. */
export function finalBanner(view) {
  if (view.phase !== 'final_turn' || view.finisher < 0) return '';
  const f = view.seats[view.finisher];
  const who = view.finisher === view.seat ? 'You' : f?.name ?? 'Someone';
  const me = mySeat(view);
  const tail = me && me.owed ? (view.current === view.seat ? ' — this is your last turn!' : ' — you get one last turn.') : ' — last turns!';
  return `${who} went out${tail}`;
}

/** thinking reports whether seat i is a CPU (or autoplayed seat) expected to act now. */
export function thinking(view, i) {
  const s = view.seats[i];
  if (!s || s.left || !(s.cpu || s.auto)) return false;
  if (view.phase === 'initial_flip') return !s.flipped;
  return PLAYING.has(view.phase) && view.current === i;
}
