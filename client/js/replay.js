// replay.js — the replay viewer (/replay/{id}) and the recent games page
// (/games). The server folds the game's events through the engine and sends
// the view after every event (GET /api/games/{id}/replay): this module only
// picks which view to draw, with the same table as live play (table.js), so
// it holds no rule of the game.

import { h, morph, replace } from './dom.js';
import { list, t } from './i18n.js';
import { renderTable } from './table.js';
import { narrate, errorMessage } from './text.js';
import { roundSheet } from './scores.js';
import { shareButtons, visibilityPicker } from './share.js';

const SPEEDS = [0.5, 1, 2, 4];
const BASE_MS = 900; // one event at 1×
const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let player = null; // the replay on screen: {data, i, playing, speed, timer, …}

/** routeReplay shows /replay/{id} or /games and returns true, else false. */
export function routeReplay(path, root, leave) {
  const m = path.match(/^\/replay\/([^/]+)\/?$/);
  if (m) {
    leave();
    showReplay(root, decodeURIComponent(m[1]));
    return true;
  }
  if (/^\/games\/?$/.test(path)) {
    leave();
    showRecent(root);
    return true;
  }
  return false;
}

/** stopReplay stops the playback and its keys (the page is being left). */
export function stopReplay() {
  if (!player) return;
  clearTimeout(player.timer);
  window.removeEventListener('keydown', player.onKey, true);
  player = null;
}

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.message || `HTTP ${res.status}`);
    err.code = body.code || 'unknown';
    throw err;
  }
  return body;
}

function failed(root, err) {
  replace(root, h('main', { class: 'page replay-page', dataset: { replayError: err.code } },
    h('h1', null, t('replay.title')),
    h('p', { class: 'notice', role: 'alert' }, errorMessage({ code: err.code, message: err.message })),
    h('p', null, h('a', { href: '/games', class: 'btn' }, t('replay.recent')), ' ', h('a', { href: '/', class: 'btn' }, t('common.back_to_lobby')))));
}

// ---- the viewer ------------------------------------------------------------

async function showReplay(root, id, perspective = 'all', at = null) {
  document.title = t('replay.title');
  if (!ID_RE.test(id)) {
    failed(root, { code: 'not_found' });
    return;
  }
  replace(root, h('main', { class: 'page replay-page' }, h('p', { class: 'muted' }, t('replay.loading'))));
  let info;
  let data;
  try {
    [info, data] = await Promise.all([getJSON(`/api/games/${id}`), getJSON(`/api/games/${id}/replay?seat=${perspective}`)]);
  } catch (err) {
    failed(root, err);
    return;
  }
  stopReplay();
  const p = {
    id, info, data, perspective, i: 0, playing: false, speed: 1, timer: 0, root,
    names: new Map(data.game.players.map((pl) => [pl.id, pl.name])),
  };
  // Where each turn ends, for stepping by turn.
  p.turnEnd = new Array(data.steps.length);
  for (let k = data.steps.length - 1; k >= 0; k--) {
    const next = data.steps[k + 1];
    p.turnEnd[k] = next && next.turn === data.steps[k].turn ? p.turnEnd[k + 1] : k;
  }
  p.turnStart = new Array(data.steps.length);
  data.steps.forEach((s, k) => { p.turnStart[k] = k > 0 && data.steps[k - 1].turn === s.turn ? p.turnStart[k - 1] : k; });
  // The lobby before the first deal has no table to show: the replay runs
  // from the first deal to the end.
  p.first = firstDeal(data);
  p.i = Math.max(p.first, at ?? p.first);
  p.onKey = (e) => onKey(p, e);
  window.addEventListener('keydown', p.onKey, true);
  player = p;
  document.title = t('replay.page_title', { room: data.game.room_code });
  build(p);
  show(p);
}

/** firstDeal is the step the replay opens on: the first round's deal. */
function firstDeal(data) {
  return data.rounds.length ? data.rounds[0].step : 0;
}

function who(p) {
  return (id) => p.names.get(id) ?? t('common.someone');
}

/** displayed is the view to draw: in the open perspective every card is turned up. */
function displayed(p, view) {
  if (p.data.perspective >= 0) return view;
  return {
    ...view,
    seats: (view.seats ?? []).map((s) => ({ ...s, cards: s.cards.map((c) => (c.card ? { ...c, up: true } : c)) })),
  };
}

function build(p) {
  const g = p.data.game;
  const ended = new Date(g.completed_at);
  const perspectives = h('select', {
    class: 'replay-perspective', 'aria-label': t('replay.perspective'), dataset: { key: 'perspective' },
    onchange: (e) => showReplay(p.root, p.id, e.target.value, p.i),
  },
  h('option', { value: 'all', selected: p.perspective === 'all' }, t('replay.all_cards')),
  g.players.map((pl) => h('option', { value: String(pl.seat), selected: p.perspective === String(pl.seat) }, t('replay.as_seat', { name: pl.name }))));
  p.table = h('div', { class: 'replay-table' }, h('div'));
  p.range = h('input', {
    type: 'range', min: p.first, max: p.data.steps.length - 1, value: p.i, class: 'replay-scrub',
    'aria-label': t('replay.timeline'), dataset: { key: 'scrub' },
    oninput: (e) => { pause(p); go(p, Number(e.target.value)); },
  });
  p.position = h('span', { class: 'replay-position', 'aria-live': 'off' });
  p.playBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { key: 'play' }, onclick: () => toggle(p) });
  const btn = (key, label, glyph, fn) => h('button', {
    type: 'button', class: 'btn btn-small', 'aria-label': label, title: label, dataset: { key }, onclick: fn,
  }, glyph);
  p.moves = h('ol', { class: 'replay-moves', 'aria-label': t('replay.moves') }, moveItems(p));
  p.sheets = h('div', { class: 'replay-sheets' }, p.data.rounds.map((r) => r.sheet && h('details', {
    class: 'replay-sheet', dataset: { round: r.round, endStep: endStep(p, r.round) },
  }, h('summary', null, t('replay.sheet', { round: r.round })), roundSheet({ last_round: r.sheet }, null, (id) => who(p)(id), () => false))));
  p.totals = h('ol', { class: 'replay-totals', dataset: { key: 'totals' } });
  const mine = p.info.mine;
  const controls = h('div', { class: 'replay-controls', role: 'toolbar', 'aria-label': t('replay.controls') },
    h('div', { class: 'replay-buttons' },
      btn('start', t('replay.start'), '|◀', () => { pause(p); go(p, p.first); }),
      btn('prev-turn', t('replay.prev_turn'), '◀◀', () => { pause(p); prevTurn(p); }),
      btn('prev', t('replay.prev'), '◀', () => { pause(p); go(p, p.i - 1); }),
      p.playBtn,
      btn('next', t('replay.next'), '▶', () => { pause(p); go(p, p.i + 1); }),
      btn('next-turn', t('replay.next_turn'), '▶▶', () => { pause(p); nextTurn(p); }),
      btn('end', t('replay.end'), '▶|', () => { pause(p); go(p, p.data.steps.length - 1); })),
    p.range,
    h('div', { class: 'replay-extra' },
      p.position,
      h('label', { class: 'replay-speed' }, t('replay.speed'), ' ',
        h('select', { dataset: { key: 'speed' }, onchange: (e) => { p.speed = Number(e.target.value); if (p.playing) schedule(p); } },
          SPEEDS.map((s) => h('option', { value: String(s), selected: s === p.speed }, t('replay.speed_x', { n: s }))))),
      h('span', { class: 'replay-rounds', role: 'group', 'aria-label': t('replay.rounds') },
        p.data.rounds.map((r) => h('button', {
          type: 'button', class: 'btn btn-small', dataset: { key: `round-${r.round}`, round: r.round },
          onclick: () => { pause(p); go(p, r.step); },
        }, t('replay.round', { round: r.round }))))));
  const head = h('header', { class: 'replay-head' },
    h('h1', null, t('replay.heading', { room: g.room_code })),
    h('p', { class: 'muted' }, t('replay.meta', {
      date: ended.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }),
      players: list(g.players.map((pl) => pl.name)),
    })),
    p.info.imported && h('p', { class: 'chip' }, t('replay.imported')),
    h('div', { class: 'replay-actions' },
      perspectives,
      shareButtons(p.id),
      h('a', { class: 'btn btn-small', href: `/api/games/${p.id}/export`, download: '', dataset: { key: 'export' } }, t('replay.download')),
      mine && visibilityPicker(p.id, p.info.visibility)));
  replace(p.root, h('main', { class: 'page replay-page', dataset: { replay: p.id, perspective: p.perspective } },
    head,
    h('div', { class: 'replay-body' },
      h('div', { class: 'replay-main' }, p.table, controls),
      h('aside', { class: 'replay-side' },
        h('section', null, h('h2', null, t('replay.totals')), p.totals),
        h('section', null, h('h2', null, t('replay.moves')), p.moves),
        h('section', null, h('h2', null, t('replay.sheets')), p.sheets)))));
}

/** endStep is the step of round r's RoundEnded. */
function endStep(p, round) {
  const k = p.data.steps.findIndex((s) => s.event?.type === 'RoundEnded' && s.event.data.round === round);
  return k < 0 ? p.data.steps.length : k;
}

/** moveItems is the move list: one line per turn, in words. */
function moveItems(p) {
  const out = [];
  const name = who(p);
  p.data.steps.forEach((s, k) => {
    if (k < p.first || !s.event || p.turnStart[k] !== k) return;
    const words = [];
    for (let j = k; j <= p.turnEnd[k]; j++) {
      const ev = p.data.steps[j].event;
      const w = ev && narrate(ev, name);
      if (w) words.push(w);
    }
    if (!words.length) return;
    out.push(h('li', { dataset: { step: k, end: p.turnEnd[k] } },
      h('button', { type: 'button', class: 'move-link', onclick: () => { pause(p); go(p, p.turnEnd[k]); } }, words.join(' '))));
  });
  return out;
}

function show(p) {
  const step = p.data.steps[p.i];
  const view = displayed(p, step.view);
  const table = renderTable({ view, moves: [], room: null, selected: new Set(), tools: null });
  morph(p.table.firstElementChild, table);
  p.table.firstElementChild.dataset.step = String(p.i);
  p.range.value = String(p.i);
  p.position.textContent = t('replay.position', { n: p.i - p.first + 1, count: p.data.steps.length - p.first });
  p.playBtn.replaceChildren(p.playing ? t('replay.pause') : t('replay.play'));
  p.playBtn.dataset.playing = p.playing ? '1' : '0';
  // The moves and sheets so far: later ones stay hidden (a replay unfolds).
  let current = null;
  for (const li of p.moves.children) {
    const start = Number(li.dataset.step);
    li.hidden = start > p.i;
    const on = start <= p.i && p.i <= Number(li.dataset.end);
    li.classList.toggle('current', on);
    if (on) current = li;
  }
  if (current && p.playing) current.scrollIntoView({ block: 'nearest' });
  for (const d of p.sheets.children) d.hidden = Number(d.dataset.endStep) > p.i;
  replace(p.totals, view.seats.map((s, i) => h('li', { dataset: { seat: i, player: s.id, total: s.total } },
    h('span', { class: 'who' }, s.name), ' ', h('b', { class: 'num' }, s.total))));
  p.root.querySelector('.replay-page').dataset.step = String(p.i);
  p.root.querySelector('.replay-page').dataset.phase = view.phase;
}

function go(p, k) {
  const i = Math.max(p.first, Math.min(p.data.steps.length - 1, k));
  if (i === p.i && p.table.firstElementChild.dataset.step) {
    show(p);
    return;
  }
  p.i = i;
  show(p);
}

function nextTurn(p) {
  const j = p.i + 1;
  if (j < p.data.steps.length) go(p, p.turnEnd[j]);
}

function prevTurn(p) {
  const s = p.turnStart[p.i];
  go(p, s - 1);
}

function toggle(p) {
  if (p.playing) pause(p);
  else {
    if (p.i >= p.data.steps.length - 1) p.i = p.first;
    p.playing = true;
    schedule(p);
    show(p);
  }
}

function pause(p) {
  if (!p.playing) return;
  p.playing = false;
  clearTimeout(p.timer);
  show(p);
}

function schedule(p) {
  clearTimeout(p.timer);
  const ev = p.data.steps[p.i]?.event;
  const slow = ev && (ev.type === 'RoundEnded' || ev.type === 'RoundStarted') ? 3 : 1;
  p.timer = setTimeout(() => {
    if (player !== p || !p.playing) return;
    if (p.i >= p.data.steps.length - 1) {
      pause(p);
      return;
    }
    go(p, p.i + 1);
    schedule(p);
  }, (BASE_MS * slow) / p.speed);
}

function onKey(p, e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const tag = e.target?.tagName;
  if (tag === 'INPUT' && e.target.type !== 'range') return;
  if (tag === 'SELECT' || tag === 'TEXTAREA') return;
  let done = true;
  switch (e.key) {
    case ' ': toggle(p); break;
    case 'ArrowRight': pause(p); if (e.shiftKey) nextTurn(p); else go(p, p.i + 1); break;
    case 'ArrowLeft': pause(p); if (e.shiftKey) prevTurn(p); else go(p, p.i - 1); break;
    case 'Home': pause(p); go(p, p.first); break;
    case 'End': pause(p); go(p, p.data.steps.length - 1); break;
    default: done = false;
  }
  if (done) {
    e.preventDefault();
    e.stopPropagation();
  }
}

// ---- import ----------------------------------------------------------------------

/**
 * importForm sends a game file (an export) to POST /api/games/import and
 * opens the imported copy's replay, or says which move the server refused.
 */
function importForm() {
  const status = h('p', { class: 'import-status', role: 'status', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', accept: '.json,application/json', id: 'import-file', dataset: { key: 'import-file' } });
  const submit = async (e) => {
    e.preventDefault();
    const file = input.files?.[0];
    if (!file) return;
    status.textContent = t('replay.importing');
    try {
      const res = await fetch('/api/games/import', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: await file.text(),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        const base = res.status === 401 ? t('replay.import_sign_in') : errorMessage({ code: body.code || 'unknown', message: body.message });
        status.textContent = body.seq > 0 ? t('replay.import_at', { message: base, seq: body.seq }) : base;
        status.dataset.code = body.code || '';
        return;
      }
      location.assign(`/replay/${body.id}`);
    } catch {
      status.textContent = t('error.unknown');
    }
  };
  return h('form', { class: 'import-form', dataset: { form: 'import' }, onsubmit: submit },
    h('h2', null, t('replay.import_title')),
    h('p', { class: 'muted' }, t('replay.import_help')),
    h('label', { for: 'import-file' }, t('replay.import_file')), ' ', input, ' ',
    h('button', { type: 'submit', class: 'btn', dataset: { key: 'import' } }, t('replay.import')),
    status);
}

// ---- recent games ------------------------------------------------------------

async function showRecent(root, cursor = null) {
  document.title = t('replay.recent');
  replace(root, h('main', { class: 'page recent-page' }, h('h1', null, t('replay.recent')), h('p', { class: 'muted' }, t('replay.loading'))));
  let page;
  try {
    const q = cursor ? `?before=${encodeURIComponent(cursor.before)}&before_id=${encodeURIComponent(cursor.before_id)}` : '';
    page = await getJSON(`/api/games/recent${q}`);
  } catch (err) {
    failed(root, err);
    return;
  }
  const games = page.games ?? [];
  const winners = (g) => new Set((g.totals ?? []).length ? [g.winner_id] : []);
  replace(root, h('main', { class: 'page recent-page' },
    h('h1', null, t('replay.recent')),
    h('p', { class: 'muted' }, t('replay.recent_intro')),
    games.length === 0
      ? h('p', { class: 'muted', dataset: { empty: '1' } }, t('replay.no_recent'))
      : h('ul', { class: 'recent-list' }, games.map((g) => {
        const names = new Map((g.players ?? []).map((pl) => [pl.id, pl.name]));
        const won = winners(g);
        return h('li', { class: 'recent-game', dataset: { game: g.id } },
          h('a', { href: `/replay/${g.id}`, class: 'recent-link' },
            h('b', null, g.room_code), ' · ',
            new Date(g.completed_at).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })),
          h('span', { class: 'recent-players' }, (g.totals ?? []).map((tt, i) => [i > 0 && ', ',
            h('span', { class: won.has(tt.player_id) ? 'winner' : '' }, `${names.get(tt.player_id) ?? '?'} ${tt.total}`)])),
          shareButtons(g.id, `recent-${g.id.slice(0, 8)}`));
      })),
    page.next && h('button', { type: 'button', class: 'btn', onclick: () => showRecent(root, page.next) }, t('replay.older')),
    importForm(),
    h('p', null, h('a', { href: '/', class: 'btn' }, t('common.back_to_lobby')))));
}
