package game

import "testing"

// TestReplaceCmd: the host's removal of a human mid-game is an
// AutoplayChanged with removed set, accepted whether or not the platform
// already plays the seat, and kept through the stored form of the event.
func TestReplaceCmd(t *testing.T) {
	s := started(t, 3, opts(noFlips))
	id := s.players[1].id
	wantReject(t, s, Command{Kind: CmdAutoplay, By: s.players[0].id, Player: id, On: true, Reason: ReasonRemoved}, CodeNotHost)
	evs := wantAccept(t, s, ReplaceCmd(id))
	e, ok := evs[0].(AutoplayChanged)
	if len(evs) != 1 || !ok || !e.On || !e.Removed || e.PlayerID != id {
		t.Fatalf("events %#v, want one AutoplayChanged on, removed", evs)
	}
	for _, ev := range evs {
		if err := s.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	if !s.Autoplay(1) {
		t.Fatal("the platform does not play the removed seat")
	}
	b, err := MarshalEvent(e)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalEvent(b)
	if err != nil || back != Event(e) {
		t.Fatalf("%s decodes to %#v, %v", b, back, err)
	}
	// Already played for (say, gone past the grace): removing still records it.
	id2 := s.players[2].id
	for _, c := range []Command{AutoplayCmd(id2, true), ReplaceCmd(id2)} {
		for _, ev := range wantAccept(t, s, c) {
			if err := s.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Not for a seat not at the table, nor in the lobby.
	wantReject(t, s, ReplaceCmd("nobody"), CodeNotAPlayer)
	wantReject(t, lobby(t, 2, DefaultSettings()), ReplaceCmd(pid(1)), CodeWrongPhase)
}
