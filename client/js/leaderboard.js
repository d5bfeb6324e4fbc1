// leaderboard.js — the /leaderboard page: one board at a time (by wins,
// games, average or rating; all time, this month or this week; filters for
// games against humans and standard rules), paged, with the viewer's own row
// highlighted. The board's choice lives in the address, so a link shows the
// same board. Also routes the statistics pages (/leaderboard, /u/{name}).

import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { renderProfile } from './player.js';

const MEASURES = ['wins', 'games', 'avg', 'rating'];
const PERIODS = ['all', 'month', 'week'];
const ME_KEY = 'golf.me';

/** rememberMe keeps the player ids this browser played as (the latest 20). */
export function rememberMe(id) {
  if (!id) return;
  try {
    const ids = JSON.parse(localStorage.getItem(ME_KEY) || '[]').filter((x) => x !== id);
    ids.unshift(id);
    localStorage.setItem(ME_KEY, JSON.stringify(ids.slice(0, 20)));
  } catch {
    // No storage: nothing is highlighted.
  }
}

/** myIds returns the player ids this browser played as. */
export function myIds() {
  try {
    return new Set(JSON.parse(localStorage.getItem(ME_KEY) || '[]'));
  } catch {
    return new Set();
  }
}

/**
 * routeStats shows a statistics page if path is one; it returns false for
 * any other path. leave ends whatever the page showed before.
 */
export function routeStats(path, root, leave) {
  if (/^\/leaderboard\/?$/.test(path)) {
    leave();
    showLeaderboard(root);
    return true;
  }
  const m = path.match(/^\/u\/([^/]+)\/?$/);
  if (m) {
    leave();
    renderProfile(root, decodeURIComponent(m[1]));
    return true;
  }
  return false;
}

export function profilePath(id) {
  return `/u/${encodeURIComponent(id)}`;
}

function readQuery() {
  const q = new URLSearchParams(location.search);
  const pick = (v, list) => (list.includes(v) ? v : list[0]);
  return {
    by: pick(q.get('by'), MEASURES),
    period: pick(q.get('period'), PERIODS),
    vs: q.get('vs') === 'humans' ? 'humans' : 'all',
    rules: q.get('rules') === 'standard' ? 'standard' : 'all',
    page: Math.max(1, parseInt(q.get('page') || '1', 10) || 1),
  };
}

function queryString(s) {
  return new URLSearchParams({ by: s.by, period: s.period, vs: s.vs, rules: s.rules, page: String(s.page) }).toString();
}

async function showLeaderboard(root) {
  document.title = `${t('stats.leaderboard')} — Golf`;
  const s = readQuery();
  const set = (change) => {
    Object.assign(s, change);
    history.replaceState(null, '', `/leaderboard?${queryString(s)}`);
    load();
  };
  const body = h('div', { class: 'stats-body', 'aria-live': 'polite' });
  const page = h('section', { class: 'stats-page panel', dataset: { screen: 'leaderboard' } },
    h('nav', { class: 'stats-nav' }, h('a', { href: '/', class: 'btn' }, t('stats.lobby'))),
    h('h1', null, t('stats.leaderboard')),
    body);
  replace(root, page);

  async function load() {
    let board;
    try {
      const res = await fetch(`/api/leaderboard?${queryString(s)}`, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      board = await res.json();
    } catch {
      replace(body, controls(s, set), h('p', { class: 'muted' }, t('stats.unavailable')));
      return;
    }
    replace(body, controls(s, set), table(board), pager(board, set),
      h('p', { class: 'muted small' }, t('stats.min_games', { n: board.min_games })));
  }
  load();
}

function tabs(name, values, current, label, onPick) {
  return h('div', { class: 'stats-tabs', role: 'tablist', 'aria-label': name },
    values.map((v) => h('button', {
      type: 'button', role: 'tab', class: ['tab', v === current && 'active'],
      'aria-selected': v === current ? 'true' : 'false', dataset: { key: `${name}-${v}` },
      onclick: () => onPick(v),
    }, label(v))));
}

function controls(s, set) {
  const check = (key, on, value) => h('label', { class: 'stats-filter' },
    h('input', { type: 'checkbox', checked: on, dataset: { key }, onchange: (e) => set({ [key]: e.target.checked ? value : 'all', page: 1 }) }),
    ' ', t(`stats.${key === 'vs' ? 'vs_humans' : 'standard'}`));
  return h('div', { class: 'stats-controls' },
    tabs('by', MEASURES, s.by, (v) => t(`stats.by.${v}`), (v) => set({ by: v, page: 1 })),
    tabs('period', PERIODS, s.period, (v) => t(`stats.period.${v}`), (v) => set({ period: v, page: 1 })),
    h('div', { class: 'stats-filters' }, check('vs', s.vs === 'humans', 'humans'), check('rules', s.rules === 'standard', 'standard')));
}

function fmt(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString(undefined, { maximumFractionDigits: 1 });
}

function line(r, mine) {
  return h('tr', { class: ['board-row', mine && 'me'], dataset: { player: r.player_id, rank: r.rank } },
    h('td', { class: 'num' }, r.rank),
    h('td', null, h('span', { class: 'who' },
      h('a', { href: profilePath(r.player_id) }, r.name),
      r.cpu && h('span', { class: 'badge cpu' }, t('stats.cpu')),
      mine && h('span', { class: 'badge you' }, t('stats.you')))),
    h('td', { class: 'num' }, fmt(r.games_played)),
    h('td', { class: 'num wide' }, fmt(r.games_won)),
    h('td', { class: 'num' }, fmt(r.win_rate)),
    h('td', { class: 'num wide' }, fmt(r.rounds_won)),
    h('td', { class: 'num' }, fmt(r.avg_score)),
    h('td', { class: 'num wide' }, fmt(r.knockouts)),
    h('td', { class: 'num', title: t('stats.rating_title', { mu: fmt(r.rating.mu), sigma: fmt(r.rating.sigma) }) }, fmt(r.rating.value)));
}

function table(board) {
  const mine = myIds();
  if (board.me) mine.add(board.me.player_id);
  if (!board.rows.length && !board.me) return h('p', { class: 'muted', dataset: { key: 'board-empty' } }, t('stats.empty'));
  const shown = board.rows.some((r) => mine.has(r.player_id));
  const col = (key, wide) => h('th', { scope: 'col', class: wide ? 'wide' : '' }, t(`stats.col.${key}`));
  return h('div', { class: 'stats-scroll' },
    h('table', { class: 'stats-table board', dataset: { by: board.by, period: board.period } },
      h('thead', null, h('tr', null, col('rank'), col('player'), col('games'), col('won', true), col('win_rate'),
        col('rounds_won', true), col('avg'), col('knockouts', true), col('rating'))),
      h('tbody', null,
        board.rows.map((r) => line(r, mine.has(r.player_id))),
        board.me && !shown && [h('tr', { class: 'gap', 'aria-hidden': 'true' }, h('td', { colspan: 9 }, '⋯')), line(board.me, true)])));
}

function pager(board, set) {
  if (board.page === 1 && !board.more) return null;
  return h('div', { class: 'stats-pager' },
    h('button', { type: 'button', class: 'btn', disabled: board.page <= 1, onclick: () => set({ page: board.page - 1 }) }, t('stats.prev')),
    h('span', { class: 'muted' }, t('stats.page', { n: board.page })),
    h('button', { type: 'button', class: 'btn', disabled: !board.more, onclick: () => set({ page: board.page + 1 }) }, t('stats.next')));
}

/** statsLinks are the final results' links to the leaderboard and to the player's own profile. */
export function statsLinks(me) {
  return h('span', { class: 'stats-links' },
    h('a', { class: 'btn', href: '/leaderboard', dataset: { key: 'results-leaderboard' } }, t('stats.results_leaderboard')),
    me && h('a', { class: 'btn', href: profilePath(me), dataset: { key: 'results-profile' } }, t('stats.results_profile')));
}
