package web

import (
	"errors"
	"testing"

	"golf/game"
	"golf/live"
)

func TestDecodeFrame(t *testing.T) {
	tests := []struct {
		in   string
		code string // "" for success
		kind game.Kind
	}{
		{`{"v":1,"id":3,"type":"swap","pos":4}`, "", game.CmdSwap},
		{`{"v":1,"type":"draw","source":"discard"}`, "", game.CmdDraw},
		{`{"v":1,"type":"draw","source":"sky"}`, "", game.CmdDraw}, // the engine answers invalid_source
		{`{"v":1,"type":"flip_initial","positions":[0,3]}`, "", game.CmdFlipInitial},
		{`{"v":1,"type":"settings","settings":{"rounds":3}}`, "", game.CmdChangeSettings},
		{`{"v":1,"type":"settings","settings":{"num_rounds":3}}`, "unknown_option", 0},
		{`{"v":1,"type":"swap"}`, "bad_request", 0},
		{`{"v":1,"type":"flip_initial"}`, "bad_request", 0},
		{`{"v":2,"type":"knock"}`, "bad_request", 0},
		{`{"type":"knock"}`, "bad_request", 0},
		{`{"v":1,"id":-1,"type":"knock"}`, "bad_request", 0},
		{`{"v":1,"type":"autoplay"}`, "bad_request", 0},
		{`{"v":1}`, "bad_request", 0},
		{`null`, "bad_request", 0},
		{`{"v":1,"type":"join"}`, "bad_request", 0},
	}
	for _, tc := range tests {
		r, err := decodeFrame([]byte(tc.in))
		code := ""
		if err != nil {
			code, _, _ = live.ErrorCode(err)
		}
		if code != tc.code {
			t.Errorf("%s: code %q, want %q", tc.in, code, tc.code)
		}
		if err == nil && r.Action.Cmd.Kind != tc.kind {
			t.Errorf("%s: kind %v, want %v", tc.in, r.Action.Cmd.Kind, tc.kind)
		}
	}
}

// FuzzDecodeFrame: no client frame panics the decoder, and whatever it
// accepts is a known frame type whose command carries no identity.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{`{"v":1,"type":"swap","pos":4}`, `{"v":1,"type":"create","name":"A","settings":{"options":{"jokers":"standard"}}}`,
		`{"v":1,"type":"flip_initial","positions":[1,2,3,4,5,6,7]}`, `{"v":1,"type":"resume","room":"BCDF","token":"x"}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeFrame(data)
		if err != nil {
			// A bad frame is the client's doing and is told so: bad_request
			// or a rule's own code. Any other error would reach the client
			// as unavailable ("internal error"), as if the server had failed.
			var le *live.Error
			var ge *game.Error
			if !errors.As(err, &ge) && !(errors.As(err, &le) && le.Code == live.CodeBadRequest) {
				code, _, msg := live.ErrorCode(err)
				t.Fatalf("%q: error %v reaches the client as %s (%s), not as a bad request", data, err, code, msg)
			}
			return
		}
		if !sessionTypes[r.Type] && r.Action.Op == live.OpGame && r.Action.Cmd.Kind == game.CmdNone {
			t.Fatalf("accepted %q as %+v", data, r)
		}
		if r.Action.Cmd.By != "" {
			t.Fatalf("frame set the actor: %q", data)
		}
	})
}
