// cards.js — how a card looks and what it is called: faces, backs (the deck
// index picks the back colour), and the words a screen reader hears.

import { h } from './dom.js';
import { t } from './i18n.js';

const RANK_SHORT = { T: '10', JK: '★' };
const SUIT_SYMBOLS = { S: '♠', H: '♥', D: '♦', C: '♣' };
const RANKS = new Set(['A', '2', '3', '4', '5', '6', '7', '8', '9', 'T', 'J', 'Q', 'K', 'JK']);
const SUITS = new Set(['S', 'H', 'D', 'C']);

/** cardName is "Queen of hearts", "Joker" or "Ten of spades". */
export function cardName(card) {
  if (!card || !RANKS.has(card.rank)) return t('card.unknown');
  if (card.rank === 'JK') return t('rank.JK');
  return t('card.name', { rank: t(`rank.${card.rank}`), suit: SUITS.has(card.suit) ? t(`suit.${card.suit}`) : card.suit });
}

/** cardThe is a card named in a sentence: "the Queen of hearts" ("la reina de corazones"). */
export function cardThe(card) {
  if (!card || !RANKS.has(card.rank)) return t('card.unknown_the');
  if (card.rank === 'JK') return t('rank.JK.the');
  return t('card.name', { rank: t(`rank.${card.rank}.the`), suit: SUITS.has(card.suit) ? t(`suit.${card.suit}`) : card.suit });
}

/** rankWord is "Queen" for Q. */
export function rankWord(rank) {
  return RANKS.has(rank) ? t(`rank.${rank}`) : rank;
}

/** backName says which colour a deck's backs are, for labels. */
export function backName(deck) {
  return deck >= 0 && deck <= 2 ? t(`back.${deck}`) : t('back.other', { n: deck + 1 });
}

function isRed(card) {
  return card.suit === 'H' || card.suit === 'D';
}

/** faceEl draws the face of a card. */
export function faceEl(card, extra = {}) {
  const joker = card.rank === 'JK';
  const rank = RANK_SHORT[card.rank] ?? card.rank;
  const suit = joker ? '' : SUIT_SYMBOLS[card.suit];
  return h('div', {
    class: ['card', 'face', isRed(card) && 'red', joker && 'joker', extra.class],
    dataset: { rank: card.rank, suit: card.suit ?? '', deck: card.deck ?? 0, up: '1' },
    'aria-hidden': 'true',
  },
  h('span', { class: 'corner tl' }, h('b', null, joker ? 'JK' : rank), h('i', null, suit)),
  h('span', { class: 'pip' }, joker ? '★' : suit),
  h('span', { class: 'corner br' }, h('b', null, joker ? 'JK' : rank), h('i', null, suit)));
}

/** backEl draws the back of a card of the given deck. */
export function backEl(deck, extra = {}) {
  return h('div', {
    class: ['card', 'back', extra.class],
    dataset: { back: deck ?? 0, up: '0' },
    'aria-hidden': 'true',
  }, h('span', { class: 'back-mark' }));
}

/** slotEl draws a grid slot: the face if it is up, the back otherwise. */
export function slotEl(slot) {
  return slot && slot.up && slot.card ? faceEl(slot.card) : backEl(slot ? slot.back : 0);
}

/** slotLabel is what a screen reader hears for a grid slot. */
export function slotLabel(slot, pos) {
  if (slot && slot.up && slot.card) return t('slot.up', { card: cardName(slot.card), pos: pos + 1 });
  return t('slot.down', { pos: pos + 1 });
}
