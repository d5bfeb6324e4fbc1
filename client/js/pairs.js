// pairs.js — which columns of a grid to highlight as pairs: both cards face
// up and of one rank (rules §1.3). What a pair scores comes from the server
// (seat.showing), never from here.

/** pairedColumns returns the columns (0–2) whose two cards are face up and of one rank. */
export function pairedColumns(seat) {
  const out = [];
  for (let c = 0; c < 3; c++) {
    const top = seat.cards[c];
    const bottom = seat.cards[c + 3];
    if (top?.up && bottom?.up && top.card && bottom.card && top.card.rank === bottom.card.rank) out.push(c);
  }
  return out;
}
