// table.js — the game table, drawn from the view: opponents above, the
// deck, held card and discard pile in the middle, the viewer's grid large
// at the bottom, and a prompt that says exactly what can be done now. The
// whole table is rebuilt from each view; animate.js makes changes move.

import { icon } from './icons.js';
import { h } from './dom.js';
import { backEl, backName, cardName, faceEl, slotEl, slotLabel } from './cards.js';
import { actions, finalBanner, mySeat, thinking } from './prompt.js';
import { pairedColumns } from './pairs.js';
import { list, t } from './i18n.js';
import { secondsLeft } from './scores.js';

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
    i === view.seat && h('span', { class: 'badge you' }, t('badge.you')),
    i === view.host && h('span', { class: 'badge host' }, t('badge.host')),
    i === view.dealer && view.phase !== 'waiting' && h('span', { class: 'badge dealer', 'aria-label': t('badge.dealer') }, t('badge.dealer_letter')),
    s.cpu && h('span', { class: 'badge cpu' }, t('badge.cpu')),
    !s.cpu && !online && !s.left && h('span', { class: 'badge offline' }, t('badge.offline')),
    s.left && h('span', { class: 'badge left' }, t('badge.left')),
    room?.replaced?.[i] && !s.cpu && h('span', { class: 'badge replaced', dataset: { key: 'replaced-' + i } }, t('badge.replaced')),
    room?.away?.[i] && !room?.replaced?.[i] && !s.cpu && h('span', { class: 'badge away', dataset: { key: 'away-' + i } }, t('badge.away')),
  ];
}

/**
 * turnTimer is the countdown on a seat whose time is running (the turn
 * timer): main.js keeps its seconds current, and marks the last ten.
 */
function turnTimer(room, i) {
  const at = room?.seatDeadlines?.[i] ?? 0;
  if (!at) return null;
  const left = secondsLeft(at, performance.now());
  return h('span', { class: ['turn-timer', left <= 10 && 'urgent'], role: 'timer', dataset: { key: 'timer-' + i, seat: i } },
    icon('clock'), h('span', { class: 'sr-only' }, t('seat.time_left') + ' '),
    h('b', { dataset: { countdown: at } }, left), h('span', { 'aria-hidden': 'true' }, t('seat.seconds_unit')));
}

/** replaceButton lets the host hand a human's seat to a CPU for the rest of the game. */
function replaceButton(view, room, i) {
  const s = view.seats[i];
  if (view.seat < 0 || view.seat !== view.host || i === view.seat || s.cpu || s.left || room?.replaced?.[i]) return null;
  if (['waiting', 'game_over'].includes(view.phase)) return null;
  return h('button', {
    type: 'button', class: 'btn btn-tiny btn-quiet', dataset: { action: 'replace', player: s.id, key: 'replace-' + i },
    'aria-label': t('seat.replace_label', { name: s.name }), title: t('seat.replace_label', { name: s.name }),
  }, t('seat.replace'));
}

function seatStatus(view, i) {
  const s = view.seats[i];
  const parts = [];
  if (s.auto) parts.push(h('span', { class: 'auto' }, t('seat.auto', { name: s.name })));
  if (thinking(view, i)) parts.push(h('span', { class: 'thinking', dataset: { thinking: '1' } }, t('seat.thinking'), h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i'))));
  else if (view.current === i && !s.cpu && !s.auto && i !== view.seat) parts.push(h('span', { class: 'turn-note' }, t('seat.playing')));
  if (view.phase === 'final_turn' && view.finisher === i) parts.push(h('span', { class: 'went-out' }, t('seat.went_out')));
  return parts;
}

function scoreLine(view, i) {
  const s = view.seats[i];
  // The server works out the running sum (rules §12.2): face-up pairs as they score.
  const shown = s.left ? null : s.showing;
  // Each figure sits above its word, so the line never wraps on a phone.
  return h('div', { class: 'score-line' },
    shown != null && h('span', { class: 'stat showing' }, h('b', { dataset: { showing: shown } }, shown), h('span', { class: 'stat-word' }, t('seat.showing'))),
    h('span', { class: 'stat total' }, h('b', null, s.total), h('span', { class: 'stat-word' }, t('seat.total'))));
}

function miniGrid(view, i) {
  const s = view.seats[i];
  const paired = new Set(pairedColumns(s));
  return h('div', { class: 'grid grid-small', role: 'group', 'aria-label': t('seat.cards_of', { name: s.name }) },
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
    'aria-label': view.current === i ? t('seat.playing_now', { name: s.name }) : s.name,
  },
  h('header', null, h('span', { class: 'name' }, s.name), badges(view, room, i), turnTimer(room, i)),
  s.left ? h('p', { class: 'gone-note' }, t('seat.left_game')) : miniGrid(view, i),
  scoreLine(view, i),
  h('div', { class: 'seat-status' }, seatStatus(view, i), replaceButton(view, room, i)));
}

function myGrid(view, act, selected) {
  const me = mySeat(view);
  const paired = new Set(pairedColumns(me));
  const verb = act.grid ? t(`grid.verb.${act.grid}`) : '';
  return h('div', { class: ['grid', 'grid-big', act.grid && 'grid-live'], role: 'group', 'aria-label': t('grid.mine'), dataset: { mode: act.grid ?? '' } },
    me.cards.map((slot, pos) => {
      const pickable = act.pickable.has(pos);
      const sel = selected.has(pos);
      return h('button', {
        type: 'button',
        class: ['slot', 'slot-button', paired.has(pos % 3) && 'paired', pickable && 'pickable', sel && 'selected'],
        disabled: !pickable,
        'aria-pressed': act.grid === 'initial' ? String(sel) : null,
        'aria-label': pickable && verb ? t('grid.pick_label', { slot: slotLabel(slot, pos), verb, key: pos + 1 }) : slotLabel(slot, pos),
        dataset: { seat: view.seat, pos, up: slot.up ? '1' : '0', rank: slot.card?.rank, action: 'grid', key: `grid-${pos}`, anim: `s${view.seat}p${pos}` },
      }, slotEl(slot), h('span', { class: 'kbd-hint', 'aria-hidden': 'true' }, pos + 1));
    }));
}

function piles(view, act) {
  const top = view.discard.at(-1);
  const deckLabel = view.deck_size > 0
    ? t('pile.deck_label', { count: view.deck_size, back: backName(view.deck_back) })
    : t('pile.deck_empty');
  const held = view.held;
  const holder = held ? (held.seat === view.seat ? t('pile.you_hold') : t('pile.holds', { name: view.seats[held.seat]?.name ?? t('common.someone') })) : '';
  return h('div', { class: 'piles' },
    h('div', { class: 'pile-wrap' },
      h('button', {
        type: 'button', id: 'deck', class: ['pile', 'deck', act.deck && 'live'],
        disabled: !act.deck,
        'aria-label': act.deck ? t('pile.deck_live', { label: deckLabel }) : deckLabel,
        dataset: { action: 'draw-deck', key: 'deck', size: view.deck_size, back: view.deck_back, anim: 'deck' },
      },
      view.deck_size > 0 ? backEl(view.deck_back) : h('div', { class: 'card empty' }),
      view.deck_size > 1 && h('div', { class: 'stack-edge', 'aria-hidden': 'true' })),
      h('span', { class: 'pile-caption' }, t('pile.deck'), ' · ', h('b', null, view.deck_size))),
    h('div', { class: ['held-zone', held && 'holding'], dataset: { from: held?.from ?? '', anim: 'held' }, 'aria-live': 'off' },
      held
        ? [held.card ? faceEl(held.card, { class: 'held-card' }) : backEl(held.back, { class: 'held-card' }),
          h('span', { class: 'pile-caption' }, holder)]
        : h('div', { class: 'card ghost', 'aria-hidden': 'true' })),
    h('div', { class: 'pile-wrap' },
      h('button', {
        type: 'button', id: 'discard', class: ['pile', 'discard', act.discardPile && 'live'],
        disabled: !act.discardPile,
        'aria-label': (top ? t('pile.discard_label', { card: cardName(top), count: view.discard.length }) : t('pile.discard_empty')) +
          (act.discardPile ? t('pile.discard_live') : ''),
        dataset: { action: 'draw-discard', key: 'discard', size: view.discard.length, rank: top?.rank, anim: 'discard' },
      }, top ? faceEl(top) : h('div', { class: 'card empty' })),
      h('span', { class: 'pile-caption' }, t('pile.discard'), ' · ', h('b', null, view.discard.length))));
}

/** actionBar has a button for each listed move that is not a card to click. */
function actionBar(act) {
  const btn = (move, action, text, key) => move && h('button', {
    type: 'button', class: 'btn action', dataset: { action, key: 'act-' + action },
  }, text, h('kbd', null, key));
  return h('div', { class: 'action-bar' },
    btn(act.deck, 'draw-deck', t('act.draw'), 'D'),
    btn(act.discardPile, 'draw-discard', t('act.take'), 'P'),
    btn(act.discard, 'discard', t('act.discard'), 'X'),
    btn(act.putBack, 'put-back', t('act.put_back'), 'B'),
    btn(act.skipFlip, 'skip-flip', t('act.skip_flip'), 'S'),
    btn(act.knock, 'knock', t('act.knock'), 'K'));
}

/**
 * legend says what the table's marks mean, in words on the table rather
 * than in a tooltip: the dealer's badge, and, with two or three decks, why
 * the backs differ in colour.
 */
function legend(view) {
  const decks = view.decks || 1; // the number dealt with, once the game has started
  return h('p', { class: 'legend', dataset: { key: 'legend' } },
    view.dealer >= 0 && h('span', { class: 'legend-item' }, h('span', { class: 'badge dealer', 'aria-hidden': 'true' }, t('badge.dealer_letter')), ' ',
      t('legend.dealer', { name: view.dealer === view.seat ? t('common.you') : view.seats[view.dealer]?.name ?? '' })),
    decks > 1 && h('span', { class: 'legend-item', dataset: { decks } },
      h('span', { class: 'legend-backs', 'aria-hidden': 'true' }, [...Array(decks).keys()].map((d) => backEl(d, { class: 'mini-back' }))), ' ',
      t('legend.decks', { count: decks, backs: backList(decks) })));
}

function backList(n) {
  return list([...Array(n).keys()].map(backName));
}

/** topBar is the strip above the table: room, hole counter, rules, tools. */
export function topBar(view, tools, labelOf = (l) => l) {
  const labels = view.labels?.length ? view.labels.map(labelOf) : [t('top.standard')];
  const hole = view.round > 0 ? t('top.hole', { round: view.round, rounds: view.rounds }) : t('top.holes', { count: view.rounds });
  return h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, icon('flag', 'logo'), 'Golf'),
    h('div', { class: 'room-tag' }, h('span', { class: 'room-word' }, t('top.room') + ' '), h('b', { dataset: { room: view.room_code } }, view.room_code)),
    h('div', { class: 'hole-tag', dataset: { round: view.round, rounds: view.rounds } }, hole),
    tools,
    h('ul', { class: 'rule-chips', 'aria-label': t('top.rules_in_play') },
      labels.map((l) => h('li', { class: 'chip' }, l)),
      h('li', { class: 'chip chip-quiet' }, t('top.up_at_start', { count: view.options.initial_flips }))));
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
  const away = !!me && !!room?.away?.[view.seat];
  const curName = view.current >= 0 ? view.seats[view.current]?.name : '';
  const others = seatOrder(view);
  const top = me ? others : others.slice(0, Math.ceil(others.length / 2));
  const row = (seats, cls) => h('section', {
    class: ['opponents', cls], 'aria-label': me ? t('table.others') : t('table.players'), style: `--per-row: ${Math.max(1, seats.length)}`,
  }, seats.map((i) => opponent(view, room, i)));
  return h('div', {
    class: ['table', act.mine && 'my-turn', me ? 'seated' : 'watching'],
    dataset: {
      phase: view.phase, step: view.step, current: view.current, seat: view.seat,
      myTurn: act.mine ? '1' : '0', grid: act.grid ?? '', flip: view.flip, heldFrom: view.held?.from ?? '',
      need: act.need, round: view.round,
    },
  },
  topBar(view, ctx.tools, ctx.rules?.labelOf),
  row(top, 'opponents-top'),
  h('section', { class: 'center', 'aria-label': t('table.center') },
    banner && h('div', { class: 'banner final-banner', role: 'status' }, banner),
    piles(view, act),
    // Away, the CPU plays for the viewer: the banner takes the prompt's place.
    away
      ? h('div', { class: 'banner away-banner', role: 'status', dataset: { key: 'away-banner' } },
        h('span', null, t('away.you')), ' ',
        h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'back', key: 'back' } }, t('away.back')))
      : [h('div', { class: ['prompt', act.mine && 'prompt-mine'], dataset: { prompt: act.prompt } },
        h('p', { class: 'prompt-main', id: 'prompt' }, act.prompt || (curName ? t('prompt.their_turn', { name: curName }) : '')),
        act.detail && h('p', { class: 'prompt-detail' }, act.detail),
        !me && h('p', { class: 'spectator-note' }, icon('eye'), ' ', t('table.watching'))),
      me && actionBar(act)],
    legend(view)),
  me
    ? h('section', {
      class: ['seat', 'mine', view.current === view.seat && 'current'],
      dataset: { seat: view.seat },
      'aria-label': t('table.your_hand'),
    },
    h('header', null, h('span', { class: 'name' }, me.name), badges(view, room, view.seat), turnTimer(room, view.seat),
      h('div', { class: 'seat-status' }, seatStatus(view, view.seat)), scoreLine(view, view.seat)),
    me.left ? h('p', { class: 'gone-note' }, t('table.you_left')) : myGrid(view, act, selected))
    : row(others.slice(top.length), 'opponents-bottom'));
}
