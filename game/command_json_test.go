package game

import (
	"encoding/json"
	"testing"
)

func TestCommandJSON(t *testing.T) {
	for _, tt := range []struct {
		c    Command
		want string
	}{
		{DrawCmd("a", SourceDeck), `{"type":"draw","source":"deck"}`},
		{DrawCmd("a", SourceDiscard), `{"type":"draw","source":"discard"}`},
		{SwapCmd("a", 0), `{"type":"swap","pos":0}`},
		{FlipCmd("a", 5), `{"type":"flip","pos":5}`},
		{FlipAsActionCmd("a", 2), `{"type":"flip_as_action","pos":2}`},
		{FlipInitialCmd("a", 0, 3), `{"type":"flip_initial","positions":[0,3]}`},
		{DiscardCmd("a"), `{"type":"discard"}`},
		{PutBackCmd("a"), `{"type":"put_back"}`},
		{SkipFlipCmd("a"), `{"type":"skip_flip"}`},
		{KnockCmd("a"), `{"type":"knock"}`},
	} {
		b, err := json.Marshal(tt.c)
		if err != nil || string(b) != tt.want {
			t.Errorf("%v: got %s, %v; want %s", tt.c.Kind, b, err, tt.want)
		}
	}
	if _, err := json.Marshal(StartGameCmd("a", Seed{})); err == nil {
		t.Error("a lobby command has no wire form here, and must not encode")
	}
}
