// scorecard.js — every hole's scores of a game, for the final scorecard.
// The view carries only the last hole (view.last_round), so the page keeps
// each hole's scores as it sees them, per game, in localStorage: a reload
// keeps the card. A hole whose end this page never saw (it was away for two
// or more hole ends) stays missing; docs/client.md says what the server
// would send to close that gap.

import { store } from './store.js';

/**
 * record adds the view's last hole to the game's card and returns the
 * card: {round: {scores: {player_id: round_score}}}.
 */
export function record(gameId, view) {
  const card = (gameId && store.card(gameId)) || {};
  const lr = view?.last_round;
  if (!lr || !lr.round || card[lr.round]) return card;
  card[lr.round] = { scores: Object.fromEntries((lr.players ?? []).map((p) => [p.player_id, p.round_score])) };
  if (gameId) store.setCard(gameId, card);
  return card;
}
