// Command golf is the whole Golf platform in one binary: the game server
// (the default), the simulator and the operator's tools. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golf/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
