// text.js — the words the client shows: friendly messages for the server's
// error codes, preset names, and a sentence for each event (spoken by the
// live region). House rules explain themselves: /api/rules describes each.

import { cardName } from './cards.js';

const ERRORS = {
  // Protocol.
  bad_request: 'The server did not understand that. Try reloading the page.',
  too_large: 'That message was too large for the server.',
  rate_limited: 'Whoa, slow down a little.',
  room_not_found: 'There is no room with that code.',
  bad_token: 'That seat is no longer yours. Join the room again.',
  kicked: 'The host removed you from this room.',
  unavailable: 'The server cannot save moves right now. Try again in a moment.',
  replaced: 'Your seat is now open in another tab or window.',
  // Rules (rules §13).
  not_a_player: 'You are watching: only seated players can do that.',
  not_host: 'Only the host can do that.',
  wrong_phase: 'That is not possible right now.',
  game_full: 'The table is full (6 players).',
  already_seated: 'You already have a seat at this table.',
  not_enough_players: 'You need at least 2 players to start.',
  unknown_option: 'That setting does not exist.',
  invalid_option_value: 'That value is not allowed for this setting.',
  already_flipped: 'You have already turned up your cards.',
  invalid_positions: 'Pick different face-down cards.',
  not_your_turn: 'It is not your turn.',
  rule_disabled: 'That house rule is not on in this game.',
  flip_pending: 'Flip one of your face-down cards first.',
  holding_card: 'You are already holding a card.',
  not_holding: 'Draw a card first.',
  no_flip_pending: 'There is no flip to make now.',
  invalid_source: 'Draw from the deck or the discard pile.',
  invalid_position: 'Pick one of your six cards.',
  discard_empty: 'The discard pile is empty.',
  cannot_discard_from_discard: 'A card taken from the discard pile must be swapped in or put back.',
  cannot_put_back_deck_card: 'A card drawn from the deck cannot go back: swap it or discard it.',
  card_face_up: 'That card is already face up.',
  flip_mandatory: 'In Speed Golf the flip is required.',
  knock_not_allowed: 'You can knock only with 1 or 2 face-down cards.',
  invalid_name: 'Names are 1–24 letters, numbers or symbols.',
  invalid_command: 'That move is not possible.',
};

/** errorMessage is the friendly text for a server error frame. */
export function errorMessage(frame) {
  const base = ERRORS[frame.code] ?? frame.message ?? 'Something went wrong.';
  if ((frame.code === 'invalid_option_value' || frame.code === 'unknown_option') && frame.key) {
    return `${base} (${frame.key})`;
  }
  return base;
}

/** PRESET_NAMES are display names for the presets of rules §9. */
export const PRESET_NAMES = {
  standard: 'Standard', speed_golf: 'Speed Golf', endgame_flip: 'Endgame Flip', jokers: 'Jokers',
  lucky_swing: 'Lucky Swing', eagle_eye: 'Eagle-Eye', negative_pairs: 'Negative Pairs',
  four_kind: 'Four of a Kind', wolfpack: 'Wolfpack', competitive: 'Competitive', penalties: 'Penalties',
  generous: 'Generous', all_bonuses: 'All Bonuses', chaos: 'Chaos', classic_plus: 'Classic Plus',
  wild: 'Wild', everything: 'Everything',
};

/** humanize turns option_name into "Option name" when no label is known. */
export function humanize(name) {
  const s = String(name).replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function list(cards) {
  const names = (cards ?? []).map(cardName);
  if (names.length <= 1) return names.join('');
  return names.slice(0, -1).join(', ') + ' and ' + names.at(-1);
}

/**
 * narrate returns a sentence for an event, or '' for events not worth
 * saying. who(id) names a player ("You" for the viewer).
 */
export function narrate(ev, who) {
  const d = ev.data ?? {};
  const p = who(d.player_id);
  switch (ev.type) {
    case 'PlayerJoined': return `${d.name}${d.cpu ? ' (CPU)' : ''} joined.`;
    case 'PlayerLeft':
      return d.reason === 'removed' ? `${p} was removed.` : d.reason === 'timed_out' ? `${p} timed out and left.` : `${p} left.`;
    case 'SettingsChanged': return 'The host changed the settings.';
    case 'InitialCardsFlipped': return `${p} turned up ${list(d.cards)}.`;
    case 'CardDrawn': {
      const shuffled = d.reshuffled ? 'The discard pile was shuffled into a new deck. ' : '';
      if (d.source === 'discard') return `${shuffled}${p} took the ${cardName(d.card)} from the discard pile.`;
      return d.card ? `${shuffled}${p} drew the ${cardName(d.card)}.` : `${shuffled}${p} drew from the deck.`;
    }
    case 'DiscardReturned': return `${p} put the ${cardName(d.card)} back.`;
    case 'CardSwapped':
      return `${p} placed the ${cardName(d.new_card)} at position ${d.position + 1} and discarded the ${cardName(d.old_card)}.`;
    case 'CardDiscarded': return `${p} discarded the ${cardName(d.card)}.`;
    case 'CardFlipped': return `${p} flipped the ${cardName(d.card)}.`;
    case 'FlipSkipped': return `${p} skipped the flip.`;
    case 'FlipAsAction': return `${p} turned up the ${cardName(d.card)} as a turn.`;
    case 'Knocked': return `${p} knocked, turning up ${list(d.cards)}.`;
    case 'AutoplayChanged': return d.on ? `A CPU is playing for ${p}.` : `${p} is back.`;
    case 'RoundEnded': {
      const winners = (d.winners ?? []).map(who);
      const end = d.reason === 'deck_exhausted' ? 'The deck ran out. ' : '';
      return `${end}Hole ${d.round} is over. ${winners.join(' and ')} ${winners.length === 1 && winners[0] !== 'You' ? 'wins' : 'win'} the hole.`;
    }
    case 'GameEnded': {
      if (d.reason === 'abandoned') return 'The game was ended early.';
      const winners = (d.winners ?? []).map(who);
      return `Game over. ${winners.join(' and ')} ${winners.length === 1 && winners[0] !== 'You' ? 'wins' : 'win'}!`;
    }
    default: return '';
  }
}
