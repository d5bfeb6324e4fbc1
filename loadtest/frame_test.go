package loadtest

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// sameFrame compares two reads of a frame (an empty list of moves is no
// moves).
func sameFrame(a, b loadFrame) bool {
	return a.Type == b.Type && a.ID == b.ID && a.Code == b.Code && a.Room == b.Room && a.Ack == b.Ack &&
		a.View == b.View && a.Phase == b.Phase && a.Seats == b.Seats && a.HasSeats == b.HasSeats && slices.EqualFunc(a.Moves, b.Moves, bytes.Equal)
}

// jsonFrame is what scanFrame reads, decoded the slow way.
type jsonFrame struct {
	Type  string            `json:"type"`
	ID    int64             `json:"id"`
	Code  string            `json:"code"`
	Room  json.RawMessage   `json:"room"`
	Ack   int64             `json:"ack"`
	View  *jsonView         `json:"view"`
	Moves []json.RawMessage `json:"moves"`
}

type jsonView struct {
	Phase string            `json:"phase"`
	Seats []json.RawMessage `json:"seats"`
}

// decodeSlow is scanFrame by encoding/json, for comparison; ok is false
// where encoding/json refuses data.
func decodeSlow(data []byte) (f loadFrame, ok bool) {
	var j jsonFrame
	if json.Unmarshal(data, &j) != nil {
		return f, false
	}
	f = loadFrame{Type: j.Type, ID: j.ID, Code: j.Code, Ack: j.Ack, View: j.View != nil}
	if len(j.Room) > 0 && j.Room[0] == '"' {
		json.Unmarshal(j.Room, &f.Room)
	}
	if j.View != nil {
		f.Phase, f.Seats, f.HasSeats = j.View.Phase, len(j.View.Seats), j.View.Seats != nil
	}
	for _, m := range j.Moves {
		f.Moves = append(f.Moves, m)
	}
	return f, true
}

var frames = map[string]string{
	"state": `{"v":1,"type":"state","seq":42,"ack":8,
 "view":{"phase":"playing","seats":[{"id":"a","name":"A \"x\"","cards":[{"rank":"K"},null]},{"id":"b","cpu":true}],"deck":40},
 "moves":[{"type":"draw","source":"deck"}, {"type":"draw","source":"discard"}],
 "room":{"code":"KDRT","online":[true,true,false,true],"next_round_at":0,"now":1767225600000,"invite_url":"http://x/r/KDRT"},
 "events":[{"type":"CardSwapped","v":1,"data":{"card":"\u00e9\\]}"}}]}`,
	"no moves":     `{"type":"state","seq":1,"view":{"phase":"waiting","seats":[{},{},{},{}]},"moves":[],"room":{"code":"AB"}}`,
	"null moves":   `{"type":"state","seq":1,"view":{"phase":"game_over","seats":null},"moves":null}`,
	"welcome":      `{"v":1,"type":"welcome","room":"KDRT","game_id":"6f1c","seat":1,"token":"q3F","invite_url":"http://localhost:8000/r/KDRT"}`,
	"error":        `{"v":1,"type":"error","id":8,"code":"not_your_turn","message":"it is not your turn"}`,
	"escaped code": `{"type":"error","id":-3,"code":"a\/b\u0041"}`,
	"empty":        ` { } `,
}

// TestScanFrame: scanFrame reads what encoding/json reads from the same
// frames, and refuses what is not an object.
func TestScanFrame(t *testing.T) {
	for name, data := range frames {
		t.Run(name, func(t *testing.T) {
			want, ok := decodeSlow([]byte(data))
			if !ok {
				t.Fatalf("test frame is not JSON: %s", data)
			}
			var got loadFrame
			if err := scanFrame([]byte(data), &got); err != nil {
				t.Fatalf("scanFrame: %v", err)
			}
			if !sameFrame(want, got) {
				t.Errorf("scanFrame read %+v, encoding/json %+v", got, want)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `{"type":}`, `{"type":"state"`, `{"type":"state",}`, `{"id":"x"}`, `{"ack":1.5}`, `{"type":1}`, `{"view":[]}`, `{"moves":{}}`, `{"a":"\"}`} {
		var f loadFrame
		if err := scanFrame([]byte(bad), &f); err == nil {
			t.Errorf("scanFrame(%q) = %+v, want an error", bad, f)
		}
	}
}

// FuzzScanFrame: scanFrame never panics, and reads what encoding/json
// reads from any frame as the server writes them (encoding/json's own
// output: lowercase keys, each once; strings with any escapes).
func FuzzScanFrame(f *testing.F) {
	for _, data := range frames {
		f.Add([]byte(data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got loadFrame
		scanFrame(data, &got)
		var j jsonFrame
		if json.Unmarshal(data, &j) != nil {
			return
		}
		canon, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		want, ok := decodeSlow(canon)
		if !ok {
			t.Fatalf("encoding/json cannot read its own %s", canon)
		}
		if err := scanFrame(canon, &got); err != nil {
			t.Fatalf("scanFrame(%s): %v", canon, err)
		}
		if !sameFrame(want, got) {
			t.Errorf("scanFrame(%s) read %+v, encoding/json %+v", canon, got, want)
		}
	})
}

// BenchmarkScanFrame reads a state frame as a bot does.
func BenchmarkScanFrame(b *testing.B) {
	data := []byte(frames["state"])
	var f loadFrame
	b.ReportAllocs()
	for b.Loop() {
		if err := scanFrame(data, &f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanFrameJSON is the same with encoding/json, as before.
func BenchmarkScanFrameJSON(b *testing.B) {
	data := []byte(frames["state"])
	b.ReportAllocs()
	for b.Loop() {
		var j jsonFrame
		if err := json.Unmarshal(data, &j); err != nil {
			b.Fatal(err)
		}
	}
}
