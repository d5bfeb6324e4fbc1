package web

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
)

// Browser hardening and who the client is (docs/security.md).

// contentSecurityPolicy allows the client's own scripts, styles, images
// and sockets and nothing else: no inline script or style attribute, no
// framing by any page, no plugin, no <base> or form to elsewhere. The
// client sets styles through the CSSOM (el.style), which a CSP does not
// govern, and has no inline script.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// hstsMaxAge is a year: a server reached over HTTPS stays on it.
const hsts = "max-age=31536000"

// clientKey holds a request's clientInfo in its context.
type clientKey struct{}

// clientInfo is who sent a request, as far as the server can believe.
type clientInfo struct {
	ip    string // the client's address: the peer's, or a trusted proxy's word
	https bool   // the client reached us over TLS (ours, or a trusted proxy's)
}

// withClient works out the client's address and scheme once per request.
// X-Forwarded-For and X-Forwarded-Proto are believed only from a peer in
// Config.TrustedProxies: anyone else could write anything there. The
// client is the rightmost address of X-Forwarded-For that is not itself a
// trusted proxy (every proxy appends the peer it saw), so a client that
// sends its own X-Forwarded-For through the proxy changes nothing.
func (s *Server) withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := clientInfo{ip: peerHost(r.RemoteAddr), https: r.TLS != nil}
		peer, err := netip.ParseAddr(info.ip)
		trusted := err == nil && s.trusted(peer)
		if !trusted && r.Header.Get("X-Forwarded-For") != "" && s.xffWarned.CompareAndSwap(false, true) {
			// Once: a proxy the operator forgot to name makes every player
			// one address, and one set of limits.
			s.log.Info("X-Forwarded-For from a peer not in GOLF_TRUSTED_PROXIES: ignored", "peer", info.ip)
		}
		if trusted {
			client := peer
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break // not an address: nothing left of it can be believed
				}
				client = a.Unmap()
				if !s.trusted(client) {
					break
				}
			}
			info.ip = client.String()
			if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
				info.https = strings.EqualFold(p, "https")
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, info)))
	})
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerHost(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String()
	}
	return host
}

// clientIP is the address rate limits, kicks and session lists key on
// (withClient); a request that did not pass through it (a test calling a
// handler directly) is its peer.
func clientIP(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(clientInfo); ok {
		return c.ip
	}
	return peerHost(r.RemoteAddr)
}

// secureRequest reports whether the client reached us over HTTPS: our own
// TLS, or a trusted proxy's X-Forwarded-Proto.
func secureRequest(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey{}).(clientInfo); ok {
		return c.https
	}
	return r.TLS != nil
}

// withSecurityHeaders sets the browser hardening headers on every answer,
// errors and WebSocket refusals included.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		// Room links carry their code: no page we link to learns it.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if secureRequest(r) {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}

// noListing is the client's files without directory listings: a
// directory is served only through its index.html, otherwise it does not
// exist (404).
type noListing struct{ fs.FS }

func (n noListing) Open(name string) (fs.File, error) {
	f, err := n.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		if _, err := fs.Stat(n.FS, path.Join(name, "index.html")); err != nil {
			f.Close()
			return nil, fs.ErrNotExist
		}
	}
	return f, nil
}

// errForeignHost refuses a WebSocket whose Host the operator did not name.
var errForeignHost = errors.New("host not served")

// checkHost decides whether a WebSocket may open under the request's Host.
// A page of a hostile domain whose DNS is rebound to this server's
// address (a server run on a laptop, listening on every interface) sends
// that domain as Host and as Origin, so comparing the two proves nothing;
// the Host itself must be one the operator named: GOLF_PUBLIC_URL's host,
// a GOLF_ALLOWED_ORIGINS pattern, localhost or any IP address (an address
// typed in the bar cannot be rebound).
func (s *Server) checkHost(host string) error {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if h == "" {
		return errForeignHost
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return nil
	}
	if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return nil
	}
	for _, p := range s.cfg.PublicHosts {
		if strings.EqualFold(p, h) || strings.EqualFold(p, host) {
			return nil
		}
	}
	for _, p := range s.cfg.AllowedOrigins {
		if ok, _ := path.Match(strings.ToLower(p), h); ok {
			return nil
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(host)); ok {
			return nil
		}
	}
	return errForeignHost
}

// PublicHost returns the host (and port, if any) of a public URL such as
// GOLF_PUBLIC_URL=https://golf.example.com, for Config.PublicHosts.
func PublicHost(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("want a URL such as https://golf.example.com")
	}
	return strings.ToLower(u.Host), nil
}

// checkOrigin refuses a WebSocket opened by a page of a foreign site, by
// the same rule as the WebSocket library's own check (the request's host,
// else a pattern of originPatterns): the library would answer in plain
// text, and errors here are JSON with a code (docs/api.md).
func (s *Server) checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil // not a browser: nothing to forge
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return errForeignOrigin
	}
	if strings.EqualFold(r.Host, u.Host) {
		return nil
	}
	for _, p := range s.originPatterns() {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
			return nil
		}
	}
	return errForeignOrigin
}

var errForeignOrigin = errors.New("foreign origin")

// originPatterns are the Origins, besides the request's own host, whose
// pages may open a WebSocket: GOLF_ALLOWED_ORIGINS and the public host.
func (s *Server) originPatterns() []string {
	if len(s.cfg.PublicHosts) == 0 {
		return s.cfg.AllowedOrigins
	}
	return append(append([]string(nil), s.cfg.AllowedOrigins...), s.cfg.PublicHosts...)
}
