package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The social half of the table: chat, reactions and mute (TestChat), quick
// play (TestQuickPlay) and the lobby's open tables (TestOpenTables).

// TestChat: a line typed as markup arrives as text (no element is made of
// it, no script runs), on a desktop and a phone; the unread count shows on
// the closed chat button; a reaction pops up by its sender's seat; a muted
// player's lines are hidden, and stay hidden after a reload (localStorage);
// the host turns chat off and the guest's box says so. Screenshots of the
// chat in English and Spanish, desktop and phone.
func TestChat(t *testing.T) {
	_, ts := newServer(t, nil)
	ann, bob, _ := hostWithGuest(t, ts.URL)
	ann.do("see the room switches", chromedp.WaitVisible(chromedp.CSS(`[data-key="room-public"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-key="room-chat"]`)))
	if !eval[bool](bob, `!!document.querySelector('.room-flags') && !document.querySelector('[data-key="room-public"]')`) {
		t.Error("the guest sees the host's room switches, or not the room's settings")
	}
	ann.screenshot("social-room-switches-en-desktop")

	const evil = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b>hi</b>`
	ann.do("open the chat and say something",
		chromedp.Click(chromedp.CSS(`[data-key="tool-chat"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-dock #chat-input`)),
		chromedp.SendKeys(chromedp.CSS("#chat-input"), evil),
		chromedp.Click(chromedp.CSS(`#chat-send`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line.mine`)))
	bob.do("see the unread count", chromedp.WaitVisible(chromedp.CSS(`[data-key="tool-chat"] .unread[data-unread="1"]`)))
	bob.do("open the chat", chromedp.Tap(chromedp.CSS(`[data-key="tool-chat"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line`)))
	for _, tb := range []*tab{ann, bob} {
		type line struct {
			Text     string `json:"text"`
			Elements int    `json:"elements"`
			Pwned    bool   `json:"pwned"`
		}
		l := eval[line](tb, `(() => { const el = document.querySelector('#chat-log .chat-line .chat-text');
			return { text: el.textContent, elements: el.children.length + document.querySelectorAll('#chat-dock script, #chat-dock img, #chat-dock b').length,
				pwned: window.__pwned !== undefined }; })()`)
		if l.Text != evil || l.Elements != 0 || l.Pwned {
			t.Errorf("%s: the line shows as %+v; want the markup as plain text, no element, no script run", tb.name, l)
		}
	}
	bob.screenshot("social-chat-en-phone")
	ann.screenshot("social-chat-en-desktop")

	// A reaction shows by Bob's seat on Ann's page.
	bob.do("react from the chat", chromedp.Tap(chromedp.CSS(`#chat-reactions [data-reaction="😂"]`)))
	ann.waitJS("the reaction by Bob's seat", `[...document.querySelectorAll('.reaction-bubble[data-seat="1"]')].some((b) => b.textContent === '😂' && !b.classList.contains('loose'))`)

	// Ann mutes Bob: his lines are gone, now and after a reload.
	bob.do("say a line",
		chromedp.SendKeys(chromedp.CSS("#chat-input"), "hello Ann"),
		chromedp.Tap(chromedp.CSS(`#chat-send`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line.mine`)))
	ann.waitJS("Bob's line", `[...document.querySelectorAll('#chat-log .chat-text')].some((e) => e.textContent === 'hello Ann')`)
	ann.do("mute Bob", chromedp.Click(chromedp.CSS(`#chat-log .chat-line:not(.mine) .chat-mute`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-muted .chip`)))
	if eval[bool](ann, `[...document.querySelectorAll('#chat-log .chat-text')].some((e) => e.textContent === 'hello Ann')`) {
		t.Error("a muted player's line still shows")
	}
	ann.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"]`)))
	bob.do("say another line", chromedp.SendKeys(chromedp.CSS("#chat-input"), "can you hear me"),
		chromedp.Tap(chromedp.CSS(`#chat-send`)))
	bob.waitJS("Bob's own line", `[...document.querySelectorAll('#chat-log .chat-text')].some((e) => e.textContent === 'can you hear me')`)
	ann.do("say a line after the reload", chromedp.Click(chromedp.CSS(`[data-key="tool-chat"]`)),
		chromedp.SendKeys(chromedp.CSS("#chat-input"), "ping"), chromedp.Click(chromedp.CSS(`#chat-send`)))
	bob.waitJS("Ann's line after her reload", `[...document.querySelectorAll('#chat-log .chat-text')].some((e) => e.textContent === 'ping')`)
	if eval[bool](ann, `[...document.querySelectorAll('#chat-log .chat-text')].some((e) => e.textContent === 'can you hear me')`) {
		t.Error("after a reload, the muted player's line shows")
	}

	// The host turns chat off: Bob's box is closed, and says why.
	ann.do("turn chat off", chromedp.Click(chromedp.CSS(`#chat-close`)), chromedp.Click(chromedp.CSS(`[data-key="room-chat"]`)))
	bob.waitJS("chat off", `document.querySelector('#chat-input').disabled && !document.querySelector('#chat-note').hidden`)
	bob.screenshot("social-chat-off-en-phone")

	// Spanish: the same screens.
	for _, tb := range []*tab{ann, bob} {
		eval[bool](tb, `(localStorage.setItem('golf.lang', '"es"'), true)`)
		tb.do("reload in Spanish", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.room`)))
		tb.waitJS("Spanish", `document.documentElement.lang === 'es'`)
	}
	ann.do("chat on again", chromedp.Click(chromedp.CSS(`[data-key="room-chat"]`)))
	bob.waitJS("chat on", `!document.querySelector('#chat-input').disabled`)
	bob.do("open the chat in Spanish", chromedp.Tap(chromedp.CSS(`[data-key="tool-chat"]`)),
		chromedp.SendKeys(chromedp.CSS("#chat-input"), "¡Hola, Ana! 👋"), chromedp.Tap(chromedp.CSS(`#chat-send`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line.mine`)))
	ann.do("open the chat in Spanish", chromedp.Click(chromedp.CSS(`[data-key="tool-chat"]`)),
		chromedp.SendKeys(chromedp.CSS("#chat-input"), "¡Buena suerte!"), chromedp.Click(chromedp.CSS(`#chat-send`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line.mine`)))
	ann.screenshot("social-chat-es-desktop")
	bob.screenshot("social-chat-es-phone")
	for _, tb := range []*tab{ann, bob} {
		tb.noOverflow("the chat")
		tb.checkErrors()
	}
}

// TestQuickPlay: two players press Play now for a table of two and land at
// the same dealt table with no CPU; a third cancels while waiting and is
// back in the lobby. Screenshots of the lobby and the wait, both languages.
func TestQuickPlay(t *testing.T) {
	_, ts := newServer(t, func(c *setup) { c.QuickplayWait = time.Hour })
	root := browser(t)
	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	bob := newTab(t, root, "bob")
	bob.resize(phone)
	bob.mobile = true
	ann.do("open the lobby", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="quick"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-key="open-empty"]`)))
	ann.screenshot("social-lobby-en-desktop")
	bob.do("open the lobby", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="quick"]`)))
	bob.screenshot("social-lobby-en-phone")
	bob.noOverflow("the lobby")

	ann.do("play now, two players", chromedp.SendKeys(chromedp.CSS("#quick-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="size-2"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="play-now"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="queue"] [data-key="queue-cancel"]`)))
	ann.screenshot("social-queue-en-desktop")
	bob.do("play now, two players", chromedp.SendKeys(chromedp.CSS("#quick-name"), "Bob"),
		chromedp.Tap(chromedp.CSS(`[data-key="size-2"]`)),
		chromedp.Tap(chromedp.CSS(`[data-key="play-now"]`)))
	for _, tb := range []*tab{ann, bob} {
		tb.do("sit at the table", chromedp.WaitVisible(chromedp.CSS(`.table .seat.mine`)))
	}
	type at struct {
		Room  string `json:"room"`
		Seats int    `json:"seats"`
		CPUs  int    `json:"cpus"`
	}
	const read = `({ room: document.querySelector('[data-room]').dataset.room, seats: document.querySelectorAll('.table .seat').length,
		cpus: document.querySelectorAll('.table .seat .badge.cpu, .table .seat [data-cpu="1"]').length })`
	a, b := eval[at](ann, read), eval[at](bob, read)
	if a.Room == "" || a.Room != b.Room || a.Seats != 2 || b.Seats != 2 || a.CPUs != 0 {
		t.Errorf("after Play now: Ann at %+v, Bob at %+v; want one room of two humans", a, b)
	}
	if tok := eval[string](bob, `localStorage.getItem('golf.seat.`+b.Room+`') ?? ''`); tok == "" {
		t.Error("Bob's page keeps no seat token for the quick-play room")
	}
	bob.noOverflow("the table with the chat and reaction buttons")
	bob.screenshot("social-table-en-phone")
	// At the table: a reaction pops up by the seat, the chat opens over it.
	ann.do("react", chromedp.Click(chromedp.CSS(`[data-key="tool-react"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#react-menu [data-reaction="🎉"]`)),
		chromedp.Click(chromedp.CSS(`#react-menu [data-reaction="🎉"]`)))
	// A phone's top bar has no room for the reactions button: they are in its chat.
	if eval[bool](bob, `document.querySelector('[data-key="tool-react"]').getBoundingClientRect().width > 0`) {
		t.Error("the reactions button shows in a phone's top bar")
	}
	bob.waitJS("Ann's reaction by her seat", `[...document.querySelectorAll('.reaction-bubble')].some((b) => b.textContent === '🎉' && !b.classList.contains('loose'))`)
	bob.screenshot("social-table-reaction-en-phone")
	type spot struct {
		Bubble float64 `json:"bubble"`
		Seat   float64 `json:"seat"`
	}
	sp := eval[spot](ann, `(() => { const b = [...document.querySelectorAll('.reaction-bubble')].find((b) => b.textContent === '🎉');
		return { bubble: b ? b.getBoundingClientRect().top : -1, seat: document.querySelector('.seat.mine').getBoundingClientRect().top }; })()`)
	if sp.Bubble < sp.Seat-60 {
		t.Errorf("Ann's own reaction shows at y=%v, far above her seat at y=%v", sp.Bubble, sp.Seat)
	}
	ann.do("chat at the table", chromedp.Click(chromedp.CSS(`[data-key="tool-chat"]`)),
		chromedp.SendKeys(chromedp.CSS("#chat-input"), "good luck!"), chromedp.Click(chromedp.CSS(`#chat-send`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line.mine`)))
	bob.do("read it", chromedp.Tap(chromedp.CSS(`[data-key="tool-chat"]`)), chromedp.WaitVisible(chromedp.CSS(`#chat-log .chat-line`)))
	ann.screenshot("social-table-chat-en-desktop")
	bob.screenshot("social-table-chat-en-phone")

	// Cancel: back to the lobby.
	cal := newTab(t, root, "cal")
	cal.resize(phone)
	cal.mobile = true
	cal.do("open the lobby in Spanish", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="quick"]`)))
	eval[bool](cal, `(localStorage.setItem('golf.lang', '"es"'), true)`)
	cal.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`form[data-form="quick"]`)))
	cal.waitJS("Spanish", `document.documentElement.lang === 'es'`)
	cal.screenshot("social-lobby-es-phone")
	cal.do("play now", chromedp.SendKeys(chromedp.CSS("#quick-name"), "Cal"),
		chromedp.Tap(chromedp.CSS(`[data-key="size-5"]`)),
		chromedp.Tap(chromedp.CSS(`[data-key="play-now"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="queue"] [data-key="queue-cancel"]`)))
	cal.screenshot("social-queue-es-phone")
	cal.do("cancel", chromedp.Tap(chromedp.CSS(`[data-key="queue-cancel"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-screen="lobby"]`)))
	if got := eval[string](cal, `document.querySelector('[data-key="size-5"]').checked ? '5' : ''`); got != "5" {
		t.Error("the table size picked is not remembered")
	}
	for _, tb := range []*tab{ann, bob, cal} {
		tb.checkErrors()
	}
}

// TestQuickPlayTopUp: alone with no wait configured, Play now deals a
// table of the size picked, the other seats CPUs.
func TestQuickPlayTopUp(t *testing.T) {
	_, ts := newServer(t, func(c *setup) { c.QuickplayWait = 0 })
	tb := newTab(t, browser(t), "ann")
	tb.resize(desktop)
	tb.do("play now, three players", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form[data-form="quick"]`)),
		chromedp.SendKeys(chromedp.CSS("#quick-name"), "Ann"),
		chromedp.Click(chromedp.CSS(`[data-key="size-3"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="play-now"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.table .seat.mine`)))
	if n := eval[int](tb, `document.querySelectorAll('.table .seat.opponent').length`); n != 2 {
		t.Errorf("%d opponents; want 2 CPUs", n)
	}
	tb.checkErrors()
}

// TestOpenTables: a host makes the room public; a player on the lobby sees
// it under Open tables (host, seats) and joins it with one tap; once the
// room is private again it is gone from the list.
func TestOpenTables(t *testing.T) {
	_, ts := newServer(t, nil)
	root := browser(t)
	ann := newTab(t, root, "ann")
	ann.resize(desktop)
	bob := newTab(t, root, "bob")
	bob.resize(phone)
	bob.mobile = true
	ann.do("create a room and make it public",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-form="create"]`)),
		chromedp.SendKeys(chromedp.CSS("#create-name"), "Ann <i>"),
		chromedp.Click(chromedp.CSS(`[data-key="create"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="1"]`)),
		chromedp.Click(chromedp.CSS(`[data-key="room-public"]`)))
	code := eval[string](ann, `document.querySelector('.code-big').dataset.room`)
	ann.waitJS("public", `document.querySelector('[data-key="room-public"]').checked`)
	bob.do("see the open table", chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`.open-room[data-room="`+code+`"]`)))
	if host := eval[string](bob, `document.querySelector('.open-room .open-host').textContent`); host != "Host: Ann <i>" {
		t.Errorf("the open table's host reads %q", host)
	}
	bob.screenshot("social-open-tables-en-phone")
	bob.do("join it", chromedp.SendKeys(chromedp.CSS("#quick-name"), "Bob"),
		chromedp.Tap(chromedp.CSS(`[data-key="open-join-`+code+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.room[data-host="0"]`)))
	ann.do("see Bob", chromedp.WaitVisible(chromedp.CSS(`.room[data-seated="2"]`)))
	ann.do("make it private", chromedp.Click(chromedp.CSS(`[data-key="room-public"]`)))
	ann.waitJS("private", `!document.querySelector('[data-key="room-public"]').checked`)
	cal := newTab(t, root, "cal")
	cal.resize(desktop)
	cal.do("the lobby lists nothing", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-key="open-empty"]`)))
	for _, tb := range []*tab{ann, bob, cal} {
		tb.checkErrors()
	}
}
