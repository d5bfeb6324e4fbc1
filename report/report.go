// Package report sends the panics the server recovers from (in HTTP
// handlers, WebSocket sessions and tables) to Sentry, when SENTRY_DSN
// names a project; without it nothing is built and nothing is sent.
//
// What an event holds: the panic's value, the stack down to the panic, the
// tags its caller gives (where, route, request id, game id, room code) and
// the release and environment. What it never holds: IP addresses, names,
// cookies, headers or request bodies. SendDefaultPII is off, no request is
// attached, and scrub (BeforeSend) drops the user, request and breadcrumbs
// of every event in case a default integration added them.
package report

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"
)

// Options configure a Sentry reporter.
type Options struct {
	DSN         string // https://KEY@HOST/PROJECT; required
	Environment string // "production", "staging", …; "" for none
	Release     string // "" for the binary's version (Release)
}

// Sentry reports panics to a Sentry project. It holds its own client and
// hub (never sentry-go's global one).
type Sentry struct {
	client *sentry.Client
	hub    *sentry.Hub
}

// NewSentry builds a reporter for o.DSN; it fails on a malformed DSN.
func NewSentry(o Options) (*Sentry, error) {
	if o.DSN == "" {
		return nil, errors.New("report: no DSN")
	}
	if o.Release == "" {
		o.Release = Release()
	}
	c, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:            o.DSN,
		Environment:    o.Environment,
		Release:        o.Release,
		SendDefaultPII: false,
		BeforeSend:     scrub,
		// Breadcrumbs would collect what the server did before the panic:
		// none are recorded, and none may carry personal data by accident.
		MaxBreadcrumbs:       -1,
		DisableClientReports: true,
		// ContextifyFrames would read source files at report time and
		// send lines of them; the stack's file and line numbers suffice.
		Integrations: func(all []sentry.Integration) []sentry.Integration {
			return slices.DeleteFunc(all, func(i sentry.Integration) bool { return i.Name() == "ContextifyFrames" })
		},
	})
	if err != nil {
		return nil, fmt.Errorf("report: SENTRY_DSN: %w", err)
	}
	return &Sentry{client: c, hub: sentry.NewHub(c, sentry.NewScope())}, nil
}

// Panic sends v, recovered from a panic, with tags. Call it from the
// deferred function that recovered, while the panicking stack is still
// there: the event's stack trace is taken here. It does not block; the
// event is sent in the background.
func (s *Sentry) Panic(ctx context.Context, v any, tags map[string]string) {
	ev := sentry.NewEvent()
	ev.Level = sentry.LevelFatal
	ev.Tags = make(map[string]string, len(tags))
	for k, val := range tags {
		if val != "" {
			ev.Tags[k] = val
		}
	}
	typ, msg := "panic", fmt.Sprint(v)
	if err, ok := v.(error); ok {
		typ = fmt.Sprintf("panic: %T", err)
	}
	handled := true
	ev.Exception = []sentry.Exception{{
		Type:       typ,
		Value:      msg,
		Stacktrace: panicStack(),
		Mechanism:  &sentry.Mechanism{Type: "go.panic", Handled: &handled},
	}}
	s.hub.CaptureEvent(ev)
}

// Close sends what is queued, waiting at most timeout.
func (s *Sentry) Close(timeout time.Duration) bool {
	ok := s.client.Flush(timeout)
	s.client.Close()
	return ok
}

// panicStack is the current stack without the frames of the recovery
// itself: it ends where the panic was raised (or, called outside a
// recovery, where panicStack was called).
func panicStack() *sentry.Stacktrace {
	pcs := make([]uintptr, 128)
	n := runtime.Callers(2, pcs)
	var frames []runtime.Frame
	it := runtime.CallersFrames(pcs[:n])
	for {
		f, more := it.Next()
		if f.Function == "runtime.gopanic" {
			frames = frames[:0] // what came before is the recovery
		} else {
			frames = append(frames, f)
		}
		if !more {
			break
		}
	}
	st := &sentry.Stacktrace{}
	// Sentry lists frames from the outermost call to the innermost.
	for _, f := range slices.Backward(frames) {
		if strings.HasPrefix(f.Function, "runtime.") || strings.HasPrefix(f.Function, "testing.") {
			continue
		}
		st.Frames = append(st.Frames, sentry.NewFrame(f))
	}
	return st
}

// scrub removes from an event everything that could identify a person.
func scrub(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
	ev.User = sentry.User{}
	ev.Request = nil
	ev.Breadcrumbs = nil
	delete(ev.Contexts, "user")
	return ev
}

// Release names the running binary: golf@ its module version, or the VCS
// revision it was built from.
func Release() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "golf@unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return "golf@" + strings.TrimPrefix(v, "v")
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "golf@" + s.Value[:12]
		}
	}
	return "golf@devel"
}
