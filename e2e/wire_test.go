package e2e

// watchWire wraps the page's WebSocket before the client loads: every game
// command the page sends is checked against the moves of the last state
// frame it received (the client must send one of them, exactly as listed),
// and every error frame answering a command (one with an id) is kept. The
// wrapper's listener runs before the client's own onmessage, so "last
// received" is the frame the client itself acts on.
const watchWire = `(() => {
  const Native = window.WebSocket;
  const GAME = new Set(['flip_initial', 'draw', 'put_back', 'swap', 'discard', 'flip', 'skip_flip', 'flip_as_action', 'knock']);
  const canon = (v) => Array.isArray(v) ? v.map(canon)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
  const key = (v) => JSON.stringify(canon(v));
  window.__wire = { sent: 0, unlisted: [], rejected: [] };
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.moves = [];
      this.addEventListener('message', (ev) => {
        const f = JSON.parse(ev.data);
        if (f.type === 'state') this.moves = (f.moves ?? []).map(key);
        if (f.type === 'error' && f.id) window.__wire.rejected.push(f.code + ': ' + f.message);
      });
    }
    send(data) {
      const { v, id, ...cmd } = JSON.parse(data);
      if (GAME.has(cmd.type)) {
        window.__wire.sent++;
        if (!this.moves.includes(key(cmd))) window.__wire.unlisted.push(JSON.stringify(cmd) + ' not in ' + this.moves.join(' '));
      }
      super.send(data);
    }
  }
  window.WebSocket = Watched;
})();`

// wireReport is what watchWire saw on a page since it loaded.
type wireReport struct {
	Sent     int      `json:"sent"`
	Unlisted []string `json:"unlisted"`
	Rejected []string `json:"rejected"`
}

// checkWire fails the test for every game command the page sent that its
// last state frame did not list, and for every command the server refused;
// it returns how many game commands the page sent.
func (tb *tab) checkWire() int {
	tb.t.Helper()
	w := eval[wireReport](tb, `window.__wire ?? { sent: -1, unlisted: [], rejected: [] }`)
	if w.Sent < 0 {
		tb.t.Fatalf("%s: the wire watcher is not installed", tb.name)
	}
	for _, u := range w.Unlisted {
		tb.t.Errorf("%s: sent a command the server did not list: %s", tb.name, u)
	}
	for _, r := range w.Rejected {
		tb.t.Errorf("%s: the server refused a command: %s", tb.name, r)
	}
	return w.Sent
}
