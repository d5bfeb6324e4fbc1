package deploy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// requireNginx returns the nginx binary; without one the test skips, or
// fails under GOLF_REQUIRE_SERVICES=1 (.ci/run installs Debian's).
func requireNginx(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("GOLF_REQUIRE_SERVICES") == "1" {
		t.Fatal("nginx is not installed but GOLF_REQUIRE_SERVICES=1 (apt-get install nginx)")
	}
	t.Skip("nginx tests skipped: nginx is not installed (apt-get install nginx)")
	return ""
}

// site is deploy/nginx/golf.conf set up to run here: its upstreams are
// the given addresses, it listens on loopback ports, with a self-signed
// certificate, in a prefix of its own.
type site struct {
	prefix      string
	conf        string // the wrapper nginx.conf, which includes golf.conf
	http, https string // host:port
	pool        *x509.CertPool
}

// newSite writes the configuration. Every place the shipped file is
// changed must be found exactly once, so a change to it that this test
// does not follow fails here rather than testing something else.
func newSite(t *testing.T, upstreams [2]string) *site {
	t.Helper()
	s := &site{prefix: t.TempDir(), http: freePort(t), https: freePort(t)}
	b, err := os.ReadFile("nginx/golf.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	for _, r := range [][2]string{
		{"server app1:8000 ", "server " + upstreams[0] + " "},
		{"server app2:8000 ", "server " + upstreams[1] + " "},
		{"    listen 80;\n", "    listen " + s.http + ";\n"},
		{"    listen [::]:80;\n", ""},
		{"    listen 443 ssl;\n", "    listen " + s.https + " ssl;\n"},
		{"    listen [::]:443 ssl;\n", ""},
		{"root /var/www/acme;", "root acme;"},
	} {
		if n := strings.Count(conf, r[0]); n != 1 {
			t.Fatalf("nginx/golf.conf has %q %d times, want once", r[0], n)
		}
		conf = strings.Replace(conf, r[0], r[1], 1)
	}
	for _, d := range []string{"certs", "acme/.well-known/acme-challenge", "tmp"} {
		if err := os.MkdirAll(filepath.Join(s.prefix, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(s.prefix, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("golf.conf", conf)
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers write the temp files below
	}
	tmp := filepath.Join(s.prefix, "tmp")
	// What the nginx image's own nginx.conf provides around conf.d.
	write("nginx.conf", fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log stderr notice;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %[3]s/body;
    proxy_temp_path %[3]s/proxy;
    fastcgi_temp_path %[3]s/fastcgi;
    uwsgi_temp_path %[3]s/uwsgi;
    scgi_temp_path %[3]s/scgi;
    include golf.conf;
}
`, user, s.prefix, tmp))
	s.conf = filepath.Join(s.prefix, "nginx.conf")
	s.pool = selfSigned(t, filepath.Join(s.prefix, "certs"))
	return s
}

// selfSigned writes certs/fullchain.pem and privkey.pem for 127.0.0.1 and
// localhost and returns a pool that trusts them.
func selfSigned(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "golf test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "fullchain.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(filepath.Join(dir, "privkey.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (s *site) test(t *testing.T, nginx string) (string, error) {
	t.Helper()
	out, err := exec.Command(nginx, "-t", "-p", s.prefix, "-c", s.conf, "-e", "stderr").CombinedOutput()
	return string(out), err
}

func TestNginxConfig(t *testing.T) {
	t.Parallel()
	nginx := requireNginx(t)
	s := newSite(t, [2]string{"127.0.0.1:1", "127.0.0.1:2"})
	out, err := s.test(t, nginx)
	if err != nil || !strings.Contains(out, "test is successful") {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}

	// nginx -t does fail on a broken file: the check above means something.
	conf := filepath.Join(s.prefix, "golf.conf")
	b, _ := os.ReadFile(conf)
	os.WriteFile(conf, []byte(strings.Replace(string(b), "keepalive 32;", "keepalive 32", 1)), 0o644)
	if out, err := s.test(t, nginx); err == nil {
		t.Fatalf("nginx -t accepted a missing semicolon:\n%s", out)
	}
}

// start runs nginx until the test ends and waits until it answers.
func (s *site) start(t *testing.T, nginx string) *http.Client {
	t.Helper()
	cmd := exec.Command(nginx, "-p", s.prefix, "-c", s.conf, "-e", "stderr")
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT) // graceful: workers finish
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("--- nginx ---\n%s", logs.String())
		}
	})
	client := &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.pool}},
		// Redirects are checked, not followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	for try := 0; ; try++ {
		c, err := net.Dial("tcp", s.https)
		if err == nil {
			c.Close()
			return client
		}
		select {
		case <-exited:
			t.Fatalf("nginx exited at start:\n%s", logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if try == 600 {
			t.Fatalf("nginx does not listen on %s:\n%s", s.https, logs.String())
		}
	}
}
