package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"golf/account"
)

// golf user: the operator's account commands, run on the server against
// its database. They make the first admin, which nothing over HTTP can.

func userCommand() command {
	return command{"user", "create users and set roles from the server (the first admin)", runUser}
}

func userUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  golf user create [--admin] NAME   register NAME; the password is read from
                                    standard input (one line), or asked for
                                    without echo when it is a terminal
  golf user role NAME admin|player  promote or demote NAME (never the last admin)

The database is the one golf serve uses (DATABASE_URL, else the SQLite file
in GOLF_DATA_DIR). A password is never taken as an argument: arguments are
visible to every user of the machine.
`)
}

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return user(ctx, args, os.Stdin, os.Getenv, stdout, stderr)
}

func user(ctx context.Context, args []string, stdin io.Reader, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		userUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { userUsage(stderr) }
	admin := fs.Bool("admin", false, "make the new user an admin")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	rest := fs.Args()
	switch {
	case args[0] == "create" && len(rest) == 1:
	case args[0] == "role" && len(rest) == 2 && !*admin:
	default:
		userUsage(stderr)
		return 2
	}
	cfg, err := loadServeConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "golf user: %v\n", err)
		return 2
	}
	db, _, err := openDatabase(ctx, databaseURL(cfg))
	if err != nil {
		fmt.Fprintf(stderr, "golf user: open the database: %v\n", err)
		return 1
	}
	defer db.Close()
	svc, err := openAccounts(db, cfg.accounts.service)
	if err != nil {
		fmt.Fprintf(stderr, "golf user: %v\n", err)
		return 1
	}
	switch args[0] {
	case "create":
		name := rest[0]
		if err := account.CheckUsername(name); err != nil {
			fmt.Fprintf(stderr, "golf user: %s\n", err.Msg)
			return 2
		}
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "golf user: %v\n", err)
			return 2
		}
		created, err := createUser(ctx, svc, name, pw, *admin)
		var ae *account.Error
		switch {
		case errors.As(err, &ae):
			fmt.Fprintf(stderr, "golf user: %s\n", ae.Msg)
			return 2
		case err != nil:
			fmt.Fprintf(stderr, "golf user: %v\n", err)
			return 1
		case !created:
			fmt.Fprintf(stderr, "golf user: the username %q is taken\n", name)
			return 1
		}
		role := "player"
		if *admin {
			role = "admin"
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", name, role)
	case "role":
		role := account.Role(rest[1])
		err := svc.SetRoleAsOperator(ctx, rest[0], role)
		var ae *account.Error
		switch {
		case errors.As(err, &ae):
			fmt.Fprintf(stderr, "golf user: %s\n", ae.Msg)
			return 1
		case err != nil:
			fmt.Fprintf(stderr, "golf user: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s is now %s\n", rest[0], role)
	}
	return 0
}

// databaseURL is the database golf serve would open.
func databaseURL(cfg serveConfig) string {
	if cfg.databaseURL != "" {
		return cfg.databaseURL
	}
	return "sqlite:" + cfg.dataDir + "/golf.db"
}

// readPassword reads one line: from a terminal without echo, after a
// prompt and a confirmation; otherwise as it comes (a pipe, a file).
func readPassword(stdin io.Reader, prompt io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		fmt.Fprint(prompt, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
