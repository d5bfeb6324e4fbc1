package replay

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecode: no input makes the importer panic, and whatever it accepts
// is a finished game that exports back to a document it accepts again with
// the same events. The corpus in testdata/fuzz/FuzzDecode is kept.
func FuzzDecode(f *testing.F) {
	good := encoded(f, fixedDoc(f, 9, 2, 1))
	f.Add(good)
	f.Add([]byte(`{"format":"golf-game","version":1,"game":{},"events":[]}`))
	f.Add([]byte(`{"format":"golf-game","version":2}`))
	f.Add(bytes.Replace(good, []byte(`"seq": 5`), []byte(`"seq": 6`), 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || ie.Code == "" {
				t.Fatalf("Decode error %v is not an *ImportError with a code", err)
			}
			return
		}
		if !c.State.Over() || len(c.Events) != len(c.Doc.Events) {
			t.Fatal("accepted a document that does not end the game")
		}
		row, recs, err := rowOf(c, c.Doc.Game.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Build(row, recs)
		if err != nil {
			t.Fatalf("an accepted document does not export: %v", err)
		}
		again, err := Decode(encoded(t, d))
		if err != nil {
			t.Fatalf("the export of an accepted document is refused: %v", err)
		}
		if len(again.Events) != len(c.Events) {
			t.Fatal("the round trip changed the events")
		}
	})
}
