// scores.js — the score sheet between holes (from view.last_round) and the
// final results (from view.result): revealed hands, every adjustment by its
// rule's label, round scores, totals, winners, and the ranking.

import { icon } from './icons.js';
import { h } from './dom.js';
import { faceEl } from './cards.js';
import { pairedColumns } from './pairs.js';
import { optionLabel } from './rulesdata.js';
import { humanize, winnersLine } from './text.js';
import { ordinal, t, tx } from './i18n.js';
import { statsLinks } from './leaderboard.js';
import { shareButtons } from './share.js';

function signed(n) {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

/** handGrid is a revealed hand, small, its column pairs marked as on the table. */
export function handGrid(hand) {
  const paired = new Set(pairedColumns({ cards: hand.map((card) => ({ up: !!card, card })) }));
  return h('div', { class: 'grid grid-tiny', 'aria-hidden': 'true' }, hand.map((c, pos) => h('div', {
    class: ['slot', paired.has(pos % 3) && 'paired', paired.has(pos % 3) && (pos < 3 ? 'pair-top' : 'pair-bottom')],
  }, c ? faceEl(c) : null)));
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

/** roundSheet is one hole's score sheet, from view.last_round (the replay reuses it). */
export function roundSheet(view, rules, nameOf, me, room) {
  const lr = view.last_round;
  const seatOf = (id) => view.seats.findIndex((s) => s.id === id);
  const ready = (id) => view.phase === 'round_over' && !!room?.ready?.[seatOf(id)];
  if (!lr) return null;
  const winners = new Set(lr.winners ?? []);
  const finisher = lr.finisher_id ? nameOf(lr.finisher_id) : '';
  const how = lr.reason === 'deck_exhausted' ? t('sheet.deck_out') : finisher ? (me(lr.finisher_id) ? t('sheet.you_went_out') : t('sheet.went_out', { name: finisher })) : '';
  return h('div', { class: 'sheet', dataset: { round: lr.round } },
    how && h('p', { class: 'sheet-how' }, how),
    h('div', { class: 'sheet-rows', role: 'table', 'aria-label': t('sheet.table_label', { round: lr.round }) },
      h('div', { class: 'sheet-row sheet-head', role: 'row' },
        ['player', 'hand', 'cards', 'adjustments', 'hole', 'total'].map((k) => h('span', { role: 'columnheader' }, t(`sheet.col.${k}`)))),
      lr.players.map((p) => h('div', {
        class: ['sheet-row', winners.has(p.player_id) && 'winner', ready(p.player_id) && 'is-ready'], role: 'row',
        dataset: { player: p.player_id, roundScore: p.round_score, total: p.total, ready: ready(p.player_id) ? '1' : '0' },
      },
      h('span', { class: 'who', role: 'cell' }, winners.has(p.player_id) && h('span', { class: 'trophy' }, icon('trophy'), h('span', { class: 'sr-only' }, t('sheet.won_hole'))), nameOf(p.player_id, true),
        ready(p.player_id) && h('span', { class: 'ready-mark' }, t('sheet.ready_mark'))),
      h('span', { class: 'hand', role: 'cell' }, handGrid(p.hand)),
      h('span', { class: 'num', role: 'cell', 'data-label': t('sheet.col.cards') }, p.hand_score),
      // No adjustment: nothing to show (a phone stacks the cells, where a dash would stand alone).
      h('span', { class: ['adjust', !p.adjustments?.length && 'none'], role: 'cell' },
        p.adjustments?.length
          ? p.adjustments.map((a) => h('span', { class: ['adj', a.points < 0 ? 'good' : 'bad'] }, `${optionLabel(rules, a.rule) || humanize(a.rule)} ${signed(a.points)}`))
          : h('span', { class: 'muted', 'aria-label': t('sheet.no_adjustments') }, '—')),
      h('span', { class: 'num strong', role: 'cell', 'data-label': t('sheet.col.hole') }, p.round_score),
      h('span', { class: 'num', role: 'cell', 'data-label': t('sheet.col.total') }, p.total)))));
}

/**
 * scorecard is the whole game, hole by hole: a row per hole, a column per
 * player (in the order of the ranking), each player's best hole (their
 * lowest score) marked, the totals at the foot. holes is scorecard.js's
 * record, {round: {scores: {player_id: score}}}; a hole this page never saw
 * the end of shows a dash.
 */
function scorecard(players, holes, count, nameOf) {
  const rounds = [...Array(count).keys()].map((i) => i + 1);
  const best = new Map(players.map((p) => {
    const scores = rounds.map((r) => holes[r]?.scores?.[p.player_id]).filter((x) => typeof x === 'number');
    return [p.player_id, scores.length ? Math.min(...scores) : null];
  }));
  return h('div', { class: 'scorecard-wrap' },
    h('table', { class: 'scorecard', dataset: { key: 'scorecard' } },
      h('caption', { class: 'sr-only' }, t('card.caption')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('card.hole')),
        players.map((p) => h('th', { scope: 'col', dataset: { player: p.player_id } }, h('span', { class: 'card-name' }, nameOf(p.player_id)))))),
      h('tbody', null, rounds.map((r) => h('tr', { dataset: { round: r } },
        h('th', { scope: 'row' }, r),
        players.map((p) => {
          const v = holes[r]?.scores?.[p.player_id];
          const isBest = typeof v === 'number' && v === best.get(p.player_id);
          return h('td', { class: ['num', isBest && 'best'], dataset: { player: p.player_id, score: v ?? '' } },
            typeof v === 'number' ? v : h('span', { class: 'muted', title: t('card.missed') }, '–'),
            isBest && h('span', { class: 'sr-only' }, ' ' + t('card.best')));
        })))),
      h('tfoot', null, h('tr', null,
        h('th', { scope: 'row' }, t('card.total')),
        players.map((p) => h('td', { class: 'num strong' }, p.total))))),
    h('p', { class: 'hint card-legend' }, h('span', { class: 'best-mark', 'aria-hidden': 'true' }), ' ', t('card.best_legend')),
    rounds.some((r) => !holes[r]) && h('p', { class: 'hint' }, t('card.missed_note')));
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

/**
 * seatDeadlines is room.deadlines (the turn timer's, by seat) on the
 * page's monotonic clock, as deadline() does for the next hole: 0 for a
 * seat not on the clock.
 */
export function seatDeadlines(room, receivedAt, clientNow = Date.now()) {
  return (room?.deadlines ?? []).map((at) => (at > 0 ? receivedAt + (at - (room.now || clientNow)) : 0));
}

/** secondsLeft is the countdown to a deadline, in whole seconds, never below 0. */
export function secondsLeft(deadlineMs, nowMs) {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/**
 * renderScoreSheet draws the between-holes overlay. ctx: {view, room,
 * rules, nameOf, me, isHost}; room.deadline is deadline()'s. The countdown
 * element is kept live by main.js.
 */
export function renderScoreSheet(ctx) {
  const { view, room, isHost } = ctx;
  const lr = view.last_round;
  const counting = (room?.next_round_at ?? 0) > 0;
  const at = room?.deadline ?? 0;
  // Anyone seated says when they are ready, or keeps the sheet up a while.
  const seated = view.seat >= 0 && !view.seats[view.seat]?.left;
  const imReady = seated && !!room?.ready?.[view.seat];
  return h('section', { class: 'overlay', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'sheet-title', dataset: { screen: 'scores' } },
    h('div', { class: 'panel sheet-panel' },
      h('h2', { id: 'sheet-title', tabindex: '-1', dataset: { key: 'sheet-title' } }, t('top.hole', { round: lr?.round ?? view.round, rounds: view.rounds })),
      lr?.winners?.length > 0 && h('p', { class: 'sheet-winners' }, winnersLine('sheet.hole_won', lr.winners, ctx.nameOf, ctx.me)),
      roundSheet(view, ctx.rules, ctx.nameOf, ctx.me, room),
      h('div', { class: 'sheet-next' },
        counting && h('p', { class: 'countdown', 'aria-live': 'off' },
          tx('sheet.next_in', { s: h('b', { dataset: { countdown: at } }, secondsLeft(at, performance.now())) }),
          room?.held && [' ', h('span', { class: 'held-note', dataset: { key: 'held-note' } }, t('sheet.held'))]),
        seated && (imReady
          ? h('p', { class: 'muted ready-wait', dataset: { key: 'ready-wait' } }, t('sheet.waiting_others'))
          : h('button', { type: 'button', class: ['btn', !isHost && 'btn-primary'], dataset: { action: 'ready', key: 'ready' } }, t('sheet.ready'))),
        seated && h('button', { type: 'button', class: 'btn', dataset: { action: 'hold', key: 'hold' }, title: t('sheet.hold_hint') }, t('sheet.hold')),
        isHost
          ? h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'next-round', key: 'next-round' } }, t('sheet.deal_next'), h('kbd', null, 'N'))
          : !counting && h('p', { class: 'muted' }, t('sheet.waiting_host')))));
}

/**
 * holesOf is the scorecard as the server keeps it (view.scores: by seat,
 * each hole's score in order) in the shape scorecard() reads; null from a
 * server that sends none, when the page's own record (scorecard.js) does.
 */
export function holesOf(view) {
  if (!Array.isArray(view.scores)) return null;
  const holes = {};
  view.scores.forEach((row, i) => (row ?? []).forEach((score, k) => {
    (holes[k + 1] ??= { scores: {} }).scores[view.seats[i]?.id] = score;
  }));
  return holes;
}

/**
 * renderResults draws the final results: the ranking, then the scorecard.
 * ctx: {view, room, rules, nameOf, me, isHost, holes}.
 */
export function renderResults(ctx) {
  const { view, isHost } = ctx;
  const res = view.result ?? { players: [], winners: [], reason: 'completed' };
  const winners = new Set(res.winners ?? []);
  const abandoned = res.reason === 'abandoned';
  const ranked = ranking(res.players ?? []);
  const played = abandoned ? view.last_round?.round ?? 0 : view.rounds;
  return h('section', { class: 'overlay results', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'results-title', dataset: { screen: 'results' } },
    h('div', { class: 'panel sheet-panel' },
      h('h2', { id: 'results-title', tabindex: '-1', dataset: { key: 'results-title' } }, abandoned ? t('results.ended_early') : t('results.title')),
      !abandoned && winners.size > 0 && h('p', { class: 'sheet-winners big' }, icon('trophy'), ' ', winnersLine('results.won', [...winners], ctx.nameOf, ctx.me)),
      abandoned && h('p', { class: 'muted' }, t('results.abandoned')),
      h('ol', { class: 'ranking' }, ranked.map((p) => h('li', {
        class: ['rank-row', winners.has(p.player_id) && 'winner', p.departed && 'departed'],
        dataset: { player: p.player_id, place: p.place, total: p.total },
      },
      h('span', { class: 'place' }, abandoned ? '–' : ordinal('results.place', p.place)),
      h('span', { class: 'who' }, ctx.nameOf(p.player_id, true), p.departed && h('span', { class: 'muted' }, ' ' + t('results.left'))),
      h('span', { class: 'won' }, t('results.holes_won', { count: p.rounds_won })),
      h('span', { class: 'num strong' }, p.total)))),
      played > 0 && h('h3', { class: 'card-title' }, t('card.title')),
      played > 0 && scorecard(ranked, holesOf(view) ?? ctx.holes ?? {}, played, ctx.nameOf),
      view.last_round && h('details', { class: 'last-hole' }, h('summary', null, t('results.last_hole', { round: view.last_round.round })), roundSheet(view, ctx.rules, ctx.nameOf, ctx.me, ctx.room)),
      h('div', { class: 'sheet-next' },
        ctx.room?.rematch
          ? h('a', { class: 'btn btn-primary', href: `/r/${ctx.room.rematch}`, dataset: { key: 'rematch-link' } }, t('rematch.go', { code: ctx.room.rematch }))
          : isHost && h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'rematch', key: 'rematch' } }, t('results.rematch')),
        h('button', { type: 'button', class: 'btn', dataset: { action: 'lobby', key: 'lobby' } }, t('common.back_to_lobby')),
        statsLinks(ctx.meId)),
      ctx.gameId && h('div', { class: 'share-row', dataset: { key: 'results-share' } },
        h('a', { class: 'btn', href: `/replay/${ctx.gameId}`, dataset: { key: 'results-replay' } }, t('replay.watch')),
        shareButtons(ctx.gameId, 'results'))));
}
