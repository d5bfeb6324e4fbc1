package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// moduleChecks imports the client's pure modules in the page and returns
// every expectation that failed. It covers what one played hole may never
// reach: tied places, pair values under house rules, the controls every
// kind of move list gives, every prompt, the countdown's clock.
const moduleChecks = `(async () => {
  const { deadline, ranking, secondsLeft } = await import('/js/scores.js');
  const { actions, controls, finalBanner, initialMove, joinNames } = await import('/js/prompt.js');
  const { normalize, presetOf } = await import('/js/rulesdata.js');
  const { pairedColumns } = await import('/js/pairs.js');
  const { cleanName, cleanCode } = await import('/js/lobby.js');
  const fails = [];
  const eq = (what, got, want) => {
    const g = JSON.stringify(got), w = JSON.stringify(want);
    if (g !== w) fails.push(what + ': got ' + g + ', want ' + w);
  };

  // Final ranking: lowest total first, equal totals share a place.
  eq('ranking', ranking([
    { player_id: 'a', total: 10 }, { player_id: 'b', total: 5 }, { player_id: 'c', total: 10 }, { player_id: 'd', total: 12 },
  ]).map((p) => p.player_id + p.place), ['b1', 'a2', 'c2', 'd4']);

  const rules = normalize(await (await fetch('/api/rules')).json());
  const std = Object.fromEntries(rules.options.map((o) => [o.name, o.default]));
  const up = (rank, suit) => ({ up: true, card: { rank, suit, deck: 0 }, back: 0 });
  const down = { up: false, back: 0 };
  const seat = { cards: [up('K', 'S'), up('5', 'H'), down, up('K', 'H'), down, up('J', 'H')] };
  eq('paired columns', pairedColumns(seat), [0]);
  const jokerCards = { cards: [{ up: true, card: { rank: 'JK', deck: 0 }, back: 0 }, down, down, { up: true, card: { rank: 'JK', deck: 1 }, back: 1 }, down, down] };
  eq('joker pair', pairedColumns(jokerCards), [0]);
  eq('preset of standard options', presetOf(rules, std), 'standard');
  eq('preset of speed golf', presetOf(rules, { ...std, flip_mode: 'always', initial_flips: 1 }), 'speed_golf');

  // Controls come from the frame's moves alone; the words read the view.
  const seats = [0, 1].map((i) => ({ id: 'p' + i, name: ['Ann', 'Maya'][i], cpu: i === 1, cards: [down, down, up('3', 'S'), down, up('4', 'D'), down], face_down: 4, flipped: true }));
  const view = (o) => ({ seat: 0, phase: 'playing', step: 'turn_start', current: 0, finisher: -1, options: { ...std }, discard: [{ rank: '7', suit: 'C', deck: 0 }], seats, ...o });
  const deck = { type: 'draw', source: 'deck' }, pile = { type: 'draw', source: 'discard' };
  const each = (type, ps) => ps.map((pos) => ({ type, pos }));
  let a = actions(view({}), [deck, pile]);
  eq('turn start', [a.prompt, a.detail, a.deck, a.discardPile, a.knock, a.grid], ['Draw a card', 'From the deck, or take the Seven of clubs.', deck, pile, null, null]);
  a = actions(view({ step: 'holding', held: { seat: 0, from: 'discard', card: { rank: '7', suit: 'C', deck: 0 } } }), [...each('swap', [0, 1, 2, 3, 4, 5]), { type: 'put_back' }]);
  eq('holding a discard', [a.prompt, a.discard, a.putBack, a.grid, a.pickable.size, a.pick.get(4)], ['Swap into your grid or put it back', null, { type: 'put_back' }, 'swap', 6, { type: 'swap', pos: 4 }]);
  a = actions(view({ step: 'holding', held: { seat: 0, from: 'deck', card: { rank: '9', suit: 'H', deck: 0 } } }), [...each('swap', [0, 1, 2, 3, 4, 5]), { type: 'discard' }]);
  eq('holding a deck card', [a.prompt, a.detail, !!a.discard, a.putBack], ['Swap into your grid or discard', 'You hold the Nine of hearts.', true, null]);
  a = actions(view({ step: 'flip_owed', flip: 'optional' }), [...each('flip', [0, 1, 3, 5]), { type: 'skip_flip' }]);
  eq('optional flip', [a.prompt, !!a.skipFlip, [...a.pickable]], ['Flip one of your face-down cards', true, [0, 1, 3, 5]]);
  a = actions(view({ step: 'flip_owed', flip: 'required' }), each('flip', [0, 1, 3, 5]));
  eq('required flip', [a.skipFlip, a.detail], [null, 'Speed Golf: the flip is required.']);
  a = actions(view({}), [deck, pile, { type: 'knock' }]);
  eq('knock offered when listed', [!!a.knock, a.detail], [true, 'From the deck, or take the Seven of clubs — or knock.']);
  a = actions(view({ seats: [{ ...seats[0], face_down: 2 }, seats[1]], options: { ...std, knock_early: true } }), [deck, pile]);
  eq('no knock unless listed, whatever the view', a.knock, null);
  a = actions(view({}), [deck, pile, ...each('flip_as_action', [0, 1])]);
  eq('flip as action', [a.grid, [...a.pickable], a.pick.get(1)], ['flip_as_action', [0, 1], { type: 'flip_as_action', pos: 1 }]);
  a = actions(view({}), []);
  eq('my turn by the view, no moves yet: nothing offered', [a.prompt, a.mine, a.deck, a.grid], ['Your turn', false, null, null]);
  eq('their turn', actions(view({ current: 1 }), []).prompt, 'Maya’s turn');
  const flips = [[0, 1], [0, 3], [1, 3], [0, 5], [1, 5], [3, 5]].map((positions) => ({ type: 'flip_initial', positions }));
  const initialView = view({ phase: 'initial_flip', seats: [{ ...seats[0], flipped: false }, { ...seats[1], flipped: false }] });
  a = actions(initialView, flips, new Set([1]));
  eq('initial flips', [a.prompt, a.grid, a.need, a.detail, [...a.pickable].sort()], ['Turn up 2 cards to start', 'initial', 2, '1 of 2 chosen', [0, 1, 3, 5]]);
  a = controls([{ type: 'flip_initial', positions: [0, 1] }, { type: 'flip_initial', positions: [2, 3] }], new Set([0]));
  eq('initial: only positions a listed flip completes', [...a.pickable].sort(), [0, 1]);
  eq('initial move chosen', initialMove(controls(flips, new Set([5, 1])), new Set([5, 1])), { type: 'flip_initial', positions: [1, 5] });
  eq('initial move not listed', initialMove(controls(flips, new Set([0, 2])), new Set([0, 2])), null);
  eq('waiting for flips', actions(view({ phase: 'initial_flip', seats: [seats[0], { ...seats[1], flipped: false }] }), []).prompt, 'Waiting for Maya');
  eq('spectator', actions(view({ seat: -1 }), []).deck, null);
  eq('final banner', finalBanner(view({ phase: 'final_turn', finisher: 1, seats: [{ ...seats[0], owed: true }, seats[1]] })), 'Maya went out — this is your last turn!');
  eq('names', joinNames(['Ann', 'Bob', 'Cy']), 'Ann, Bob and Cy');

  // The countdown runs on the server's clock: only next_round_at − now and
  // the time since the frame arrived count, never the client's own clock.
  const room = { next_round_at: 5_000_009_000, now: 5_000_000_000 };
  eq('deadline', deadline(room, 200, 1_700_000_000_000), 9200);
  eq('deadline, same whatever the client clock', deadline(room, 200, 0), 9200);
  eq('deadline, none', deadline({ next_round_at: 0, now: 5 }, 200), 0);
  eq('deadline, no server clock', deadline({ next_round_at: 10_000 }, 200, 4_000), 6200);
  eq('seconds left', [secondsLeft(9200, 200), secondsLeft(9200, 200.5), secondsLeft(9200, 8200), secondsLeft(9200, 9201)], [9, 9, 1, 0]);

  // Option descriptions are the server's.
  const jokers = rules.options.find((o) => o.name === 'jokers');
  eq('jokers description', [jokers.help, jokers.valueHelp.lucky_swing], ['Which jokers are in the deck and what they are worth.', 'Exactly one joker in the whole deck, worth −5.']);
  eq('every option described', rules.options.filter((o) => !o.help).map((o) => o.name), []);
  eq('decks described', rules.settings.decks.help.startsWith('How many'), true);

  // The score sheet's hands mark their column pairs, as the table does.
  const { handGrid } = await import('/js/scores.js');
  const card = (rank, suit) => ({ rank, suit, deck: 0 });
  const hand = handGrid([card('K', 'S'), card('5', 'H'), card('9', 'C'), card('K', 'H'), card('6', 'D'), card('J', 'H')]);
  eq('pairs in a revealed hand', [...hand.querySelectorAll('.slot')].map((s) => s.classList.contains('paired')), [true, false, false, true, false, false]);

  // Lobby input.
  eq('name', cleanName('  Ann   Lee '), { name: 'Ann Lee', ok: true });
  eq('blank name', cleanName('   ').ok, false);
  eq('long name', cleanName('x'.repeat(25)).ok, false);
  eq('code', cleanCode(' kd-rt '), 'KDRT');

  // A state frame's kept members come from the previous frame (docs/protocol.md, "keep").
  const { complete } = await import('/js/keep.js');
  const prev = { type: 'state', view: { phase: 'playing', options: { ...std }, labels: ['Jokers'], discard: [card('7', 'C')], seats: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] },
    room: { code: 'KDRT', invite_url: 'http://x/r/KDRT', now: 1 } };
  const full = { type: 'state', view: { phase: 'playing', options: { ...std }, seats: [{ id: 'a' }] }, room: {} };
  eq('complete frame as it is', complete(full, null), full);
  const next = complete({ type: 'state', keep: { view: ['labels', 'discard'], seats: [0, 2], room: ['invite_url'] },
    view: { phase: 'final_turn', options: { ...std }, seats: [null, { id: 'B' }, null] }, room: { code: 'KDRT', now: 2 } }, prev);
  eq('kept members', next, { type: 'state', view: { phase: 'final_turn', options: { ...std }, seats: [{ id: 'a' }, { id: 'B' }, { id: 'c' }], labels: ['Jokers'], discard: [card('7', 'C')] },
    room: { code: 'KDRT', now: 2, invite_url: 'http://x/r/KDRT' } });
  eq('every seat kept', complete({ type: 'state', keep: { view: ['seats'] }, view: { phase: 'x' }, room: {} }, prev).view.seats.length, 3);
  eq('keep without a previous frame', complete({ type: 'state', keep: { view: ['options'] }, view: {}, room: {} }, null), null);
  eq('keep of what the previous frame lacks', complete({ type: 'state', keep: { view: ['last_round'] }, view: {}, room: {} }, prev), null);
  eq('kept seat the previous frame lacks', complete({ type: 'state', keep: { seats: [3] }, view: { seats: [null, null, null, null] }, room: {} }, prev), null);
  return fails;
})()`

// TestModules runs the client's pure modules in Chromium against the
// server's real /api/rules.
func TestModules(t *testing.T) {
	t.Parallel()
	root := browser(t)
	_, ts := newServer(t, nil)
	tb := newTab(t, root, "modules")
	tb.do("open", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)))
	for _, f := range eval[[]string](tb, moduleChecks) {
		t.Error(f)
	}
	tb.checkErrors()
}
