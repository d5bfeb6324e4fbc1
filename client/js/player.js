// profile.js — the /u/{name} page: a player's statistics, a small chart of
// their recent hole scores (SVG, drawn here: no chart library) and their
// finished games, newest first, each with a link to its replay.

import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { myIds, profilePath } from './leaderboard.js';
import { shareButtons } from './share.js';

const SVG = 'http://www.w3.org/2000/svg';

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    const err = new Error(`${path}: HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

/** renderProfile draws the profile of the player named name into root. */
export async function renderProfile(root, name, page = 1) {
  document.title = `${name} — Golf`;
  const base = `/api/users/${encodeURIComponent(name)}`;
  let p;
  let games;
  try {
    [p, games] = await Promise.all([getJSON(base), getJSON(`${base}/games?page=${page}`)]);
  } catch (err) {
    replace(root, h('section', { class: 'stats-page panel', dataset: { screen: 'profile' } },
      h('nav', { class: 'stats-nav' }, h('a', { href: '/', class: 'btn' }, t('stats.lobby'))),
      h('p', { class: 'muted' }, t(err.status === 404 ? 'stats.unknown_player' : 'stats.unavailable'))));
    return;
  }
  document.title = `${p.name} — Golf`;
  replace(root, h('section', { class: 'stats-page panel', dataset: { screen: 'profile', player: p.player_id } },
    h('nav', { class: 'stats-nav' },
      h('a', { href: '/', class: 'btn' }, t('stats.lobby')),
      h('a', { href: '/leaderboard', class: 'btn' }, t('stats.leaderboard'))),
    h('h1', null, p.name, p.cpu && h('span', { class: 'badge cpu' }, t('stats.cpu')),
      myIds().has(p.player_id) && h('span', { class: 'badge you' }, t('stats.you'))),
    cards(p),
    h('p', { class: 'muted' }, t('stats.vs_humans_line', { games: p.vs_humans.games_played, won: p.vs_humans.games_won, rate: fmt(p.vs_humans.win_rate) })),
    p.recent_rounds.length > 0 && h('figure', { class: 'stats-chart' },
      h('figcaption', null, t('stats.chart')), chart(p.recent_rounds)),
    h('h2', null, t('stats.history')),
    history(games, p.player_id),
    pager(games, (n) => renderProfile(root, name, n))));
}

function fmt(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString(undefined, { maximumFractionDigits: 1 });
}

function cards(p) {
  const card = (key, value, note) => h('div', { class: 'stat-card', dataset: { key } },
    h('span', { class: 'stat-label' }, t(`stats.card.${key}`)),
    h('strong', { class: 'stat-value' }, value),
    note && h('span', { class: 'muted small' }, note));
  return h('div', { class: 'stat-cards' },
    card('games', fmt(p.games_played)),
    card('wins', fmt(p.games_won), t('stats.win_rate', { rate: fmt(p.win_rate) })),
    card('rating', fmt(p.rating.value), `μ ${fmt(p.rating.mu)} σ ${fmt(p.rating.sigma)}`),
    card('avg', fmt(p.avg_score)),
    card('best', fmt(p.best_round_score)),
    card('worst', fmt(p.worst_round_score)),
    card('knockouts', fmt(p.knockouts)),
    card('blunders', fmt(p.blunders), p.blunder_rate !== null && t('stats.blunder_rate', { rate: fmt(p.blunder_rate) })));
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

/** chart draws scores as a line over a zero line, lower being better. */
export function chart(scores) {
  const W = 320;
  const H = 120;
  const pad = 18;
  const lo = Math.min(0, ...scores);
  const hi = Math.max(0, ...scores);
  const span = hi - lo || 1;
  const x = (i) => pad + (i * (W - 2 * pad)) / Math.max(1, scores.length - 1);
  const y = (v) => pad + ((hi - v) * (H - 2 * pad)) / span;
  const points = scores.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart', 'aria-label': t('stats.chart_label', { scores: scores.join(', ') }) },
    svg('line', { x1: pad, x2: W - pad, y1: y(0), y2: y(0), class: 'chart-zero' }),
    svg('text', { x: 2, y: y(hi) + 4, class: 'chart-axis' }, document.createTextNode(String(hi))),
    svg('text', { x: 2, y: y(lo) + 4, class: 'chart-axis' }, document.createTextNode(String(lo))),
    svg('polyline', { points, class: 'chart-line' }),
    ...scores.map((v, i) => svg('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5, class: v < 0 ? 'chart-dot good' : 'chart-dot' })));
}

function history(games, id) {
  if (!games.games.length) return h('p', { class: 'muted' }, t('stats.no_games'));
  const col = (key, wide) => h('th', { scope: 'col', class: wide ? 'wide' : '' }, t(`stats.col.${key}`));
  return h('div', { class: 'stats-scroll' },
    h('table', { class: 'stats-table history' },
      h('thead', null, h('tr', null, col('date'), col('players'), col('place'), col('total'), col('rules', true), h('th', null))),
      h('tbody', null, games.games.map((g) => h('tr', { class: ['game-row', g.won && 'won'], dataset: { game: g.game_id } },
        h('td', null, new Date(g.ended_at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })),
        h('td', { class: 'players' }, g.players.map((pl, i) => [i > 0 && ', ',
          h('a', { href: profilePath(pl.player_id), class: [pl.won && 'winner', pl.player_id === id && 'self'] }, pl.name),
          ` ${pl.total}`, pl.departed && h('span', { class: 'muted' }, ` (${t('stats.left')})`)])),
        h('td', { class: 'num' }, g.placing),
        h('td', { class: 'num' }, g.total),
        h('td', { class: 'wide' }, g.rules),
        h('td', { class: 'replay-cell' }, h('a', { href: g.replay, class: 'replay' }, t('stats.replay')), ' ',
          shareButtons(g.game_id, `history-${String(g.game_id).slice(0, 8)}`, true)))))));
}

function pager(games, go) {
  if (games.page === 1 && !games.more) return null;
  return h('div', { class: 'stats-pager' },
    h('button', { type: 'button', class: 'btn', disabled: games.page <= 1, onclick: () => go(games.page - 1) }, t('stats.prev')),
    h('span', { class: 'muted' }, t('stats.page', { n: games.page })),
    h('button', { type: 'button', class: 'btn', disabled: !games.more, onclick: () => go(games.page + 1) }, t('stats.next')));
}
