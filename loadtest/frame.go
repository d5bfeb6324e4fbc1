package loadtest

import (
	"encoding/json"
	"errors"
	"strconv"
)

// loadFrame is the part of a server frame a bot reads: enough to follow
// the room and pick a move from the server's own list of legal ones.
//
// scanFrame fills it without decoding the rest: a state frame is ~3 KB of
// which a bot needs a few dozen bytes, and encoding/json (which checks the
// whole input, then decodes it) was half of the load client's CPU
// (docs/BENCHMARKS.md, "Issue 16, second pass"). Moves and Room point into
// the frame's bytes: they are valid until the bot reads the next frame.
type loadFrame struct {
	Type  string
	ID    int64
	Code  string
	Room  string // a welcome's room code
	Ack   int64
	View  bool   // the frame has a view object
	Phase string // the view's phase
	Seats int    // the number of seats in the view
	// HasSeats: the view lists its seats; a frame that keeps them all
	// leaves them out (docs/protocol.md, "keep").
	HasSeats bool
	Moves    [][]byte
}

var errBadFrame = errors.New("malformed frame")

// scanFrame reads f's fields from data, a JSON object, reusing f.Moves.
// Unknown members of any type are skipped; a member of a known name but
// an unexpected type is an error (as json.Unmarshal would say).
func scanFrame(data []byte, f *loadFrame) error {
	moves := f.Moves[:0]
	*f = loadFrame{Moves: moves}
	return eachMember(data, func(key, val []byte) error {
		var err error
		switch string(key) {
		case "type":
			err = scanString(val, &f.Type)
		case "id":
			err = scanInt(val, &f.ID)
		case "ack":
			err = scanInt(val, &f.Ack)
		case "code":
			err = scanString(val, &f.Code)
		case "room":
			// A welcome's room is its code; a state's is an object (not read).
			f.Room = ""
			if val[0] == '"' {
				err = scanString(val, &f.Room)
			}
		case "moves":
			f.Moves = f.Moves[:0]
			if isNull(val) {
				return nil
			}
			err = eachElement(val, func(m []byte) error {
				f.Moves = append(f.Moves, m)
				return nil
			})
		case "view":
			if isNull(val) {
				f.View, f.Phase, f.Seats, f.HasSeats = false, "", 0, false
				return nil
			}
			f.View = true
			err = eachMember(val, func(k, v []byte) error {
				var err error
				switch string(k) {
				case "phase":
					err = scanString(v, &f.Phase)
				case "seats":
					f.Seats, f.HasSeats = 0, !isNull(v)
					if f.HasSeats {
						err = eachElement(v, func([]byte) error { f.Seats++; return nil })
					}
				}
				return err
			})
		}
		return err
	})
}

func isNull(v []byte) bool { return string(v) == "null" }

// eachMember calls fn with each member's raw key (between its quotes,
// escapes left as they are: the keys a bot reads have none) and raw value.
func eachMember(data []byte, fn func(key, val []byte) error) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return errBadFrame
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return errBadFrame
		}
		end, err := skipValue(data, i)
		if err != nil {
			return err
		}
		key := data[i+1 : end-1]
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return errBadFrame
		}
		i = skipSpace(data, i+1)
		end, err = skipValue(data, i)
		if err != nil {
			return err
		}
		if err := fn(key, data[i:end]); err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return errBadFrame
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return nil
		default:
			return errBadFrame
		}
	}
}

// eachElement calls fn with each raw element of the JSON array data.
func eachElement(data []byte, fn func(val []byte) error) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return errBadFrame
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return nil
	}
	for {
		end, err := skipValue(data, i)
		if err != nil {
			return err
		}
		if err := fn(data[i:end]); err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return errBadFrame
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return nil
		default:
			return errBadFrame
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value that starts at data[i]. It
// finds where the value ends, not whether all of it is valid JSON: the
// members a bot reads are checked when they are read.
func skipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, errBadFrame
	}
	switch data[i] {
	case '"':
		for j := i + 1; j < len(data); j++ {
			switch data[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, errBadFrame
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				end, err := skipValue(data, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errBadFrame
	default: // a number, true, false or null
		j := i
		for j < len(data) && data[j] != ',' && data[j] != '}' && data[j] != ']' &&
			data[j] != ' ' && data[j] != '\n' && data[j] != '\t' && data[j] != '\r' {
			j++
		}
		if j == i {
			return 0, errBadFrame
		}
		return j, nil
	}
}

// scanString decodes a JSON string into s (null leaves s as it is, as
// encoding/json does). The values a bot reads (types, codes, phases, room
// codes) have no escapes, and the frequent ones are set without
// allocating; one with escapes goes to encoding/json.
func scanString(v []byte, s *string) error {
	if isNull(v) {
		return nil
	}
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return errBadFrame
	}
	inner := v[1 : len(v)-1]
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			if json.Unmarshal(v, s) != nil {
				return errBadFrame
			}
			return nil
		}
	}
	switch string(inner) { // no allocation for these
	case "state":
		*s = "state"
	case "playing":
		*s = "playing"
	case "waiting":
		*s = "waiting"
	case "game_over":
		*s = "game_over"
	default:
		*s = string(inner)
	}
	return nil
}

// scanInt decodes a JSON integer into n (null leaves it as it is).
func scanInt(v []byte, n *int64) error {
	if isNull(v) {
		return nil
	}
	i, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return errBadFrame
	}
	*n = i
	return nil
}
