// cards.js — how a card looks and what it is called: faces, backs (the deck
// index picks the back colour), and the words a screen reader hears.

import { h } from './dom.js';

const RANK_WORDS = {
  A: 'Ace', 2: 'Two', 3: 'Three', 4: 'Four', 5: 'Five', 6: 'Six', 7: 'Seven',
  8: 'Eight', 9: 'Nine', T: 'Ten', J: 'Jack', Q: 'Queen', K: 'King', JK: 'Joker',
};
const RANK_SHORT = { T: '10', JK: '★' };
const SUIT_WORDS = { S: 'spades', H: 'hearts', D: 'diamonds', C: 'clubs' };
const SUIT_SYMBOLS = { S: '♠', H: '♥', D: '♦', C: '♣' };
const BACK_WORDS = ['blue', 'red', 'gold'];

/** cardName is "Queen of hearts", "Joker" or "Ten of spades". */
export function cardName(card) {
  if (!card) return 'card';
  if (card.rank === 'JK') return 'Joker';
  return `${RANK_WORDS[card.rank] ?? card.rank} of ${SUIT_WORDS[card.suit] ?? card.suit}`;
}

/** rankWord is "Queen" for Q. */
export function rankWord(rank) {
  return RANK_WORDS[rank] ?? rank;
}

/** backName says which colour a deck's backs are, for labels. */
export function backName(deck) {
  return BACK_WORDS[deck] ?? `deck ${deck + 1}`;
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
  const where = `position ${pos + 1}`;
  if (slot && slot.up && slot.card) return `${cardName(slot.card)}, face up, ${where}`;
  return `face-down card, ${where}`;
}
