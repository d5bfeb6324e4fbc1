package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// healthPath is the endpoint the container health check asks: liveness
// (the process serves HTTP), not readiness, so a container whose database
// is down is not restarted for it (docs/operations.md).
const healthPath = "/health"

// healthCommand is for container health checks: scratch and
// distroless images have no curl.
func healthCommand() command {
	return command{"health", "GET a server's /health: exit 0 if it answers 200, else 1", runHealthcheck}
}

func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: golf health [--url URL] [--timeout DURATION]")
		fmt.Fprintln(stderr, "\nExits 0 if URL answers 200 within the timeout, 1 otherwise.")
		fs.PrintDefaults()
	}
	url := fs.String("url", healthURL(os.Getenv("GOLF_ADDR")), "the health endpoint (default: this container's server, from $GOLF_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *timeout <= 0 {
		fs.Usage()
		return 2
	}
	if err := checkHealth(ctx, *url, *timeout); err != nil {
		fmt.Fprintf(stderr, "golf health: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "ok")
	return 0
}

// healthURL is the health endpoint of the server listening on addr
// (GOLF_ADDR, default :8000) as seen from the same host.
func healthURL(addr string) string {
	if addr == "" {
		addr = ":8000"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://127.0.0.1:8000" + healthPath
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + healthPath
}

func checkHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
