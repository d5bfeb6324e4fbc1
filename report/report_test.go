package report_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golf/report"
	"golf/report/reporttest"
)

func explode() { panic(errors.New("boom in explode")) }

// recovered runs f and reports its panic as the server's recoverers do.
func recovered(r *report.Sentry, tags map[string]string, f func()) {
	defer func() {
		if v := recover(); v != nil {
			r.Panic(context.Background(), v, tags)
		}
	}()
	f()
}

func TestPanicReachesSentry(t *testing.T) {
	t.Parallel()
	fake := reporttest.New(t)
	r, err := report.NewSentry(report.Options{DSN: fake.DSN, Environment: "test", Release: "golf@test"})
	if err != nil {
		t.Fatal(err)
	}
	recovered(r, map[string]string{"where": "table", "game_id": "g-1", "empty": ""}, explode)
	if !r.Close(10 * time.Second) {
		t.Fatal("the event was not sent in time")
	}
	evs := fake.Wait(t, 1)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	ev := evs[0]
	if ev.Level != "fatal" || ev.Release != "golf@test" || ev.Tags["where"] != "table" || ev.Tags["game_id"] != "g-1" {
		t.Errorf("event level %q, release %q, tags %v", ev.Level, ev.Release, ev.Tags)
	}
	if _, ok := ev.Tags["empty"]; ok {
		t.Error("an empty tag was sent")
	}
	if len(ev.Exception) != 1 || ev.Exception[0].Value != "boom in explode" {
		t.Fatalf("exception %+v", ev.Exception)
	}
	frames := ev.Exception[0].Stacktrace.Frames
	if len(frames) == 0 || frames[len(frames)-1].Function != "explode" {
		t.Errorf("the stack does not end where the panic was raised: %+v", frames)
	}
	raw := string(ev.Raw)
	for _, pii := range []string{"ip_address", `"user"`, "cookies", `"request"`, "breadcrumbs"} {
		if strings.Contains(raw, pii) {
			t.Errorf("the event holds %s: %s", pii, raw)
		}
	}
}

func TestNoDSN(t *testing.T) {
	t.Parallel()
	if _, err := report.NewSentry(report.Options{}); err == nil {
		t.Error("a reporter without a DSN was built")
	}
	if _, err := report.NewSentry(report.Options{DSN: "not a dsn"}); err == nil {
		t.Error("a malformed DSN was accepted")
	}
}
