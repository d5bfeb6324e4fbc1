package web

import (
	"encoding/binary"
	"hash/maphash"

	"golf/game"
)

// sentView is what a connection's writer last sent in a state frame, as
// little as it takes to tell whether a member is unchanged: a hash of each
// member that is large and rarely changes (a seat, the discard pile, the
// scorecard, the options), and for last_round and result, which the
// engine never changes once made, the pointer itself. A state frame
// leaves out every member equal to what the connection was last sent and
// names it in its keep (docs/protocol.md, "keep"): a frame is then about
// a third of the complete one, and the writer no longer encodes what it
// leaves out. The hashes are seeded per process (maphash): two different
// members hash alike once in 2^64 tries, and nobody can aim for it.
type sentView struct {
	ok        bool // a state frame went out since the last welcome
	invite    bool // its room carried the invite link this session has now
	seats     uint8
	options   uint64
	discard   uint64
	scores    uint64
	seat      [game.MaxPlayers]uint64
	lastRound *game.RoundEnded
	result    *game.GameEnded
}

var frameSeed = maphash.MakeSeed()

// plan works out what of v the next frame may leave out, given what was
// sent before (sv), and returns what will have been sent once it is.
func (sv *sentView) plan(v *game.View) (game.Omit, sentView) {
	var o game.Omit
	next := sentView{ok: true, seats: uint8(len(v.Seats)), lastRound: v.LastRound, result: v.Result}
	next.options = hashOptions(&v.Options)
	next.discard = hashCards(v.Discard)
	next.scores = hashScores(v.Scores)
	for i := range v.Seats {
		if i < len(next.seat) {
			next.seat[i] = hashSeat(&v.Seats[i])
		}
	}
	if !sv.ok {
		return o, next
	}
	if next.options == sv.options {
		o.Members |= game.OmitOptions
	}
	if next.discard == sv.discard {
		o.Members |= game.OmitDiscard
	}
	if next.scores == sv.scores {
		o.Members |= game.OmitScores
	}
	if v.LastRound != nil && v.LastRound == sv.lastRound {
		o.Members |= game.OmitLastRound
	}
	if v.Result != nil && v.Result == sv.result {
		o.Members |= game.OmitResult
	}
	if v.Seats != nil && len(v.Seats) <= len(next.seat) {
		for i := range v.Seats {
			if i < int(sv.seats) && next.seat[i] == sv.seat[i] {
				o.Seats |= 1 << i
			}
		}
		if n := len(v.Seats); n > 0 && n == int(sv.seats) && o.Seats == 1<<n-1 {
			o.Members |= game.OmitSeats
			o.Seats = 0
		}
	}
	return o, next
}

// appendKeep writes the frame's keep member, if it keeps anything: the
// view's members left out, the seats left out (null in view.seats), and
// the room's.
func appendKeep(b []byte, o game.Omit, invite bool) []byte {
	if o == (game.Omit{}) && !invite {
		return b
	}
	b = append(b, `,"keep":{`...)
	more := false
	if o.Members != 0 {
		b = append(b, `"view":[`...)
		first := true
		for _, m := range keptMembers {
			if o.Members&m.bit != 0 {
				if !first {
					b = append(b, ',')
				}
				b = append(b, m.name...)
				first = false
			}
		}
		b = append(b, ']')
		more = true
	}
	if o.Seats != 0 {
		if more {
			b = append(b, ',')
		}
		b = append(b, `"seats":[`...)
		first := true
		for i := range 8 {
			if o.Seats&(1<<i) != 0 {
				if !first {
					b = append(b, ',')
				}
				b = append(b, byte('0'+i))
				first = false
			}
		}
		b = append(b, ']')
		more = true
	}
	if invite {
		if more {
			b = append(b, ',')
		}
		b = append(b, `"room":["invite_url"]`...)
	}
	return append(b, '}')
}

// keptMembers are the view members a frame may keep, in the view's order,
// as they are named on the wire.
var keptMembers = []struct {
	bit  game.OmitMember
	name string
}{
	{game.OmitOptions, `"options","labels"`},
	{game.OmitSeats, `"seats"`},
	{game.OmitDiscard, `"discard"`},
	{game.OmitLastRound, `"last_round"`},
	{game.OmitResult, `"result"`},
	{game.OmitScores, `"scores"`},
}

// The hashes below lay what a member is written from into a buffer on the
// stack and hash it in one call (maphash.Bytes; strings by maphash.String):
// writing field by field into a maphash.Hash cost more than encoding the
// member.

// listLen is what a list's hash starts with: its length, and whether it
// is nil (null on the wire, where an empty list is []).
func listLen(n int, isNil bool) uint64 {
	if isNil {
		return 0
	}
	return uint64(n) + 1
}

func hashOptions(o *game.Options) uint64 {
	var b [12]byte
	for i, on := range [...]bool{o.KnockPenalty, o.SuperKings, o.TenPenny, o.KnockBonus, o.UnderdogBonus,
		o.TiedShame, o.Blackjack, o.Wolfpack, o.FlipAsAction, o.FourOfAKind, o.NegativePairsKeepValue,
		o.OneEyedJacks, o.KnockEarly} {
		if on {
			b[i/8] |= 1 << (i % 8)
		}
	}
	b[2], b[3] = byte(o.FlipMode), byte(o.Jokers)
	binary.LittleEndian.PutUint64(b[4:], uint64(o.InitialFlips))
	return maphash.Bytes(frameSeed, b[:])
}

// hashCards hashes a list of cards: 3 bytes a card.
func hashCards(cs []game.Card) uint64 {
	var buf [8 + 3*60]byte
	b := buf[:8]
	binary.LittleEndian.PutUint64(b, listLen(len(cs), cs == nil))
	if 8+3*len(cs) > len(buf) {
		b = make([]byte, 8, 8+3*len(cs)) // three decks' worth: rare
		copy(b, buf[:8])
	}
	for _, c := range cs {
		b = append(b, byte(c.Rank), byte(c.Suit), c.Deck)
	}
	return maphash.Bytes(frameSeed, b)
}

// hashScores hashes the scorecard: each row's length, then its scores.
func hashScores(rows [][]int) uint64 {
	var buf [512]byte
	b := binary.LittleEndian.AppendUint64(buf[:0], listLen(len(rows), rows == nil))
	for _, row := range rows {
		b = binary.LittleEndian.AppendUint64(b, listLen(len(row), row == nil))
		for _, n := range row {
			b = binary.LittleEndian.AppendUint64(b, uint64(n))
		}
	}
	return maphash.Bytes(frameSeed, b)
}

// hashSeat hashes every field a seat's JSON is written from.
func hashSeat(sv *game.SeatView) uint64 {
	var buf [192]byte
	b := binary.LittleEndian.AppendUint32(buf[:0], uint32(len(sv.ID)))
	b = append(b, sv.ID...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sv.Name)))
	b = append(b, sv.Name...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sv.Profile)))
	b = append(b, sv.Profile...)
	b = append(b, bit(sv.CPU, 1)|bit(sv.Left, 2)|bit(sv.Auto, 4)|bit(sv.Flipped, 8)|bit(sv.Owed, 16))
	for i := range sv.Cards {
		sl := &sv.Cards[i]
		b = append(b, bit(sl.Up, 1), byte(sl.Card.Rank), byte(sl.Card.Suit), sl.Card.Deck, sl.Back)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(sv.FaceDown))
	b = binary.LittleEndian.AppendUint64(b, uint64(sv.Showing))
	b = binary.LittleEndian.AppendUint64(b, uint64(sv.Turns))
	b = binary.LittleEndian.AppendUint64(b, uint64(sv.RoundScore))
	b = binary.LittleEndian.AppendUint64(b, uint64(sv.Total))
	b = binary.LittleEndian.AppendUint64(b, uint64(sv.RoundsWon))
	return maphash.Bytes(frameSeed, b)
}

func bit(on bool, b byte) byte {
	if on {
		return b
	}
	return 0
}
