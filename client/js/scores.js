// scores.js — the score sheet between holes (from view.last_round) and the
// final results (from view.result): revealed hands, every adjustment by its
// rule's label, round scores, totals, winners, and the ranking.

import { icon } from './icons.js';
import { h } from './dom.js';
import { faceEl } from './cards.js';
import { joinNames } from './prompt.js';
import { optionLabel } from './rulesdata.js';
import { humanize } from './text.js';
import { statsLinks } from './leaderboard.js';

function signed(n) {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

function handGrid(hand) {
  return h('div', { class: 'grid grid-tiny', 'aria-hidden': 'true' }, hand.map((c) => h('div', { class: 'slot' }, c ? faceEl(c) : null)));
}

/** ranking orders players by total, lowest first; equal totals share a place. */
export function ranking(players) {
  const sorted = [...players].sort((a, b) => a.total - b.total);
  let place = 0;
  return sorted.map((p, i) => {
    if (i === 0 || p.total !== sorted[i - 1].total) place = i + 1;
    return { ...p, place };
  });
}

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

function sheet(view, rules, nameOf) {
  const lr = view.last_round;
  if (!lr) return null;
  const winners = new Set(lr.winners ?? []);
  const finisher = lr.finisher_id ? nameOf(lr.finisher_id) : '';
  const how = lr.reason === 'deck_exhausted' ? 'The deck ran out: nobody went out.' : finisher ? `${finisher} went out.` : '';
  return h('div', { class: 'sheet', dataset: { round: lr.round } },
    how && h('p', { class: 'sheet-how' }, how),
    h('div', { class: 'sheet-rows', role: 'table', 'aria-label': `Scores for hole ${lr.round}` },
      h('div', { class: 'sheet-row sheet-head', role: 'row' },
        ['Player', 'Hand', 'Cards', 'Adjustments', 'Hole', 'Total'].map((t) => h('span', { role: 'columnheader' }, t))),
      lr.players.map((p) => h('div', {
        class: ['sheet-row', winners.has(p.player_id) && 'winner'], role: 'row',
        dataset: { player: p.player_id, roundScore: p.round_score, total: p.total },
      },
      h('span', { class: 'who', role: 'cell' }, winners.has(p.player_id) && h('span', { class: 'trophy', title: 'Won the hole' }, icon('trophy'), h('span', { class: 'sr-only' }, 'Won the hole: ')), nameOf(p.player_id, true)),
      h('span', { class: 'hand', role: 'cell' }, handGrid(p.hand)),
      h('span', { class: 'num', role: 'cell', 'data-label': 'Cards' }, p.hand_score),
      h('span', { class: 'adjust', role: 'cell' },
        p.adjustments?.length
          ? p.adjustments.map((a) => h('span', { class: ['adj', a.points < 0 ? 'good' : 'bad'] }, `${optionLabel(rules, a.rule) || humanize(a.rule)} ${signed(a.points)}`))
          : h('span', { class: 'muted' }, '—')),
      h('span', { class: 'num strong', role: 'cell', 'data-label': 'Hole' }, p.round_score),
      h('span', { class: 'num', role: 'cell', 'data-label': 'Total' }, p.total)))));
}

/**
 * deadline is when the next hole is dealt, on the page's monotonic clock
 * (performance.now()), or 0 for none. It relies on the server's clock
 * alone: next_round_at − now is how long the server will wait from the
 * frame on, and receivedAt is when the frame arrived, so a client clock set
 * wrong changes nothing. A frame without now (an older server) falls back
 * on the client's clock.
 */
export function deadline(room, receivedAt, clientNow = Date.now()) {
  const at = room?.next_round_at ?? 0;
  if (at <= 0) return 0;
  return receivedAt + (at - (room.now || clientNow));
}

/** secondsLeft is the countdown to a deadline, in whole seconds, never below 0. */
export function secondsLeft(deadlineMs, nowMs) {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/**
 * renderScoreSheet draws the between-holes overlay. ctx: {view, room,
 * rules, nameOf, isHost}; room.deadline is deadline()'s. The countdown
 * element is kept live by main.js.
 */
export function renderScoreSheet(ctx) {
  const { view, room, isHost } = ctx;
  const lr = view.last_round;
  const winners = (lr?.winners ?? []).map((id) => ctx.nameOf(id));
  const counting = (room?.next_round_at ?? 0) > 0;
  const at = room?.deadline ?? 0;
  return h('section', { class: 'overlay', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'sheet-title', dataset: { screen: 'scores' } },
    h('div', { class: 'panel sheet-panel' },
      h('h2', { id: 'sheet-title', tabindex: '-1', dataset: { key: 'sheet-title' } }, `Hole ${lr?.round ?? view.round} of ${view.rounds}`),
      winners.length > 0 && h('p', { class: 'sheet-winners' }, `${joinNames(winners)} ${winners.length === 1 && winners[0] !== 'You' ? 'wins' : 'win'} the hole`),
      sheet(view, ctx.rules, ctx.nameOf),
      h('div', { class: 'sheet-next' },
        counting && h('p', { class: 'countdown', 'aria-live': 'off' }, 'Next hole in ', h('b', { dataset: { countdown: at } }, secondsLeft(at, performance.now())), ' s'),
        isHost
          ? h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'next-round', key: 'next-round' } }, 'Deal next hole', h('kbd', null, 'N'))
          : !counting && h('p', { class: 'muted' }, 'Waiting for the host to deal the next hole…'))));
}

/** renderResults draws the final results. ctx: {view, room, rules, nameOf, isHost}. */
export function renderResults(ctx) {
  const { view, isHost } = ctx;
  const res = view.result ?? { players: [], winners: [], reason: 'completed' };
  const winners = new Set(res.winners ?? []);
  const abandoned = res.reason === 'abandoned';
  const ranked = ranking(res.players ?? []);
  const names = [...winners].map((id) => ctx.nameOf(id));
  return h('section', { class: 'overlay results', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'results-title', dataset: { screen: 'results' } },
    h('div', { class: 'panel sheet-panel' },
      h('h2', { id: 'results-title', tabindex: '-1', dataset: { key: 'results-title' } }, abandoned ? 'Game ended early' : 'Final results'),
      !abandoned && names.length > 0 && h('p', { class: 'sheet-winners big' }, icon('trophy'), ' ', `${joinNames(names)} ${names.length === 1 && names[0] !== 'You' ? 'wins' : 'win'}!`),
      abandoned && h('p', { class: 'muted' }, 'Nobody wins an abandoned game. Totals as they stood:'),
      h('ol', { class: 'ranking' }, ranked.map((p) => h('li', {
        class: ['rank-row', winners.has(p.player_id) && 'winner', p.departed && 'departed'],
        dataset: { player: p.player_id, place: p.place, total: p.total },
      },
      h('span', { class: 'place' }, abandoned ? '–' : ordinal(p.place)),
      h('span', { class: 'who' }, ctx.nameOf(p.player_id, true), p.departed && h('span', { class: 'muted' }, ' (left)')),
      h('span', { class: 'won' }, `${p.rounds_won} hole${p.rounds_won === 1 ? '' : 's'} won`),
      h('span', { class: 'num strong' }, p.total)))),
      view.last_round && h('details', { class: 'last-hole' }, h('summary', null, `Hole ${view.last_round.round} scores`), sheet(view, ctx.rules, ctx.nameOf)),
      h('div', { class: 'sheet-next' },
        ctx.room?.rematch
          ? h('a', { class: 'btn btn-primary', href: `/r/${ctx.room.rematch}`, dataset: { key: 'rematch-link' } }, `Go to the rematch (room ${ctx.room.rematch})`)
          : isHost && h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'rematch', key: 'rematch' } }, 'Rematch'),
        h('button', { type: 'button', class: 'btn', dataset: { action: 'lobby', key: 'lobby' } }, 'Back to lobby'),
        statsLinks(ctx.me))));
}
