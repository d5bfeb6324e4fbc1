// text.js — words built from what the server sends: its error codes, preset
// names, option names, and a sentence for each event (spoken by the live
// region). The words themselves are in the translation files (i18n.js).

import { cardThe } from './cards.js';
import { has, list, t } from './i18n.js';

/** errorMessage is the friendly text for a server error frame. */
export function errorMessage(frame) {
  const key = `error.${frame.code}`;
  const base = has(key) ? t(key) : frame.message || t('error.unknown');
  if ((frame.code === 'invalid_option_value' || frame.code === 'unknown_option') && frame.key) {
    return t('error.with_key', { message: base, key: frame.key });
  }
  return base;
}

/** presetName is a preset's display name (rules §9). */
export function presetName(name) {
  const key = `preset.${name}`;
  return has(key) ? t(key) : humanize(name);
}

/** humanize turns option_name into "Option name" when no label is known. */
export function humanize(name) {
  const s = String(name).replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function cards(list_) {
  return list((list_ ?? []).map(cardThe));
}

/**
 * narrate returns a sentence for an event, or '' for events not worth
 * saying. who(id) names a player; me(id) says whether that is the viewer,
 * who is spoken to ("You drew…"), which changes the verb in some languages.
 */
export function narrate(ev, who, me = () => false) {
  const d = ev.data ?? {};
  const p = who(d.player_id);
  // say picks the second-person sentence (key.you) when the viewer did it;
  // its key is always written out, for client_test.go to find.
  const say = (key, params = {}) => t(me(d.player_id) ? `${key}.you` : key, { name: p, ...params });
  switch (ev.type) {
    case 'PlayerJoined': return t(d.cpu ? 'narrate.joined_cpu' : 'narrate.joined', { name: d.name });
    case 'PlayerLeft':
      if (d.reason === 'removed') return say('narrate.removed');
      if (d.reason === 'timed_out') return say('narrate.timed_out');
      return say('narrate.left');
    case 'SettingsChanged': return t('narrate.settings');
    case 'InitialCardsFlipped': return say('narrate.initial', { cards: cards(d.cards) });
    case 'CardDrawn': {
      const shuffled = d.reshuffled ? t('narrate.reshuffled') + ' ' : '';
      if (d.source === 'discard') return shuffled + say('narrate.took', { card: cardThe(d.card) });
      return shuffled + (d.card ? say('narrate.drew', { card: cardThe(d.card) }) : say('narrate.drew_back'));
    }
    case 'DiscardReturned': return say('narrate.put_back', { card: cardThe(d.card) });
    case 'CardSwapped':
      return say('narrate.swapped', { card: cardThe(d.new_card), pos: d.position + 1, old: cardThe(d.old_card) });
    case 'CardDiscarded': return say('narrate.discarded', { card: cardThe(d.card) });
    case 'CardFlipped': return say('narrate.flipped', { card: cardThe(d.card) });
    case 'FlipSkipped': return say('narrate.skipped');
    case 'FlipAsAction': return say('narrate.flip_as_action', { card: cardThe(d.card) });
    case 'Knocked': return say('narrate.knocked', { cards: cards(d.cards) });
    case 'AutoplayChanged': return d.on ? say('narrate.auto_on') : say('narrate.auto_off');
    case 'RoundEnded': {
      const end = d.reason === 'deck_exhausted' ? t('narrate.deck_out') + ' ' : '';
      return end + t('narrate.hole_over', { round: d.round }) + ' ' + winnersLine('narrate.hole_won', d.winners, who, me);
    }
    case 'GameEnded': {
      if (d.reason === 'abandoned') return t('narrate.abandoned');
      return t('narrate.game_over') + ' ' + winnersLine('narrate.game_won', d.winners, who, me);
    }
    default: return '';
  }
}

/**
 * winnersLine says who won: "Ann wins the hole", "You win the hole", "Ann
 * and Bob win the hole" — key, key.you and key.many.
 */
export function winnersLine(key, ids, who, me = () => false) {
  const names = (ids ?? []).map((id) => who(id));
  if (names.length === 1 && me(ids[0])) return t(`${key}.you`);
  return t(names.length > 1 ? `${key}.many` : key, { names: list(names) });
}
