package e2e

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"golf/web"
)

// handlerSwap serves whichever server is current, so a test can replace
// the server behind one address, as a deploy does. While paused, requests
// wait for the next server, as they would behind a proxy that queues them.
type handlerSwap struct {
	mu    sync.Mutex
	srv   *web.Server
	ready chan struct{} // closed when srv is serving
}

func newHandlerSwap(srv *web.Server) *handlerSwap {
	s := &handlerSwap{srv: srv, ready: make(chan struct{})}
	close(s.ready)
	return s
}

func (s *handlerSwap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ready := s.ready
	s.mu.Unlock()
	select {
	case <-ready:
	case <-r.Context().Done():
		return
	}
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	srv.ServeHTTP(w, r)
}

// pause holds new requests until resume.
func (s *handlerSwap) pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready = make(chan struct{})
}

// resume serves new and held requests with srv.
func (s *handlerSwap) resume(srv *web.Server) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv = srv
	close(s.ready)
}

// TestServerRestart restarts the server under a game in progress: the page
// is closed with 1012, shows that it is reconnecting, and resumes its seat
// on the new server (which recovered the game from the store) by itself.
func TestServerRestart(t *testing.T) {
	root := browser(t)
	cfg := serverConfig(t, nil)
	first, _ := openServer(t, cfg)
	swap := newHandlerSwap(first)
	ts := startHTTP(t, swap, func() {})

	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	ann.addScript(`(() => {
	  // Remember whether the reconnecting banner ever showed.
	  new MutationObserver(() => {
	    const s = document.getElementById('conn-status');
	    if (s && !s.hidden) window.__reconnecting = true;
	  }).observe(document, { subtree: true, attributes: true, childList: true });
	})();`)
	ann.do("create a room",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="add-cpu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="start"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"][data-grid="initial"]`)))
	ann.do("turn up two cards",
		chromedp.Click(chromedp.CSS(`.grid-big [data-pos="0"]`)),
		chromedp.Click(chromedp.CSS(`.grid-big [data-pos="4"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.grid-big [data-pos="4"][data-up="1"]`)))
	before := eval[string](ann, `[...document.querySelectorAll('.grid-big .slot')].map((s) => s.dataset.rank || '-').join(' ')`)

	// Restart: the old server closes every connection with 1012; the new
	// one reopens the game from the store.
	swap.pause()
	closeServer(t, first)
	second, tables := openServer(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if n, err := tables.Recover(ctx); err != nil || n != 1 {
		t.Fatalf("recover: %d games, %v", n, err)
	}
	swap.resume(second)

	ann.do("resume after the restart",
		chromedp.WaitVisible(chromedp.CSS(`.table[data-round="1"] .seat.mine`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#conn-status`)))
	if !eval[bool](ann, `!!window.__reconnecting`) {
		t.Error("the page never showed that it was reconnecting")
	}
	// The resumed seat is the same one: the cards turned up before are still there.
	deadline := time.Now().Add(10 * time.Second)
	for {
		after := eval[string](ann, `[...document.querySelectorAll('.grid-big .slot')].map((s) => s.dataset.rank || '-').join(' ')`)
		if after == before || time.Now().After(deadline) {
			if after != before {
				t.Errorf("after the restart the grid is %q, want %q", after, before)
			}
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	ann.checkErrors()
}
