// store.js — what the browser remembers between visits, in localStorage:
// the player's name, the seat token for each room (to resume after a reload),
// the scores of each hole of a game (scorecard.js), the mute switch and the
// language picked. Storage may be unavailable (private mode): every read has
// a default and every write is best-effort.

const KEY = 'golf.';

function get(key, fallback) {
  try {
    const v = localStorage.getItem(KEY + key);
    return v === null ? fallback : JSON.parse(v);
  } catch {
    return fallback;
  }
}

function set(key, value) {
  try {
    if (value === undefined || value === null) localStorage.removeItem(KEY + key);
    else localStorage.setItem(KEY + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the game still works, it just forgets.
  }
}

export const store = {
  name: () => get('name', ''),
  setName: (n) => set('name', n),

  /** seat returns {token, seat, at} remembered for a room, or null. */
  seat: (room) => get('seat.' + room, null),
  setSeat: (room, seat) => set('seat.' + room, seat ? { ...seat, at: Date.now() } : null),
  forgetSeat: (room) => set('seat.' + room, null),

  muted: () => get('muted', false),
  setMuted: (m) => set('muted', !!m),

  /** lang is the language the player picked, or '' (follow the browser). */
  /** mutedPlayers are the player ids whose chat this browser hides (chat.js). */
  mutedPlayers: () => get('chatmute', []),
  setMutedPlayers: (ids) => set('chatmute', ids && ids.length ? ids : null),

  lang: () => get('lang', ''),
  setLang: (l) => set('lang', l || null),

  /** card is a game's scorecard as this page saw it (scorecard.js), or null. */
  card: (game) => {
    const c = get('card.' + game, null);
    return c ? c.holes : null;
  },
  setCard: (game, holes) => set('card.' + game, { holes, at: Date.now() }),
};

/** pruneSeats forgets seat tokens and scorecards older than a week so storage stays small. */
export function pruneSeats(now = Date.now()) {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (!k || !(k.startsWith(KEY + 'seat.') || k.startsWith(KEY + 'card.'))) continue;
      const v = JSON.parse(localStorage.getItem(k) || 'null');
      if (!v || !v.at || now - v.at > 7 * 24 * 3600 * 1000) localStorage.removeItem(k);
    }
  } catch {
    // Nothing to prune.
  }
}
