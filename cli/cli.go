// Package cli holds the golf command's subcommands: their flags and
// environment, and the wiring of the packages that do the work (it is the
// one place that builds the server's parts, docs/architecture.md). main
// only hands off to Run, so every subcommand can be run and tested
// in-process.
package cli

import (
	"context"
	"fmt"
	"io"
)

// command is one subcommand of golf.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order usage shows them. The first
// is the default when golf runs with no arguments.
func commands() []command {
	cmds := []command{
		{"serve", "run the game server (the default)", runServe},
		simCommand(),
		{"loadtest", "play bot clients against a server and measure move latency", runLoadtest},
		{"migrate", "apply pending database migrations and print the schema version", runMigrate},
		{"verify", "rebuild every stored game from its events and check it", runVerify},
		backupCommand(), restoreCommand(), healthCommand(), userCommand(),
		statsCommand(),
	}
	return append(cmds, replayCommands()...)
}

// Run runs the subcommand named by args[0] (the default one if args is
// empty) and returns the process exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		usage(stdout, cmds)
		return 0
	}
	if len(args) == 0 {
		if len(cmds) == 0 {
			usage(stdout, cmds)
			return 0
		}
		return cmds[0].run(ctx, nil, stdout, stderr)
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "golf: unknown command %q\n\n", args[0])
	usage(stderr, cmds)
	return 2
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "Golf: the 6-card Golf card game, server and tools.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: golf <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "  help       show this help")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'golf <command> -h' for a command's flags.")
}
