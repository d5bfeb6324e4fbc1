// Command lowbot is a tiny external Golf bot: it keeps low cards and throws
// high ones away. It shows the protocol of golf sim --bots cmd:PROGRAM
// (docs/bots.md): one JSON request per line on stdin, one move per line on
// stdout. It always answers with one of the moves it was offered, so it
// plays legally under every house rule without knowing them.
//
//	go build -o lowbot ./examples/lowbot
//	golf sim --players 3 --bots marcus,maya,cmd:./lowbot
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// request is the part of a request lowbot reads.
type request struct {
	Type string `json:"type"`
	View struct {
		Seat    int    `json:"seat"`
		Step    string `json:"step"`
		Discard []card `json:"discard"`
		Held    *struct {
			From string `json:"from"`
			Card *card  `json:"card"`
		} `json:"held"`
		Seats []struct {
			Cards []struct {
				Up   bool  `json:"up"`
				Card *card `json:"card"`
			} `json:"cards"`
		} `json:"seats"`
	} `json:"view"`
	Moves []move `json:"moves"`
}

type card struct {
	Rank string `json:"rank"`
	Suit string `json:"suit"`
}

// move is a game command as docs/protocol.md writes it.
type move struct {
	Type      string `json:"type"`
	Source    string `json:"source,omitempty"`
	Pos       *int   `json:"pos,omitempty"`
	Positions []int  `json:"positions,omitempty"`
}

// value is a card's points under standard rules; lowbot ignores the
// house rules that change them.
func value(c *card) int {
	switch c.Rank {
	case "A":
		return 1
	case "2", "JK":
		return -2
	case "K":
		return 0
	case "T", "J", "Q":
		return 10
	}
	return int(c.Rank[0] - '0')
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64<<10), 4<<20) // a view is a few kilobytes
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "lowbot: bad request:", err)
			os.Exit(1)
		}
		m := choose(&req)
		b, _ := json.Marshal(m)
		out.Write(b)
		out.WriteByte('\n')
		out.Flush() // the simulator waits for each answer
	}
}

// choose picks one of the offered moves.
func choose(req *request) move {
	v := &req.View
	find := func(typ, source string, pos int) (move, bool) {
		for _, m := range req.Moves {
			if m.Type == typ && (source == "" || m.Source == source) && (pos < 0 || (m.Pos != nil && *m.Pos == pos)) {
				return m, true
			}
		}
		return move{}, false
	}
	switch v.Step {
	case "turn_start":
		if n := len(v.Discard); n > 0 && value(&v.Discard[n-1]) <= 3 {
			if m, ok := find("draw", "discard", -1); ok {
				return m
			}
		}
		if m, ok := find("draw", "deck", -1); ok {
			return m
		}
	case "holding":
		if v.Held != nil && v.Held.Card != nil {
			held := value(v.Held.Card)
			// Replace the highest face-up card worth more, else a face-down
			// card if the held card is low, else throw it away.
			best, worst := -1, held
			for p, sl := range v.Seats[v.Seat].Cards {
				if sl.Up && sl.Card != nil && value(sl.Card) > worst {
					best, worst = p, value(sl.Card)
				}
			}
			if best < 0 && held <= 4 {
				for p, sl := range v.Seats[v.Seat].Cards {
					if !sl.Up {
						best = p
						break
					}
				}
			}
			if best >= 0 {
				if m, ok := find("swap", "", best); ok {
					return m
				}
			}
			if m, ok := find("discard", "", -1); ok {
				return m
			}
		}
	}
	return req.Moves[0] // initial flips, flips, and anything else
}
