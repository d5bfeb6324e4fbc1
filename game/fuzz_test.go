package game

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

// fuzzState derives a game and a point in it from the fuzz input: a fresh
// state, a lobby, or a game driven by random legal moves (with departures)
// for up to steps moves.
func fuzzState(t *testing.T, seed uint64, steps uint16) *State {
	r := rand.New(rand.NewPCG(seed, uint64(steps)))
	switch steps % 8 {
	case 0:
		return new(State)
	case 1:
		s := new(State)
		mustDo(t, s, CreateGameCmd(pid(0), "P0", "ROOM", DefaultSettings()))
		for i := 1; i < int(seed%7); i++ {
			mustDo(t, s, JoinCmd(pid(i), "P"+strconv.Itoa(i)))
		}
		return s
	}
	g := &randomGame{t: t, r: r, live: new(State), leaves: seed&1 == 0}
	g.setup()
	for range int(steps) {
		if !g.step() {
			break
		}
	}
	return g.live
}

// fuzzCommand builds an arbitrary command from raw fuzz values: any kind
// (including invalid ones), any actor (seated, departed, unknown, the
// platform, empty), positions and sources out of range, garbage lists.
func fuzzCommand(s *State, kind, actor uint8, pos int16, source uint8, positions []byte, text string, set uint32) Command {
	actors := []string{"", Platform, "stranger", "#x", text}
	for i := range MaxPlayers + 1 {
		actors = append(actors, pid(i))
	}
	if s.phase == PhasePlaying || s.phase == PhaseFinalTurn {
		actors = append(actors, s.players[s.current].id, s.players[s.current].id)
	}
	c := Command{
		Kind:     Kind(kind % (uint8(numKinds) + 2)),
		By:       actors[int(actor)%len(actors)],
		Pos:      int(pos),
		Source:   Source(source % 5),
		Player:   actors[int(actor>>4)%len(actors)],
		Name:     text,
		Profile:  text,
		RoomCode: text,
		Reason:   []LeaveReason{"", ReasonLeft, ReasonRemoved, ReasonTimedOut, LeaveReason(text)}[source%5],
		Seed:     testSeed(uint64(set)),
		On:       set&1 == 1,
		Settings: Settings{
			Decks:  int(set>>1&7) - 2,
			Rounds: int(set >> 4 & 31),
			Options: Options{
				FlipMode:     FlipMode(set >> 9 & 3),
				InitialFlips: int(set>>11&7) - 2,
				Jokers:       Jokers(set >> 14 & 7),
				Blackjack:    set>>17&1 == 1,
				KnockEarly:   set>>18&1 == 1,
				FlipAsAction: set>>19&1 == 1,
			},
		},
	}
	for i, b := range positions {
		if i == 8 {
			break
		}
		c.Positions = append(c.Positions, int(int8(b)))
	}
	return c
}

// FuzzDecide sends arbitrary commands to games at arbitrary points. Decide
// never panics; a rejection is a *Error with a code, no events and no
// change; an accepted command's events Apply, also after a trip through
// their stored encoding.
func FuzzDecide(f *testing.F) {
	f.Add(uint64(1), uint16(0), uint8(CmdCreateGame), uint8(7), int16(0), uint8(0), []byte{}, "Ann", uint32(9<<4))
	f.Add(uint64(2), uint16(1), uint8(CmdStartGame), uint8(5), int16(0), uint8(0), []byte{}, "", uint32(0))
	f.Add(uint64(3), uint16(10), uint8(CmdFlipInitial), uint8(5), int16(0), uint8(0), []byte{0, 3}, "", uint32(0))
	f.Add(uint64(4), uint16(50), uint8(CmdDraw), uint8(11), int16(0), uint8(1), []byte{}, "", uint32(0))
	f.Add(uint64(5), uint16(51), uint8(CmdSwap), uint8(11), int16(6), uint8(0), []byte{}, "", uint32(0))
	f.Add(uint64(6), uint16(90), uint8(CmdKnock), uint8(12), int16(-1), uint8(2), []byte{}, "", uint32(0))
	f.Add(uint64(7), uint16(200), uint8(CmdLeave), uint8(6), int16(0), uint8(0), []byte{}, "", uint32(0))
	f.Add(uint64(8), uint16(33), uint8(CmdRemovePlayer), uint8(0x71), int16(0), uint8(3), []byte{}, "", uint32(0))
	f.Add(uint64(9), uint16(300), uint8(CmdNextRound), uint8(1), int16(0), uint8(0), []byte{}, "", uint32(0))
	f.Add(uint64(10), uint16(17), uint8(CmdAutoplay), uint8(0x61), int16(0), uint8(0), []byte{}, "", uint32(1))
	f.Add(uint64(11), uint16(9), uint8(CmdChangeSettings), uint8(5), int16(0), uint8(0), []byte{}, "", uint32(0xfffff))
	f.Fuzz(func(t *testing.T, seed uint64, steps uint16, kind, actor uint8, pos int16, source uint8, positions []byte, text string, set uint32) {
		s := fuzzState(t, seed, steps%400)
		c := fuzzCommand(s, kind, actor, pos, source, positions, text, set)
		before := clone(s)
		evs, err := Decide(s, c)
		if !equalState(before, s) {
			t.Fatalf("Decide(%+v) changed the state", c)
		}
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code == "" || evs != nil {
				t.Fatalf("Decide(%+v) = %d events, %#v; want a coded *Error and no events", c, len(evs), err)
			}
			return
		}
		if len(evs) == 0 {
			t.Fatalf("Decide(%+v) accepted with no events", c)
		}
		stored := clone(s)
		for _, e := range evs {
			if err := s.Apply(e); err != nil {
				t.Fatalf("Decide(%+v) gave %s that does not apply: %v", c, e.Type(), err)
			}
			b, err := MarshalEvent(e)
			if err != nil {
				t.Fatal(err)
			}
			d, err := UnmarshalEvent(b)
			if err != nil {
				t.Fatalf("%s does not decode: %v", b, err)
			}
			if err := stored.Apply(d); err != nil {
				t.Fatalf("stored %s does not apply: %v", b, err)
			}
		}
		if !equalState(s, stored) {
			t.Fatalf("the state folded from stored events differs after %+v", c)
		}
	})
}

// addGoldenEvents seeds a fuzz corpus with every golden event and every
// line of the golden game log.
func addGoldenEvents(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.TrimSpace(b))
	}
	log, err := os.Open(filepath.Join("testdata", "game_2p_1round.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	defer log.Close()
	sc := bufio.NewScanner(log)
	for sc.Scan() {
		f.Add(bytes.Clone(sc.Bytes()))
	}
}

// FuzzUnmarshalEvent: decoding never panics, and whatever decodes
// re-encodes to something that decodes to the same event.
func FuzzUnmarshalEvent(f *testing.F) {
	addGoldenEvents(f)
	f.Add([]byte(`{"type":"CardDrawn","v":1,"data":{"player_id":"b","source":"stock","card":{"deck":2,"suit":"H","rank":"Q"},"reshuffled":false}}`))
	f.Add([]byte(`{"type":"RoundEnded","v":1,"data":{"finisher_id":"","players":[{"hand":[null,{"rank":"JK","deck":0}]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := UnmarshalEvent(b)
		if err != nil {
			return
		}
		enc, err := MarshalEvent(e)
		if err != nil {
			t.Fatalf("%s decodes to %+v, which does not encode: %v", b, e, err)
		}
		d, err := UnmarshalEvent(enc)
		if err != nil {
			t.Fatalf("%s decodes, but its re-encoding %s does not: %v", b, enc, err)
		}
		if !reflect.DeepEqual(d, e) {
			t.Fatalf("%s decodes to %+v; re-encoded as %s it decodes to %+v", b, e, enc, d)
		}
	})
}

// FuzzParseSettings: parsing never panics, rejections are coded *Errors,
// and accepted settings validate and survive their JSON form.
func FuzzParseSettings(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"decks":2,"rounds":18,"options":{"flip_mode":"endgame","jokers":"eagle_eye","initial_flips":0,"blackjack":true}}`,
		`{"options":{"lucky_swing":true}}`, `{"rounds":3,"rounds":4}`, `{"options":{"initial_flips":1e0}}`,
		`{"options":{"knock_early":null}}`, `{"decks":"2"}`, `[]`, `null`, `{"options":{"flip_mode":"always","flip_mode":"never"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		set, err := ParseSettings(b)
		if err != nil {
			if e, ok := err.(*Error); !ok || (e.Code != CodeUnknownOption && e.Code != CodeInvalidOptionValue) || e.Msg == "" {
				t.Fatalf("ParseSettings(%q): %#v, want unknown_option or invalid_option_value with a message", b, err)
			}
			return
		}
		if err := set.Validate(); err != nil {
			t.Fatalf("ParseSettings(%q) accepted %+v, which does not validate: %v", b, set, err)
		}
		enc, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseSettings(enc)
		if err != nil || again != set {
			t.Fatalf("%q parses to %+v; its encoding %s parses to %+v, %v", b, set, enc, again, err)
		}
	})
}
