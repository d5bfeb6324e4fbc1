package ai

import (
	"testing"

	"golf/game"
)

// A next player (seat 1) with nothing in common with the cards below, so
// that no Dn exemption applies unless a case asks for it.
const plain = "[5 ? ? | ? 6 ?]"

// TestGradeCategories checks each category of docs/ai.md §5 on its example,
// its exemptions, and near misses that must stay clean.
func TestGradeCategories(t *testing.T) {
	kp := func(o *game.Options) { o.KnockPenalty = true }
	four := func(o *game.Options) { o.FourOfAKind = true }
	wolf := func(o *game.Options) { o.Wolfpack = true }
	bj := func(o *game.Options) { o.Blackjack = true }
	jokers := func(o *game.Options) { o.Jokers = game.JokersStandard }
	npkv := func(o *game.Options) { o.NegativePairsKeepValue = true }
	always := func(o *game.Options) { o.FlipMode = game.FlipAlways }
	sk := func(o *game.Options) { o.SuperKings = true }
	oej := func(o *game.Options) { o.OneEyedJacks = true }
	id := "s0"

	tests := []struct {
		name string
		sp   spot
		cmd  game.Command
		want Flags
	}{
		// 1 discarded_negative
		{"discarded 2", spot{opts: std(), hands: []string{"[9 ? 4 | ? K 6]", plain}, discard: "8", held: "2"},
			game.DiscardCmd(id), flag(DiscardedNegative)},
		{"discarded joker", spot{opts: std(jokers), hands: []string{"[9 ? 4 | ? K 6]", plain}, discard: "8", held: "JK"},
			game.DiscardCmd(id), flag(DiscardedNegative)},
		{"discarded super king", spot{opts: std(sk), hands: []string{"[9 ? 4 | ? 3 6]", plain}, discard: "8", held: "K"},
			game.DiscardCmd(id), flag(DiscardedNegative)},
		{"discarded 2, no swap gains", spot{opts: std(), decks: 2, hands: []string{"[2 2 2 | 2 2 2]", plain}, discard: "8", held: "2"},
			game.DiscardCmd(id), 0},
		{"discarded A is no negative", spot{opts: std(), hands: []string{"[9 ? 4 | ? K 6]", plain}, discard: "8", held: "A"},
			game.DiscardCmd(id), 0},
		// 2 discarded_pair
		{"discarded pair Q", spot{opts: std(), hands: []string{"[Q ? 4 | ? K 6]", plain}, discard: "8", held: "Q"},
			game.DiscardCmd(id), flag(DiscardedPair)},
		{"discarded pair that would finish (Fin)", spot{opts: std(), hands: []string{"[Q 4 5 | ? K 6]", plain}, discard: "8", held: "Q"},
			game.DiscardCmd(id), 0},
		{"discarded A that pairs over a face-down card", spot{opts: std(), hands: []string{"[A ? 4 | ? K 6]", plain}, discard: "8", held: "A"},
			game.DiscardCmd(id), flag(DiscardedPair)}, // A + μ − 0 ≈ 6.5 ≥ 5
		{"discarded pair worth little", spot{opts: std(), hands: []string{"[A ? 4 | K ? 6]", plain}, discard: "8", held: "A"},
			game.DiscardCmd(id), 0}, // (A, K) is 1; the pair saves 1 < 5
		// 3 bad_take
		{"bad take over lower card", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", plain}, discard: "8", held: "9", from: game.SourceDiscard},
			game.SwapCmd(id, 5), flag(BadTake)},
		{"bad take blind", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", plain}, discard: "8", held: "9", from: game.SourceDiscard},
			game.SwapCmd(id, 1), flag(BadTake)},
		{"bad take denied to next (Dn)", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", "[9 ? ? | ? 6 ?]"}, discard: "8", held: "9", from: game.SourceDiscard},
			game.SwapCmd(id, 5), 0},
		{"bad take chasing four (Ch)", spot{opts: std(four), hands: []string{"[9 ? 4 | 9 ? 6]", plain}, discard: "8", held: "9", from: game.SourceDiscard},
			game.SwapCmd(id, 1), 0},
		{"bad take to 21 (21)", spot{opts: std(bj), hands: []string{"[9 8 4 | 3 K ?]", plain}, discard: "8", held: "5", from: game.SourceDiscard},
			game.SwapCmd(id, 5), 0}, // 9+3, 8+0, 4+5 = 21
		{"good take", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", plain}, discard: "8", held: "2", from: game.SourceDiscard},
			game.SwapCmd(id, 5), 0},
		// 4 broke_pair
		{"broke pair", spot{opts: std(), hands: []string{"[7 ? 4 | 7 K ?]", plain}, discard: "8", held: "5"},
			game.SwapCmd(id, 0), flag(BrokePair)},
		{"broke pair to 21 (21)", spot{opts: std(bj), hands: []string{"[7 9 K | 7 K K]", plain}, discard: "8", held: "5"},
			game.SwapCmd(id, 0), 0}, // 5+7, 9+0, (K,K) = 21 after the swap
		{"broke negative pair upwards", spot{opts: std(npkv), hands: []string{"[2 ? 4 | 2 K ?]", plain}, discard: "8", held: "K"},
			game.SwapCmd(id, 0), flag(BrokePair)}, // (2,2) scores −4; (K,2) −2
		{"broke pair downwards", spot{opts: std(), hands: []string{"[K ? 4 | K 5 ?]", plain}, discard: "8", held: "2"},
			game.SwapCmd(id, 0), 0}, // (K,K) 0; (2,K) −2
		// 5 negative_pair
		{"negative pair", spot{opts: std(), hands: []string{"[2 9 ? | ? 5 ?]", plain}, discard: "8", held: "2"},
			game.SwapCmd(id, 3), flag(NegativePair)},
		{"negative pair completing four", spot{opts: std(four), hands: []string{"[2 2 9 | ? 2 5]", plain}, discard: "8", held: "2"},
			game.SwapCmd(id, 3), 0},
		{"negative pair keeps value", spot{opts: std(npkv), hands: []string{"[2 9 ? | ? 5 ?]", plain}, discard: "8", held: "2"},
			game.SwapCmd(id, 3), 0},
		// 6 penalised_out
		{"penalised out", spot{opts: std(kp), hands: []string{"[5 4 3 | 6 A ?]", "[A K 3 | A K ?]"}, discard: "8", held: "2"},
			game.SwapCmd(id, 5), flag(PenalisedOut)},
		{"out without knock_penalty", spot{opts: std(), hands: []string{"[5 4 3 | 6 A ?]", "[A K 3 | A K ?]"}, discard: "8", held: "2"},
			game.SwapCmd(id, 5), 0},
		{"penalised out by discard and required flip", spot{opts: std(kp, always), hands: []string{"[5 4 3 | 6 A ?]", "[A K 3 | A K ?]"}, discard: "8", held: "Q"},
			game.DiscardCmd(id), flag(PenalisedOut)},
		{"penalised out by knock", spot{opts: std(kp, func(o *game.Options) { o.KnockEarly = true }), hands: []string{"[5 4 3 | 6 A ?]", "[A K 3 | A K ?]"}, discard: "8"},
			game.KnockCmd(id), flag(PenalisedOut)},
		{"out while ahead", spot{opts: std(kp), hands: []string{"[A 2 3 | K A ?]", "[A K 3 | A K ?]"}, discard: "8", held: "2"},
			game.SwapCmd(id, 5), 0},
		// 7 good_for_worse
		{"good for worse", spot{opts: std(), hands: []string{"[K 8 ? | 5 ? ?]", plain}, discard: "8", held: "4"},
			game.SwapCmd(id, 0), flag(GoodForWorse)},
		{"good for much worse", spot{opts: std(), hands: []string{"[K 8 ? | 5 ? ?]", plain}, discard: "8", held: "Q"},
			game.SwapCmd(id, 0), flag(GoodForWorse) | severe},
		{"good for worse, one-eyed jack", spot{opts: std(oej), hands: []string{"[JH 8 ? | 5 ? ?]", plain}, discard: "8", held: "3"},
			game.SwapCmd(id, 0), flag(GoodForWorse)},
		{"good for worse denied (Dn)", spot{opts: std(), hands: []string{"[K 8 ? | 5 ? ?]", "[4 ? ? | ? 6 ?]"}, discard: "8", held: "4"},
			game.SwapCmd(id, 0), 0},
		// 8 high_into_facedown
		{"high into face-down", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", plain}, discard: "8", held: "J"},
			game.SwapCmd(id, 1), flag(HighIntoFacedown)},
		{"high into face-down denied (Dn)", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", "[J ? ? | ? 6 ?]"}, discard: "8", held: "J"},
			game.SwapCmd(id, 1), 0},
		{"high into face-down chasing wolfpack (Ch)", spot{opts: std(wolf), decks: 2, hands: []string{"[J ? 4 | J ? 6]", plain}, discard: "8", held: "J"},
			game.SwapCmd(id, 1), 0},
		{"high into face-down in a stalemate (St)", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", plain}, discard: "8", held: "J", turns: 12},
			game.SwapCmd(id, 1), 0},
		{"7 into face-down", spot{opts: std(), hands: []string{"[3 ? 4 | ? K 6]", plain}, discard: "8", held: "7"},
			game.SwapCmd(id, 1), 0},
		// 9 discarded_zero
		{"discarded zero", spot{opts: std(), hands: []string{"[9 ? 4 | ? 3 6]", plain}, discard: "8", held: "K"},
			game.DiscardCmd(id), flag(DiscardedZero)},
		{"discarded one-eyed jack", spot{opts: std(oej), hands: []string{"[9 ? 4 | ? 3 6]", plain}, discard: "8", held: "JS"},
			game.DiscardCmd(id), flag(DiscardedZero)},
		{"discarded zero, nothing to gain", spot{opts: std(), hands: []string{"[K A K | A K A]", plain}, discard: "8", held: "K"},
			game.DiscardCmd(id), 0},
		// 10 ignored_gift
		{"ignored gift", spot{opts: std(), hands: []string{"[8 ? 4 | ? K 6]", plain}, discard: "9 2"},
			game.DrawCmd(id, game.SourceDeck), flag(IgnoredGift)},
		{"ignored pair gift", spot{opts: std(), hands: []string{"[8 ? 4 | ? K 6]", plain}, discard: "9 8"},
			game.DrawCmd(id, game.SourceDeck), flag(IgnoredGift)},
		{"no use for the gift", spot{opts: std(), decks: 2, hands: []string{"[2 2 2 | 2 2 2]", plain}, discard: "9 2"},
			game.DrawCmd(id, game.SourceDeck), 0},
		{"gift taken", spot{opts: std(), hands: []string{"[8 ? 4 | ? K 6]", plain}, discard: "9 2"},
			game.DrawCmd(id, game.SourceDiscard), 0},
		{"a pair only at the finishing slot", spot{opts: std(), hands: []string{"[8 A 4 | ? K 6]", plain}, discard: "9 8"},
			game.DrawCmd(id, game.SourceDeck), 0},
	}
	var gr Grader
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.sp.view(t)
			got := gr.Grade(v, tc.cmd)
			if got != tc.want {
				t.Errorf("Grade = %v (%016b), want %v (%016b)", got, got, tc.want, tc.want)
			}
			// The prefilter must never hide a match.
			var tb table
			var rs rules
			rs.set(&v.Options, v.Decks)
			tb.load(&rs, v)
			if full := tb.grade(&tc.cmd); full != 0 && got == 0 && !forcedOrExempt(&tb, tc.cmd) {
				t.Errorf("prefilter hid %v", full)
			}
		})
	}
}

// forcedOrExempt reports whether Grade cleared a match only by the forced
// rule, which grade alone does not apply.
func forcedOrExempt(t *table, c game.Command) bool {
	if c.Kind != game.CmdSwap && c.Kind != game.CmdDiscard {
		return false
	}
	var hd holding
	t.hold(t.held, t.heldFrom, &hd)
	return t.forced(&hd)
}

func TestFlagsClass(t *testing.T) {
	tests := []struct {
		f    Flags
		want Class
	}{
		{0, Clean},
		{flag(DiscardedZero), Mistake},
		{flag(GoodForWorse), Mistake},
		{flag(GoodForWorse) | severe, Blunder},
		{flag(IgnoredGift) | flag(HighIntoFacedown), Mistake},
		{flag(IgnoredGift) | flag(BadTake), Blunder},
		{flag(PenalisedOut), Blunder},
	}
	for _, tc := range tests {
		if got := tc.f.Class(); got != tc.want {
			t.Errorf("%v.Class() = %v, want %v", tc.f, got, tc.want)
		}
	}
	if got := (flag(BadTake) | flag(IgnoredGift)).String(); got != "bad_take+ignored_gift" {
		t.Errorf("String = %q", got)
	}
	if n := len(Categories()); n != NumCategories {
		t.Errorf("%d categories", n)
	}
}

// TestGradeForced checks the forced rule: when every placement of a deck
// card matches a category, none is flagged. Under knock_penalty and speed
// golf with one face-down card, a 9 can only break the 4-pair, spoil a low
// card, or go out behind.
func TestGradeForced(t *testing.T) {
	o := std(func(o *game.Options) { o.KnockPenalty, o.FlipMode = true, game.FlipAlways })
	sp := spot{opts: o, decks: 2, hands: []string{"[2 4 K | K 4 ?]", "[2 K K | 2 K K]"}, discard: "8", held: "9"}
	v := sp.view(t)
	var gr Grader
	for _, c := range []game.Command{game.DiscardCmd("s0"), game.SwapCmd("s0", 0), game.SwapCmd("s0", 1), game.SwapCmd("s0", 5)} {
		if f := gr.Grade(v, c); f != 0 {
			t.Errorf("%v %d: %v, want clean (forced)", c.Kind, c.Pos, f)
		}
	}
	// With a clean alternative (a 2 into the 5 column is clean) the same
	// kind of move is flagged.
	sp.held = "3"
	v = sp.view(t)
	if f := gr.Grade(v, game.SwapCmd("s0", 1)); !f.Has(BrokePair) {
		t.Errorf("Swap(1) of a 3: %v, want broke_pair", f)
	}
}

func TestGradeIgnoresOtherCommands(t *testing.T) {
	sp := spot{opts: std(), hands: []string{"[9 ? 4 | ? K 6]", plain}, discard: "8 2"}
	v := sp.view(t)
	var gr Grader
	for _, c := range []game.Command{game.DrawCmd("s0", game.SourceDiscard), game.FlipInitialCmd("s0", 0, 3), game.PutBackCmd("s0")} {
		if f := gr.Grade(v, c); f != 0 {
			t.Errorf("%v: %v", c.Kind, f)
		}
	}
	spect := *v
	spect.Seat = -1
	if f := gr.Grade(&spect, game.DrawCmd("s0", game.SourceDeck)); f != 0 {
		t.Errorf("spectator view graded: %v", f)
	}
}
