// table.js — the game table, drawn from the view: opponents above, the
// deck, held card and discard pile in the middle, the viewer's grid large
// at the bottom, and a prompt that says exactly what can be done now. The
// whole table is rebuilt from each view; animate.js makes changes move.

import { icon } from './icons.js';
import { h } from './dom.js';
import { backEl, backName, cardName, faceEl, slotEl, slotLabel } from './cards.js';
import { actions, finalBanner, mySeat, thinking } from './prompt.js';
import { pairedColumns } from './pairs.js';

/** seatOrder lists the seats to draw as opponents: those after the viewer first. */
export function seatOrder(view) {
  const n = view.seats.length;
  const out = [];
  const start = view.seat >= 0 ? view.seat + 1 : 0;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    if (i !== view.seat) out.push(i);
  }
  return out;
}

function badges(view, room, i) {
  const s = view.seats[i];
  const online = room?.online?.[i] ?? true;
  return [
    i === view.seat && h('span', { class: 'badge you' }, 'You'),
    i === view.host && h('span', { class: 'badge host', title: 'Host' }, 'Host'),
    i === view.dealer && view.phase !== 'waiting' && h('span', { class: 'badge dealer', title: 'Dealer', 'aria-label': 'Dealer' }, 'D'),
    s.cpu && h('span', { class: 'badge cpu', title: s.cpu_profile ? `CPU (${s.cpu_profile})` : 'CPU' }, 'CPU'),
    !s.cpu && !online && !s.left && h('span', { class: 'badge offline' }, 'offline'),
    s.left && h('span', { class: 'badge left' }, 'left'),
  ];
}

function seatStatus(view, i) {
  const s = view.seats[i];
  const parts = [];
  if (s.auto) parts.push(h('span', { class: 'auto' }, `CPU playing for ${s.name}`));
  if (thinking(view, i)) parts.push(h('span', { class: 'thinking', dataset: { thinking: '1' } }, 'thinking', h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i'))));
  else if (view.current === i && !s.cpu && !s.auto && i !== view.seat) parts.push(h('span', { class: 'turn-note' }, 'playing…'));
  if (view.phase === 'final_turn' && view.finisher === i) parts.push(h('span', { class: 'went-out' }, 'went out'));
  return parts;
}

function scoreLine(view, i) {
  const s = view.seats[i];
  // The server works out the running sum (rules §12.2): face-up pairs as they score.
  const shown = s.left ? null : s.showing;
  return h('div', { class: 'score-line' },
    shown != null && h('span', { class: 'showing', title: 'Sum of face-up cards' }, 'Showing ', h('b', { dataset: { showing: shown } }, shown)),
    h('span', { class: 'total', title: 'Total so far' }, 'Total ', h('b', null, s.total)));
}

function miniGrid(view, i) {
  const s = view.seats[i];
  const paired = new Set(pairedColumns(s));
  return h('div', { class: 'grid grid-small', role: 'group', 'aria-label': `${s.name}'s cards` },
    s.cards.map((slot, pos) => h('div', {
      class: ['slot', paired.has(pos % 3) && 'paired'],
      role: 'img',
      'aria-label': slotLabel(slot, pos),
      dataset: { seat: i, pos, up: slot.up ? '1' : '0', rank: slot.card?.rank, anim: `s${i}p${pos}` },
    }, slotEl(slot))));
}

function opponent(view, room, i) {
  const s = view.seats[i];
  const online = s.cpu || (room?.online?.[i] ?? true);
  return h('section', {
    class: ['seat', 'opponent', view.current === i && 'current', !online && 'offline', s.left && 'gone', thinking(view, i) && 'is-thinking'],
    dataset: { seat: i, current: view.current === i ? '1' : '0', online: online ? '1' : '0' },
    'aria-label': `${s.name}${view.current === i ? ', playing now' : ''}`,
  },
  h('header', null, h('span', { class: 'name' }, s.name), badges(view, room, i)),
  s.left ? h('p', { class: 'gone-note' }, 'Left the game') : miniGrid(view, i),
  scoreLine(view, i),
  h('div', { class: 'seat-status' }, seatStatus(view, i)));
}

function myGrid(view, act, selected) {
  const me = mySeat(view);
  const paired = new Set(pairedColumns(me));
  const verb = { initial: 'turn up', swap: 'swap here', flip: 'flip', flip_as_action: 'flip as your turn' }[act.grid];
  return h('div', { class: ['grid', 'grid-big', act.grid && 'grid-live'], role: 'group', 'aria-label': 'Your cards', dataset: { mode: act.grid ?? '' } },
    me.cards.map((slot, pos) => {
      const pickable = act.pickable.has(pos);
      const sel = selected.has(pos);
      return h('button', {
        type: 'button',
        class: ['slot', 'slot-button', paired.has(pos % 3) && 'paired', pickable && 'pickable', sel && 'selected'],
        disabled: !pickable,
        'aria-pressed': act.grid === 'initial' ? String(sel) : null,
        'aria-label': slotLabel(slot, pos) + (pickable && verb ? ` — ${verb} (key ${pos + 1})` : ''),
        dataset: { seat: view.seat, pos, up: slot.up ? '1' : '0', rank: slot.card?.rank, action: 'grid', key: `grid-${pos}`, anim: `s${view.seat}p${pos}` },
      }, slotEl(slot), h('span', { class: 'kbd-hint', 'aria-hidden': 'true' }, pos + 1));
    }));
}

function piles(view, act) {
  const top = view.discard.at(-1);
  const deckLabel = view.deck_size > 0
    ? `Deck, ${view.deck_size} cards, ${backName(view.deck_back)} back on top`
    : 'Deck, empty';
  const held = view.held;
  const holder = held ? (held.seat === view.seat ? 'You hold' : `${view.seats[held.seat]?.name ?? 'Someone'} holds`) : '';
  return h('div', { class: 'piles' },
    h('div', { class: 'pile-wrap' },
      h('button', {
        type: 'button', id: 'deck', class: ['pile', 'deck', act.deck && 'live'],
        disabled: !act.deck,
        'aria-label': deckLabel + (act.deck ? ' — draw (D)' : ''),
        dataset: { action: 'draw-deck', key: 'deck', size: view.deck_size, back: view.deck_back, anim: 'deck' },
      },
      view.deck_size > 0 ? backEl(view.deck_back) : h('div', { class: 'card empty' }),
      view.deck_size > 1 && h('div', { class: 'stack-edge', 'aria-hidden': 'true' })),
      h('span', { class: 'pile-caption' }, 'Deck · ', h('b', null, view.deck_size))),
    h('div', { class: ['held-zone', held && 'holding'], dataset: { from: held?.from ?? '', anim: 'held' }, 'aria-live': 'off' },
      held
        ? [held.card ? faceEl(held.card, { class: 'held-card' }) : backEl(held.back, { class: 'held-card' }),
          h('span', { class: 'pile-caption' }, holder)]
        : h('div', { class: 'card ghost', 'aria-hidden': 'true' })),
    h('div', { class: 'pile-wrap' },
      h('button', {
        type: 'button', id: 'discard', class: ['pile', 'discard', act.discardPile && 'live'],
        disabled: !act.discardPile,
        'aria-label': (top ? `Discard pile, ${cardName(top)} on top, ${view.discard.length} cards` : 'Discard pile, empty') + (act.discardPile ? ' — take (P)' : ''),
        dataset: { action: 'draw-discard', key: 'discard', size: view.discard.length, rank: top?.rank, anim: 'discard' },
      }, top ? faceEl(top) : h('div', { class: 'card empty' })),
      h('span', { class: 'pile-caption' }, 'Discard · ', h('b', null, view.discard.length))));
}

/** actionBar has a button for each listed move that is not a card to click. */
function actionBar(act) {
  const btn = (move, action, text, key) => move && h('button', {
    type: 'button', class: 'btn action', dataset: { action, key: 'act-' + action },
  }, text, h('kbd', null, key));
  return h('div', { class: 'action-bar' },
    btn(act.deck, 'draw-deck', 'Draw', 'D'),
    btn(act.discardPile, 'draw-discard', 'Take discard', 'P'),
    btn(act.discard, 'discard', 'Discard', 'X'),
    btn(act.putBack, 'put-back', 'Put back', 'B'),
    btn(act.skipFlip, 'skip-flip', 'Skip flip', 'S'),
    btn(act.knock, 'knock', 'Knock', 'K'));
}

/** topBar is the strip above the table: room, hole counter, rules, tools. */
export function topBar(view, tools) {
  const labels = view.labels?.length ? view.labels : ['Standard rules'];
  const hole = view.round > 0 ? `Hole ${view.round} of ${view.rounds}` : `${view.rounds} holes`;
  return h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, icon('flag', 'logo'), 'Golf'),
    h('div', { class: 'room-tag' }, h('span', { class: 'room-word' }, 'Room '), h('b', { dataset: { room: view.room_code } }, view.room_code)),
    h('div', { class: 'hole-tag', dataset: { round: view.round, rounds: view.rounds } }, hole),
    tools,
    h('ul', { class: 'rule-chips', 'aria-label': 'House rules in play' },
      labels.map((l) => h('li', { class: 'chip' }, l)),
      h('li', { class: 'chip chip-quiet', title: 'Cards each player turns up at the start of a hole' }, `${view.options.initial_flips} up at start`)));
}

/**
 * renderTable draws the table. ctx: {view, moves, room, selected, tools}.
 * Controls carry data-action (and data-pos on grid cards); main.js wires
 * them by delegation. A spectator has no hand: the seats take the space,
 * half above the piles and half below, with larger cards.
 */
export function renderTable(ctx) {
  const { view, room, selected } = ctx;
  const act = actions(view, ctx.moves, selected);
  const me = mySeat(view);
  const banner = finalBanner(view);
  const curName = view.current >= 0 ? view.seats[view.current]?.name : '';
  const others = seatOrder(view);
  const top = me ? others : others.slice(0, Math.ceil(others.length / 2));
  const row = (seats, cls) => h('section', {
    class: ['opponents', cls], 'aria-label': me ? 'Other players' : 'Players', style: `--per-row: ${Math.max(1, seats.length)}`,
  }, seats.map((i) => opponent(view, room, i)));
  return h('div', {
    class: ['table', act.mine && 'my-turn', me ? 'seated' : 'watching'],
    dataset: {
      phase: view.phase, step: view.step, current: view.current, seat: view.seat,
      myTurn: act.mine ? '1' : '0', grid: act.grid ?? '', flip: view.flip, heldFrom: view.held?.from ?? '',
      need: act.need, round: view.round,
    },
  },
  topBar(view, ctx.tools),
  row(top, 'opponents-top'),
  h('section', { class: 'center', 'aria-label': 'Deck and discard pile' },
    banner && h('div', { class: 'banner final-banner', role: 'status' }, banner),
    piles(view, act),
    h('div', { class: ['prompt', act.mine && 'prompt-mine'], dataset: { prompt: act.prompt } },
      h('p', { class: 'prompt-main', id: 'prompt' }, act.prompt || (curName ? `${curName}’s turn` : '')),
      act.detail && h('p', { class: 'prompt-detail' }, act.detail),
      !me && h('p', { class: 'spectator-note' }, icon('eye'), ' You are watching this game.')),
    me && actionBar(act)),
  me
    ? h('section', {
      class: ['seat', 'mine', view.current === view.seat && 'current'],
      dataset: { seat: view.seat },
      'aria-label': 'Your hand',
    },
    h('header', null, h('span', { class: 'name' }, me.name), badges(view, room, view.seat),
      h('div', { class: 'seat-status' }, seatStatus(view, view.seat)), scoreLine(view, view.seat)),
    me.left ? h('p', { class: 'gone-note' }, 'You left this game.') : myGrid(view, act, selected))
    : row(others.slice(top.length), 'opponents-bottom'));
}
