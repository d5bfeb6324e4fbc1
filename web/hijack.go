package web

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// wsReadBuffer is the size of a WebSocket's read buffer. Clients send
// commands of under 200 bytes (GOLF_MAX_FRAME caps them at 4 KB; a
// larger read goes around the buffer), and the buffer lives as long as
// the connection: net/http's 4 KB one was 4 KB per player.
const wsReadBuffer = 512

// smallReads hands coder/websocket, which reads through the buffered
// reader it gets from Hijack, a wsReadBuffer-sized one instead of
// net/http's.
type smallReads struct{ http.ResponseWriter }

func (w smallReads) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	n := brw.Reader.Buffered()
	if n > wsReadBuffer {
		return conn, brw, nil
	}
	// Bytes the client sent after its upgrade request, read already,
	// move into the new buffer, where coder/websocket looks for them.
	early, _ := brw.Reader.Peek(n)
	r := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn), wsReadBuffer)
	if n > 0 {
		if _, err := r.Peek(n); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}
	return conn, bufio.NewReadWriter(r, brw.Writer), nil
}
