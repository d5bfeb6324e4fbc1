// main.js — the client's controller: routes between the lobby, the join
// screen and a room; owns the session and the connection; turns clicks and
// keys into commands; and redraws the current screen from the latest state
// frame (at most once per animation frame, so a burst of frames skips
// straight to the newest view).

import { icon } from './icons.js';
import { $, h, morph, replace } from './dom.js';
import { Connection } from './net.js';
import { pruneSeats, store } from './store.js';
import { debug } from './log.js';
import * as api from './api.js';
import { normalize } from './rulesdata.js';
import { renderLobby, renderJoin, cleanCode, openTables } from './lobby.js';
import { renderQueue, tickQueue } from './quickplay.js';
import { chatButton, chatFrame, chatReset, chatUpdate, mountChat, reactButton, react, toggleChat } from './chat.js';
import { renderRoom, settingsFrom } from './room.js';
import { renderTable } from './table.js';
import { deadline, renderResults, renderScoreSheet, seatDeadlines, secondsLeft } from './scores.js';
import { actions, controls, initialMove } from './prompt.js';
import { play as animate, settle, snapshot } from './animate.js';
import { announce, toast } from './toast.js';
import { errorMessage, narrate, presetName } from './text.js';
import { installKeys, showHelp } from './keys.js';
import { renderRulesPage, showRules } from './rules.js';
import { confirmDialog } from './dialogs.js';
import { record as recordHole } from './scorecard.js';
import { pickLanguage, setLanguage, t } from './i18n.js';
import * as sound from './sound.js';
import { account, accountBar, ensureGuest, errorText as accountError, loadMe, renderLogin, renderRegister } from './account.js';
import { renderProfile } from './profile.js';
import { renderAdmin } from './admin.js';
import { rememberMe, routeStats } from './leaderboard.js';
import { routeReplay, stopReplay } from './replay.js';

const BUSY_MS = 4000;
const FATAL_HELLO = new Set(['bad_token', 'room_not_found', 'kicked']);

const app = {
  conn: null,
  session: null, // {mode, room, name, token, seat, playerId, inviteURL}
  frame: null, // the latest state frame
  drawn: null, // the view last drawn
  animEvents: [], // events of the latest frame, to animate
  sayEvents: [], // events of every frame since the last draw, to narrate
  selected: new Set(),
  busy: 0,
  busyTimer: 0,
  rules: null,
  rulesRaw: null, // /api/rules as sent, to read again in another language
  profiles: [],
  holes: {}, // the game's scorecard so far (scorecard.js)
  cpuPick: '',
  replaced: false,
  screen: '',
  scheduled: false,
  countdownTimer: 0,
  notice: '', // why the last session ended, shown on the lobby
  visibility: '', // who may open this game's replay (public, unlisted, private); '' until known
  visibilityAsked: '', // the game id whose visibility was asked for
  refused: null, // {code, message}: a join the server refused, put back on the lobby's form
  rooms: undefined, // the public lobbies (GET /api/rooms): undefined until loaded, null if unavailable
  roomsTimer: 0,
};

const ROOMS_EVERY_MS = 8000;

const root = () => document.getElementById('app');

// ---- routing -------------------------------------------------------------

function roomPath(code) {
  const keep = new URLSearchParams();
  const q = new URLSearchParams(location.search);
  if (q.get('debug')) keep.set('debug', q.get('debug'));
  const s = keep.toString();
  return `/r/${code}${s ? '?' + s : ''}`;
}

function lobbyPath() {
  const q = new URLSearchParams(location.search);
  return q.get('debug') ? `/?debug=${q.get('debug')}` : '/';
}

// The account pages (account.js, profile.js, admin.js), by path.
const PAGES = {
  '/login': [renderLogin, 'title.login'], '/register': [renderRegister, 'title.register'],
  '/profile': [renderProfile, 'title.profile'], '/admin': [renderAdmin, 'title.admin'],
};

function route() {
  if (routeReplay(location.pathname, root(), endSession)) return;
  if (routeStats(location.pathname, root(), endSession)) return;
  if (/^\/rules\/?$/.test(location.pathname)) {
    showRulesPage();
    return;
  }
  const page = PAGES[location.pathname.replace(/\/+$/, '')];
  if (page) {
    showPage(...page);
    return;
  }
  const m = location.pathname.match(/^\/r\/([A-Za-z0-9]+)\/?$/);
  if (!m) {
    showLobby();
    return;
  }
  const code = cleanCode(m[1]);
  const saved = store.seat(code);
  const watch = new URLSearchParams(location.search).get('watch');
  if (saved?.token) startSession({ mode: 'resume', room: code, token: saved.token, seat: saved.seat });
  else if (watch) startSession({ mode: 'watch', room: code });
  else showJoin(code);
}

function go(path) {
  if (location.pathname + location.search !== path) history.pushState(null, '', path);
  route();
}

function endSession() {
  stopReplay();
  app.conn?.stop();
  app.conn = null;
  app.session = null;
  app.frame = null;
  app.drawn = null;
  app.selected.clear();
  app.replaced = false;
  clearBusy();
  setStatus('');
  chatReset();
}

function showPage(render, title) {
  endSession();
  app.screen = 'page';
  document.title = t(title);
  replace(root(), render({ go, toast }));
  root().querySelector('h1, h2')?.setAttribute('tabindex', '-1');
  root().querySelector('h1, h2')?.focus({ preventScroll: true });
}

function showLobby() {
  endSession();
  app.screen = 'lobby';
  document.title = t('title.lobby');
  const notice = app.notice;
  const refused = app.refused;
  app.notice = '';
  app.refused = null;
  const cb = {
    notice,
    code: refused?.code,
    codeError: refused?.message,
    account: accountBar({ go, toast }),
    rooms: app.rooms,
    refreshRooms: () => loadRooms(cb),
    presetLabel: (name) => app.rules?.presets.find((p) => p.name === name)?.label ?? presetName(name),
    quick: (name, size) => {
      history.pushState(null, '', lobbyPath());
      startSession({ mode: 'queue', name, size });
    },
    create: (name) => {
      history.pushState(null, '', lobbyPath());
      startSession({ mode: 'create', name });
    },
    join: (code, name) => {
      history.pushState(null, '', roomPath(code));
      startSession({ mode: 'join', room: code, name });
    },
  };
  replace(root(), renderLobby(cb));
  if (refused) $('#join-code')?.focus();
  loadRooms(cb);
}

/** loadRooms refreshes the lobby's open tables, and again every few seconds while it shows. */
async function loadRooms(cb) {
  clearTimeout(app.roomsTimer);
  const rooms = await api.publicRooms();
  if (app.screen !== 'lobby') return;
  app.rooms = rooms;
  const slot = $('#open-tables-slot');
  if (slot) {
    const focused = slot.contains(document.activeElement) ? document.activeElement?.dataset?.key : '';
    replace(slot, openTables(rooms, { ...cb, rooms }));
    if (focused) slot.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }
  app.roomsTimer = setTimeout(() => loadRooms(cb), ROOMS_EVERY_MS);
}

/** showRulesPage draws the rules as a page of their own (/rules). */
function showRulesPage() {
  endSession();
  app.screen = 'rules';
  document.title = t('title.rules');
  replace(root(), renderRulesPage(app.rules));
}

async function showJoin(code) {
  endSession();
  app.screen = 'join';
  document.title = t('title.join', { code });
  const refused = app.nameRefused?.room === code ? app.nameRefused : null;
  app.nameRefused = null;
  const cb = {
    name: refused?.name,
    nameError: refused?.message,
    join: (c, name) => startSession({ mode: 'join', room: c, name }),
    watch: (c) => startSession({ mode: 'watch', room: c }),
    lobby: () => go(lobbyPath()),
  };
  replace(root(), renderJoin(code, undefined, cb));
  const info = await api.room(code);
  if (app.screen !== 'join') return;
  const focused = document.activeElement?.id;
  const typed = $('#joinroom-name')?.value;
  replace(root(), renderJoin(code, info, cb));
  if (typed !== undefined && $('#joinroom-name')) $('#joinroom-name').value = typed;
  if (focused) document.getElementById(focused)?.focus();
  else if (refused) $('#joinroom-name')?.select();
}

// ---- session -------------------------------------------------------------

async function startSession(s) {
  endSession();
  app.session = s;
  app.screen = 'game';
  replace(root(), h('div', { class: 'connecting panel', role: 'status' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('p', null, s.mode === 'create' || s.mode === 'queue' ? t('conn.creating') : t('conn.connecting', { room: s.room }))));
  if (s.mode === 'queue') drawQueue();
  if (s.mode === 'create' || s.mode === 'join' || s.mode === 'queue') {
    // A seat is a user's: become a guest first, so the socket carries the cookie.
    const r = await ensureGuest(s.name);
    if (app.session !== s) return;
    if (!r.ok) {
      toast(accountError(r), 'error');
      if (s.mode === 'join') showJoin(s.room);
      else go(lobbyPath());
      return;
    }
  } else if (!account.loaded) {
    // A dead session cookie would have the socket refused: asking who we
    // are clears it first.
    await loadMe();
    if (app.session !== s) return;
  }
  app.conn = new Connection({ hello, onFrame, onStatus });
  app.conn.start();
  if (!app.rules?.raw || !app.profiles.length) loadReference(); // the first try may have failed
}

function hello() {
  const s = app.session;
  if (s.token) return { type: 'resume', room: s.room, token: s.token };
  switch (s.mode) {
    case 'create': return { type: 'create', name: s.name };
    case 'queue': return { type: 'queue', name: s.name, size: s.size };
    case 'join': return { type: 'join', room: s.room, name: s.name };
    default: return { type: 'watch', room: s.room };
  }
}

function onFrame(f) {
  const s = app.session;
  if (!s) return;
  switch (f.type) {
    case 'welcome': {
      const moved = s.room && f.room !== s.room;
      s.room = f.room;
      s.seat = f.seat;
      s.token = f.token || '';
      s.playerId = f.player_id || '';
      rememberMe(s.playerId);
      s.inviteURL = f.invite_url || '';
      if (f.game_id !== s.gameId) {
        app.holes = {};
        app.visibility = '';
        app.visibilityAsked = '';
      }
      s.gameId = f.game_id || '';
      if (s.token) store.setSeat(s.room, { token: s.token, seat: s.seat });
      if (moved) {
        app.frame = null;
        app.drawn = null;
        chatReset();
      }
      const path = roomPath(s.room) + (s.seat < 0 ? (roomPath(s.room).includes('?') ? '&' : '?') + 'watch=1' : '');
      if (location.pathname + location.search !== path) history.replaceState(null, '', path);
      document.title = t('title.room', { room: s.room });
      break;
    }
    case 'state':
      tidy(f);
      f.room.deadline = deadline(f.room, performance.now());
      f.room.seatDeadlines = seatDeadlines(f.room, performance.now());
      app.frame = f;
      app.holes = recordHole(s.gameId, f.view);
      app.animEvents = f.events ?? [];
      app.sayEvents.push(...app.animEvents);
      if (f.ack && f.ack === app.busy) clearBusy();
      schedule();
      break;
    case 'error':
      onError(f);
      break;
    case 'queued':
      s.queue = { size: f.size, waitMs: f.wait_ms, since: s.queue?.since ?? performance.now() };
      drawQueue();
      break;
    case 'matched':
      // The welcome to the seat follows on this connection.
      s.mode = 'resume';
      s.room = f.room;
      s.queue = { ...s.queue, matched: true };
      drawQueue();
      break;
    case 'queue_left':
      go(lobbyPath());
      break;
    case 'chat':
    case 'reaction':
      chatFrame(f);
      break;
    default:
      debug('unknown frame', f);
  }
}

/**
 * tidy gives a state frame's lists their empty value where the server sent
 * null (Go encodes an empty slice as null), so screens can use them as lists.
 */
function tidy(f) {
  const v = f.view;
  v.discard ??= [];
  v.labels ??= [];
  v.seats ??= [];
  for (const s of v.seats) s.cards ??= [];
  f.events ??= [];
  f.moves ??= [];
  f.room ??= { online: [] };
  if (v.last_round) {
    v.last_round.players ??= [];
    v.last_round.winners ??= [];
    for (const p of v.last_round.players) p.adjustments ??= [];
  }
  if (v.result) {
    v.result.players ??= [];
    v.result.winners ??= [];
  }
}

/** drawQueue shows the wait for a quick-play table. */
function drawQueue() {
  const s = app.session;
  if (!s?.queue && s?.mode !== 'queue') return;
  app.screen = 'game';
  document.title = t('title.queue');
  replace(root(), renderQueue(s.queue ?? { size: s.size }, { cancel: cancelQueue }));
}

/** cancelQueue leaves the quick-play queue (a seat found meanwhile still comes). */
function cancelQueue() {
  if (!app.conn?.send('leave_queue')) go(lobbyPath());
}

function onError(f) {
  const s = app.session;
  if (f.id && f.id === app.busy) clearBusy();
  if (f.code === 'replaced') {
    // Another tab resumed this seat; the server closes this connection next.
    app.replaced = true;
    return;
  }
  sound.play('error');
  if (f.code === 'unavailable' && !app.frame && s?.token) {
    // The server cannot seat us back right now: try again after a pause.
    app.conn?.bounce();
    return;
  }
  if (FATAL_HELLO.has(f.code) || !app.frame) {
    // The session itself failed: a stale token, a vanished room, a kick,
    // or a create or join the server refused (full, started, bad name).
    const room = s?.room;
    if (room && f.code !== 'unavailable') store.forgetSeat(room);
    if (f.code === 'kicked') app.notice = kickedNotice(room); // the lobby says why, and keeps saying it
    else if (f.code === 'room_not_found' && s?.mode === 'join') app.refused = { code: room, message: errorMessage(f) }; // said under the code, as typed
    else if (f.code === 'name_taken' && s?.mode === 'join') app.nameRefused = { room, name: s.name, message: errorMessage(f) }; // said under the name
    else toast(errorMessage(f), 'error');
    if (f.code === 'kicked' || f.code === 'room_not_found' || !room) {
      go(lobbyPath());
    } else {
      showJoin(room);
    }
    return;
  }
  toast(errorMessage(f), 'error');
  schedule();
}

function onStatus(status, detail) {
  if (status === 'reconnecting') {
    setStatus('reconnecting');
    return;
  }
  if (status === 'open') {
    setStatus('');
    return;
  }
  if (status === 'closed') {
    setStatus('');
    if (!app.session) return;
    const s = app.session;
    if (app.replaced) {
      showReplaced(s);
      return;
    }
    if (detail?.code === 1001) toast(t('conn.room_closed'));
    else if (detail?.code === 1008 && detail.reason === 'kicked') app.notice = kickedNotice(s.room);
    else if (detail?.code === 1008) toast(t('conn.policy', { reason: detail.reason || 'policy' }), 'error');
    else if (detail?.reason !== 'left') toast(t('conn.dropped'), 'error');
    if (detail?.code !== 1000 && s.room) store.forgetSeat(s.room);
    go(lobbyPath());
  }
}

function kickedNotice(room) {
  return room ? t('conn.kicked_from', { room }) : errorMessage({ code: 'kicked' });
}

/** showReplaced offers to take the seat back after another tab took it. */
function showReplaced(s) {
  const resume = { mode: 'resume', room: s.room, token: s.token };
  endSession();
  app.screen = 'replaced';
  replace(root(), h('div', { class: 'connecting panel', role: 'status' },
    h('p', null, errorMessage({ code: 'replaced' })),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => startSession(resume) }, t('conn.play_here')),
      h('button', { type: 'button', class: 'btn', onclick: () => go(lobbyPath()) }, t('common.back_to_lobby')))));
}

function setStatus(state) {
  const el = document.getElementById('conn-status');
  if (!el) return;
  if (!state) {
    el.hidden = true;
    el.replaceChildren();
    document.body.classList.remove('is-reconnecting');
    return;
  }
  document.body.classList.add('is-reconnecting');
  el.hidden = false;
  replace(el, h('span', { class: 'spinner small', 'aria-hidden': 'true' }), t('conn.reconnecting'),
    h('button', { type: 'button', class: 'btn btn-small', onclick: () => app.conn?.reconnectNow() }, t('conn.retry')));
}

// ---- commands ------------------------------------------------------------

function clearBusy() {
  app.busy = 0;
  clearTimeout(app.busyTimer);
}

/** cmd sends a command unless one is still in flight, so a double click sends once. */
function cmd(type, fields) {
  if (!app.conn) return;
  if (app.busy) return;
  const id = app.conn.send(type, fields);
  if (!id) {
    toast(t('conn.not_connected'), 'error');
    return;
  }
  app.busy = id;
  clearTimeout(app.busyTimer);
  app.busyTimer = setTimeout(clearBusy, BUSY_MS);
}

function view() {
  return app.frame?.view ?? null;
}

function isHost(v) {
  return v && v.seat >= 0 && v.seat === v.host;
}

function dispatch(action, arg, el) {
  sound.unlock();
  switch (action) {
    case 'help': showHelp(); return;
    case 'rules': showRules(app.rules); return;
    case 'mute': sound.setMuted(!sound.isMuted()); toast(sound.isMuted() ? t('tools.sound_off') : t('tools.sound_on')); return;
    case 'close': for (const d of document.querySelectorAll('dialog[open]')) d.close(); return;
    case 'copy': copy(el.dataset.url, el.dataset.copied); return;
    case 'leave': leave(); return;
    case 'rules-page': go('/rules'); return;
    case 'chat': toggleChat(); return;
    case 'react': react(el.dataset.reaction); return;
    case 'lobby': {
      if (app.session?.room) store.forgetSeat(app.session.room);
      go(lobbyPath());
      return;
    }
  }
  const v = view();
  if (!v) return;
  switch (action) {
    case 'start': if (isHost(v)) cmd('start'); return;
    case 'add-cpu': {
      if (!isHost(v)) return;
      const seated = v.seats.some((s) => s.cpu && !s.left && s.cpu_profile === app.cpuPick);
      cmd('add_cpu', app.cpuPick && !seated ? { profile: app.cpuPick } : {});
      return;
    }
    case 'remove': if (isHost(v)) cmd('remove', { player_id: el.dataset.player }); return;
    case 'replace': replaceSeat(v, el.dataset.player); return;
    case 'ready': if (v.seat >= 0 && v.phase === 'round_over') cmd('ready'); return;
    case 'hold': if (v.seat >= 0 && v.phase === 'round_over') cmd('hold'); return;
    case 'back': if (v.seat >= 0) cmd('back'); return;
    case 'next-round': if (isHost(v) && v.phase === 'round_over') cmd('next_round'); return;
    case 'rematch': if (isHost(v) && v.phase === 'game_over') cmd('rematch'); return;
    case 'end-game': endGame(v); return;
  }
  const moves = app.frame.moves;
  const c = controls(moves, app.selected);
  const no = () => refuse(v, c);
  switch (action) {
    case 'draw-deck': play(c.deck) || no(); return;
    case 'draw-discard': play(c.discardPile) || no(); return;
    case 'discard': play(c.discard) || no(); return;
    case 'put-back': play(c.putBack) || no(); return;
    case 'skip-flip': play(c.skipFlip) || no(); return;
    case 'knock': play(c.knock) || no(); return;
    case 'grid': gridPick(v, moves, c, arg); return;
  }
}

/**
 * play sends one of the frame's listed moves exactly as the server listed
 * it; false when there is none to send.
 */
function play(move) {
  if (!move) return false;
  const { type, ...fields } = move;
  cmd(type, fields);
  return true;
}

function gridPick(v, moves, c, pos) {
  if (!c.pickable.has(pos)) {
    if (c.grid === 'flip' || c.grid === 'initial' || c.grid === 'flip_as_action') toast(t('prompt.pick_face_down'));
    else refuse(v, c);
    return;
  }
  if (c.grid !== 'initial') {
    play(c.pick.get(pos));
    return;
  }
  if (app.busy) return;
  if (app.selected.has(pos)) app.selected.delete(pos);
  else if (app.selected.size < c.need) app.selected.add(pos);
  sound.play('flip');
  if (app.selected.size === c.need) {
    const m = initialMove(controls(moves, app.selected), app.selected);
    if (m) play(m);
    else app.selected.clear(); // not a listed choice: start again
  }
  schedule();
}

function refuse(v, c) {
  if (['playing', 'final_turn'].includes(v.phase) && v.seat >= 0 && v.current !== v.seat && !c.mine) toast(t('prompt.not_yet'));
}

async function endGame(v) {
  if (!isHost(v)) return;
  const ok = await confirmDialog({
    title: t('confirm.end_title'), body: t('confirm.end_body'), yes: t('confirm.end_yes'), no: t('confirm.keep_playing'), danger: true, key: 'end',
  });
  // The game may have moved on while the question was open; the server has the last word.
  if (ok && isHost(view())) cmd('end_game');
}

/** replaceSeat asks the host to confirm, then has a CPU play a player's seat to the end. */
async function replaceSeat(v, playerId) {
  if (!isHost(v)) return;
  const name = v.seats.find((s) => s.id === playerId)?.name ?? '';
  const ok = await confirmDialog({
    title: t('confirm.replace_title', { name }), body: t('confirm.replace_body', { name }),
    yes: t('confirm.replace_yes'), no: t('confirm.keep_playing'), danger: true, key: 'replace',
  });
  if (ok && isHost(view())) cmd('remove', { player_id: playerId });
}

async function leave() {
  const v = view();
  const inGame = v && !['waiting', 'game_over'].includes(v.phase) && v.seat >= 0;
  // A confirmation only where leaving costs something: a seat in a game under way.
  if (inGame && !await confirmDialog({
    title: t('confirm.leave_title'), body: t('confirm.leave_body'), yes: t('confirm.leave_yes'), no: t('confirm.stay'), danger: true, key: 'leave',
  })) return;
  if (!app.session) return; // the session ended while the question was open
  if (v && v.seat >= 0 && v.phase !== 'game_over') app.conn?.send('leave');
  if (app.session?.room) store.forgetSeat(app.session.room);
  go(lobbyPath());
}

async function copy(text, copied) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const input = h('textarea', { style: 'position:fixed;opacity:0' }, text);
    document.body.append(input);
    input.select();
    try { document.execCommand('copy'); } catch { /* fall through */ }
    input.remove();
  }
  toast(copied || t('room.copied'));
}

// ---- visibility ------------------------------------------------------------

/**
 * loadVisibility reads who may open the game's replay (GET /api/games/{id})
 * for the host's room settings, once per game: only the host chooses it,
 * and only a real game id (a UUID) has one.
 */
async function loadVisibility(id) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? '') || app.visibilityAsked === id) return;
  app.visibilityAsked = id;
  try {
    const res = await fetch(`/api/games/${id}`, { credentials: 'same-origin' });
    if (!res.ok) return; // replays off, or not this viewer's to see
    const info = await res.json();
    if (app.session?.gameId === id) {
      app.visibility = info.visibility;
      schedule();
    }
  } catch (err) {
    debug('visibility', err);
  }
}

/** setVisibility is the host's choice in the room settings (PUT /api/games/{id}/visibility). */
async function setVisibility(value) {
  const id = app.session?.gameId;
  if (!id) return;
  try {
    const res = await fetch(`/api/games/${id}/visibility`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify({ visibility: value }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      toast(errorMessage(body));
      return;
    }
    app.visibility = body.visibility;
    toast(t(`visibility.saved.${body.visibility}`));
  } catch (err) {
    debug('visibility', err);
    toast(t('error.unknown'));
  }
  schedule();
}

// ---- drawing -------------------------------------------------------------

function schedule() {
  if (app.scheduled) return;
  app.scheduled = true;
  requestAnimationFrame(() => {
    app.scheduled = false;
    draw();
  });
}

function seatOf(v) {
  return (id) => v.seats.findIndex((s) => s.id === id);
}

function who(v) {
  return (id, full) => {
    if (app.session?.playerId && id === app.session.playerId) {
      return full ? t('common.name_you', { name: v.seats[v.seat]?.name ?? t('common.you') }) : t('common.you');
    }
    return v.seats.find((s) => s.id === id)?.name ?? t('common.someone');
  };
}

/** isMe reports whether a player id is the viewer's. */
function isMe(id) {
  return !!app.session?.playerId && id === app.session.playerId;
}

function tools(v) {
  const muted = sound.isMuted();
  const watching = v.seat < 0;
  const leave = watching
    ? h('button', { type: 'button', class: 'btn btn-small', 'aria-label': t('tools.stop_watching'), dataset: { action: 'leave', key: 'tool-leave' } },
      h('span', { class: 'wide-only' }, t('tools.stop_watching')), h('span', { class: 'narrow-only' }, t('tools.leave')))
    : h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'leave', key: 'tool-leave' } }, t('tools.leave'));
  // The host of a game under way has two ways out; a menu keeps them
  // off the top bar, which a phone has no room for.
  const hostMenu = isHost(v) && !['waiting', 'game_over'].includes(v.phase);
  return h('div', { class: 'tools' },
    h('button', { type: 'button', class: 'btn btn-icon', dataset: { action: 'rules', key: 'tool-rules' }, 'aria-label': t('tools.rules'), title: t('tools.rules') }, icon('book')),
    // A phone has no keyboard to speak of: no shortcut help there.
    h('button', { type: 'button', class: 'btn btn-icon kbd-only', dataset: { action: 'help', key: 'tool-help' }, 'aria-label': t('tools.shortcuts'), title: t('tools.shortcuts_key') }, icon('keyboard')),
    chatButton(),
    reactButton(v.seat),
    h('button', { type: 'button', class: 'btn btn-icon', dataset: { action: 'mute', key: 'tool-mute' }, 'aria-pressed': String(muted), 'aria-label': t('tools.mute'), title: muted ? t('tools.sound_off_key') : t('tools.sound_on_key') }, icon(muted ? 'mute' : 'sound')),
    hostMenu
      ? [h('button', {
        type: 'button', class: 'btn btn-small menu-button', popovertarget: 'game-menu', 'aria-haspopup': 'menu',
        'aria-label': t('tools.menu'), title: t('tools.menu'), dataset: { key: 'tool-menu' },
      }, icon('more'), h('span', { class: 'menu-word' }, t('tools.menu_word'))),
      h('div', { id: 'game-menu', class: 'menu-pop', popover: 'auto', role: 'menu', 'aria-label': t('tools.menu') },
        h('button', { type: 'button', class: 'btn btn-small btn-danger', role: 'menuitem', dataset: { action: 'end-game', key: 'tool-end' } }, t('tools.end_game')),
        h('button', { type: 'button', class: 'btn btn-small', role: 'menuitem', dataset: { action: 'leave', key: 'tool-leave' } }, t('tools.leave')))]
      : leave);
}

function draw() {
  const f = app.frame;
  const el = root();
  if (app.screen !== 'game' || !f || !el) return;
  const v = f.view;
  const prev = app.drawn;

  // A choice of initial flips lasts while the frame still lists them.
  if (!f.moves.some((m) => m.type === 'flip_initial') || (prev && prev.round !== v.round)) app.selected.clear();

  settle();
  const before = snapshot(el);
  const focusKey = el.contains(document.activeElement) ? document.activeElement?.dataset?.key : '';

  let screen;
  const ctx = {
    view: v, moves: f.moves, room: f.room, rules: app.rules, profiles: app.profiles, cpuPick: app.cpuPick,
    inviteURL: app.session?.inviteURL, tools: tools(v), selected: app.selected,
    nameOf: who(v), me: isMe, isHost: isHost(v), holes: app.holes, meId: app.session?.playerId,
    gameId: app.session?.gameId, visibility: app.visibility,
  };
  if (v.phase === 'waiting') {
    if (isHost(v) && !app.visibility) loadVisibility(app.session?.gameId);
    screen = renderRoom(ctx);
  } else {
    screen = renderTable(ctx);
    if (v.phase === 'round_over') screen.append(renderScoreSheet(ctx));
    if (v.phase === 'game_over') screen.append(renderResults(ctx));
  }
  if (app.busy) screen.classList.add('busy');
  const current = el.firstElementChild;
  if (current && current.className.split(' ')[0] === screen.className.split(' ')[0]) morph(current, screen);
  else replace(el, screen);

  if (focusKey) el.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus({ preventScroll: true });
  const opened = (v.phase === 'round_over' || v.phase === 'game_over') && prev && prev.phase !== v.phase;
  if (opened) el.querySelector('.overlay h2')?.focus({ preventScroll: true });

  if (prev && prev.room_code === v.room_code) animate(el, app.animEvents, before, seatOf(v));
  // A tab in the background draws nothing (no animation frames); when it
  // comes back, narrate only the latest events rather than a backlog.
  feedback(prev, v, f.moves, app.sayEvents.slice(-8));
  document.title = (f.moves.length ? t('title.your_turn') : '') + t('title.room', { room: v.room_code });
  app.sayEvents = [];
  app.animEvents = [];
  app.drawn = v;
  chatUpdate({ view: v, room: f.room, me: isMe });
  tickCountdown();
}

/** feedback narrates the events and plays their sounds (one of each kind per frame). */
function feedback(prev, v, moves, events) {
  const name = who(v);
  const sounds = new Set();
  for (const ev of events) {
    announce(narrate(ev, name, isMe));
    const snd = {
      CardDrawn: 'draw', CardSwapped: 'place', CardDiscarded: 'discard', DiscardReturned: 'discard',
      CardFlipped: 'flip', FlipAsAction: 'flip', InitialCardsFlipped: 'flip', Knocked: 'knock',
      RoundEnded: 'roundEnd', GameEnded: 'win', PlayerJoined: 'join',
    }[ev.type];
    if (snd) sounds.add(snd);
  }
  if (prev) {
    const mine = v.seat >= 0 && v.current === v.seat && ['playing', 'final_turn'].includes(v.phase);
    const wasMine = prev.seat >= 0 && prev.current === prev.seat && ['playing', 'final_turn'].includes(prev.phase);
    if (mine && !wasMine) {
      sounds.add('turn');
      announce(t('say.your_turn', { prompt: actions(v, moves).prompt }));
    }
    if (v.phase === 'final_turn' && prev.phase !== 'final_turn') sounds.add('lastTurn');
    if (v.phase === 'initial_flip' && prev.phase !== 'initial_flip') announce(t('say.new_hole', { round: v.round, rounds: v.rounds, prompt: actions(v, moves).prompt }));
  }
  if (sounds.has('win')) sounds.delete('roundEnd');
  for (const s of sounds) sound.play(s);
}

/** tickCountdown keeps countdowns current; they count on the page's own monotonic clock. */
function tickCountdown() {
  for (const el of document.querySelectorAll('[data-countdown]')) {
    const n = secondsLeft(Number(el.dataset.countdown), performance.now());
    const left = String(n);
    if (el.textContent !== left) el.textContent = left;
    el.closest('.turn-timer')?.classList.toggle('urgent', n <= 10);
  }
}

// ---- wiring --------------------------------------------------------------

function wire() {
  document.addEventListener('click', (e) => {
    const el = e.target.closest('[data-action]');
    if (!el || el.disabled || el.tagName === 'SELECT') return;
    if (el.closest('dialog') && !el.closest('#app')) return;
    e.preventDefault();
    el.closest('[popover]')?.hidePopover(); // a menu item closes its menu
    dispatch(el.dataset.action, el.dataset.pos !== undefined ? Number(el.dataset.pos) : undefined, el);
  });
  document.addEventListener('change', (e) => {
    const el = e.target;
    if (el.dataset.action === 'language') {
      changeLanguage(el.value);
      return;
    }
    if (el.dataset.roomSetting) {
      const v = view();
      if (isHost(v)) cmd('room_settings', { [el.dataset.roomSetting]: el.checked });
      return;
    }
    if (el.dataset.action === 'visibility') {
      setVisibility(el.value);
      return;
    }
    if (el.dataset.action === 'pick-cpu') {
      app.cpuPick = el.value;
      schedule();
      return;
    }
    const v = view();
    if (!v || v.phase !== 'waiting' || !isHost(v) || !app.rules) return;
    if (el.dataset.setting || el.dataset.option) {
      const settings = settingsFrom(v, app.rules, {
        setting: el.dataset.setting, option: el.dataset.option, value: el.value, checked: el.checked,
      });
      cmd('settings', { settings });
    }
  });
  const unlock = () => sound.unlock();
  document.addEventListener('pointerdown', unlock, { passive: true });
  document.addEventListener('keydown', unlock);
  for (const d of document.querySelectorAll('dialog')) {
    // A click on the backdrop closes a dialog.
    d.addEventListener('click', (e) => { if (e.target === d) d.close(); });
  }
  installKeys((action, pos) => dispatch(action, pos));
  sound.onMuteChange(() => schedule());
  window.addEventListener('popstate', route);
  // A page kept in the back/forward cache lets its seat go, and takes it back when shown.
  window.addEventListener('pagehide', (e) => { if (e.persisted) app.conn?.pause(); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) app.conn?.resume(); });
  app.countdownTimer = setInterval(() => { tickCountdown(); tickQueue(); }, 250);
  mountChat((type, fields) => app.conn?.send(type, fields) ?? 0, schedule);
}

async function loadReference() {
  const [raw, profiles] = await Promise.all([api.rules(), api.profiles()]);
  app.rulesRaw = raw;
  app.rules = normalize(raw);
  app.profiles = profiles;
  if (app.screen === 'rules') showRulesPage();
  schedule();
}

/** changeLanguage switches the page's words, remembers the choice and redraws. */
async function changeLanguage(lang) {
  store.setLang(lang);
  await setLanguage(lang);
  app.rules = normalize(app.rulesRaw);
  if (app.screen === 'game') {
    app.drawn = null; // a full redraw, with nothing to narrate or animate
    schedule();
  } else if (app.screen === 'lobby') {
    // Keep what was typed.
    const typed = { name: $('#create-name')?.value, code: $('#join-code')?.value };
    showLobby();
    if (typed.name !== undefined) for (const id of ['create-name', 'join-name']) $('#' + id).value = typed.name;
    if (typed.code) $('#join-code').value = typed.code;
    $('#lang')?.focus();
  } else {
    route();
  }
}

async function boot() {
  pruneSeats();
  // The words first: nothing is drawn before they are there.
  await setLanguage(pickLanguage(store.lang()));
  wire();
  route();
  loadReference();
}

boot();
