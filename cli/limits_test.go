package cli

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golf/web"
)

// TestIdleKeepAliveConnectionIsClosed: golf serve's HTTP server closes a
// kept-alive connection that sends no next request, and one that never
// finishes its request, instead of holding them for ever.
func TestIdleKeepAliveConnectionIsClosed(t *testing.T) {
	to := httpTimeouts{readHeader: 300 * time.Millisecond, read: 300 * time.Millisecond, write: time.Second, idle: 300 * time.Millisecond}
	hs := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }), to,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	defer hs.Close()

	// Idle after one answer.
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("idle keep-alive connection: read %v, want EOF (closed by the server)", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("closed after %v, want about the idle timeout", took)
	}

	// A request whose body never comes.
	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	io.WriteString(c2, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
	c2.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c2)
	if err != nil {
		t.Fatalf("slow request: %v after %q, want the server to close the connection", err, b)
	}
}

// TestAbuseConfig: the limits, proxies and public URL variables.
func TestAbuseConfig(t *testing.T) {
	c, err := loadServeConfig(func(k string) string {
		return map[string]string{
			"GOLF_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7,::1", "GOLF_PUBLIC_URL": "https://Golf.Example.com",
			"GOLF_LIMIT_CREATE": "5/1m,3", "GOLF_LIMIT_STATIC": "off", "GOLF_MAX_SPECTATORS": "7", "GOLF_LOBBY_TIMEOUT": "90s",
			"GOLF_HTTP_IDLE_TIMEOUT": "1m",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("::1/128")}
	if len(c.web.TrustedProxies) != 3 || c.web.TrustedProxies[0] != want[0] || c.web.TrustedProxies[1] != want[1] || c.web.TrustedProxies[2] != want[2] {
		t.Errorf("trusted proxies %v, want %v", c.web.TrustedProxies, want)
	}
	if len(c.web.PublicHosts) != 1 || c.web.PublicHosts[0] != "golf.example.com" {
		t.Errorf("public hosts %v", c.web.PublicHosts)
	}
	if r := c.web.Limits.Create; r.Burst != 3 || r.Rate != 5.0/60 || r.Name != "room_create" {
		t.Errorf("create limit %+v", r)
	}
	if r := c.web.Limits.Static; r.Rate != 0 || c.web.Limits.Strict != web.DefaultLimits().Strict {
		t.Errorf("static %+v, strict %+v", r, c.web.Limits.Strict)
	}
	if c.live.MaxSpectators != 7 || c.live.LobbyTimeout != 90*time.Second || c.http.idle != time.Minute || c.http.read != 30*time.Second {
		t.Errorf("spectators %d, lobby %v, http %+v", c.live.MaxSpectators, c.live.LobbyTimeout, c.http)
	}
	c, err = loadServeConfig(func(k string) string { return map[string]string{"GOLF_LIMITS": "off"}[k] })
	if err != nil || c.web.Limits != web.NoLimits() {
		t.Errorf("GOLF_LIMITS=off: %+v, %v", c.web.Limits, err)
	}
	for k, v := range map[string]string{
		"GOLF_TRUSTED_PROXIES": "10.0.0.0/8,nginx", "GOLF_PUBLIC_URL": "golf.example.com", "GOLF_LIMIT_CREATE": "ten",
		"GOLF_LIMIT_API": "5/1m,0", "GOLF_LIMITS": "maybe", "GOLF_MAX_SPECTATORS": "-1", "GOLF_LOBBY_TIMEOUT": "soon",
		"GOLF_HANDSHAKE_TIMEOUT": "0s",
	} {
		_, err := loadServeConfig(func(key string) string {
			if key == k {
				return v
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: err %v, want one naming it", k, v, err)
		}
	}
}
