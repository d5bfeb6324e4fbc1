package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Why pg_dump and not a dump of our own (COPY of each table in one
// REPEATABLE READ transaction): its custom format is what every
// PostgreSQL operator already knows how to inspect (pg_restore --list),
// restore selectively and into another server version; it carries every
// table, index, constraint and sequence position, including tables later
// migrations add, without this package knowing the schema; and it is
// compressed. The cost is a client binary whose major version must be at
// least the server's (checked before dumping); the backup image ships
// PostgreSQL's own (deploy/, docs/deploy.md).

var pgMagic = []byte("PGDMP")

// dumpPostgres runs pg_dump --format=custom into dst. It first exports a
// snapshot from a REPEATABLE READ transaction and counts games and events
// in it; pg_dump then dumps that same snapshot (--snapshot), so the counts
// are exactly what the file holds, whatever the servers append meanwhile.
func dumpPostgres(ctx context.Context, dbURL, dst string) (Result, error) {
	conninfo, password, err := libpqURL(dbURL)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer conn.Close(context.Background())
	if err := checkTool(ctx, conn, "pg_dump"); err != nil {
		return Result{}, err
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	defer tx.Rollback(context.Background())
	var snapshot string
	var r Result
	err = tx.QueryRow(ctx, `SELECT pg_export_snapshot(),
		(SELECT count(*) FROM games), (SELECT count(*) FROM events)`).Scan(&snapshot, &r.Games, &r.Events)
	if err != nil {
		return Result{}, fmt.Errorf("backup: is this a golf database? %w", err)
	}
	err = run(ctx, password, "pg_dump", "--format=custom", "--snapshot="+snapshot,
		"--file="+dst, "--dbname="+conninfo)
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	return r, tx.Commit(ctx)
}

// restorePostgres restores a custom-format dump into the database at dbURL,
// which must not hold golf's tables yet: in one transaction, so a failure
// leaves it as it was. Ownership and grants are the target's (the dump's
// roles need not exist there).
func restorePostgres(ctx context.Context, dbURL, file string) (Result, error) {
	if err := sniff(file, pgMagic); err != nil {
		return Result{}, err
	}
	conninfo, password, err := libpqURL(dbURL)
	if err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	defer conn.Close(context.Background())
	if err := checkTool(ctx, conn, "pg_restore"); err != nil {
		return Result{}, err
	}
	var existing *string
	if err := conn.QueryRow(ctx, "SELECT to_regclass('schema_migrations')::text").Scan(&existing); err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	if existing != nil {
		return Result{}, fmt.Errorf("%w: the database already holds golf's tables (restore into a new, empty database)", ErrExists)
	}
	err = run(ctx, password, "pg_restore", "--single-transaction", "--exit-on-error",
		"--no-owner", "--no-privileges", "--dbname="+conninfo, file)
	if err != nil {
		return Result{}, fmt.Errorf("restore: %w", err)
	}
	var r Result
	err = conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM games), (SELECT count(*) FROM events)").Scan(&r.Games, &r.Events)
	if err != nil {
		return Result{}, fmt.Errorf("restore: the restored database: %w", err)
	}
	return r, nil
}

// checkTool finds a PostgreSQL client tool and checks that its major
// version is at least the server's: pg_dump refuses a newer server, and an
// older pg_restore may not read a newer dump.
func checkTool(ctx context.Context, conn *pgx.Conn, tool string) error {
	path, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("%w: %s is not installed (it comes with PostgreSQL's client tools)", ErrTool, tool)
	}
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return fmt.Errorf("%w: %s --version: %v", ErrTool, tool, err)
	}
	client, ok := toolMajor(string(out))
	if !ok {
		return fmt.Errorf("%w: cannot read the version of %s from %q", ErrTool, tool, strings.TrimSpace(string(out)))
	}
	var num string
	if err := conn.QueryRow(ctx, "SHOW server_version_num").Scan(&num); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return fmt.Errorf("backup: server_version_num %q: %w", num, err)
	}
	if server := n / 10000; client < server {
		return fmt.Errorf("%w: %s is version %d, the server %d: install %s %d or newer", ErrTool, tool, client, server, tool, server)
	}
	return nil
}

var toolVersion = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// toolMajor reads the major version from "pg_dump (PostgreSQL) 15.20 …".
func toolMajor(s string) (int, bool) {
	m := toolVersion.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// run runs a PostgreSQL client tool. The password goes in its environment,
// not its arguments, which any user of the machine can list; its error
// output (which never repeats the password) is kept for the error.
func run(ctx context.Context, password, tool string, args ...string) error {
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = "…" + msg[len(msg)-2000:]
		}
		return fmt.Errorf("%s: %v: %s", tool, err, msg)
	}
	return nil
}

// libpqParams are the URL query parameters libpq itself understands; the
// PostgreSQL client tools refuse any other.
var libpqParams = []string{
	"application_name", "channel_binding", "client_encoding", "connect_timeout", "dbname",
	"fallback_application_name", "gssdelegation", "gssencmode", "gsslib", "host", "hostaddr",
	"keepalives", "keepalives_count", "keepalives_idle", "keepalives_interval", "krbsrvname",
	"load_balance_hosts", "options", "passfile", "port", "require_auth", "requirepeer",
	"service", "ssl_max_protocol_version", "ssl_min_protocol_version", "sslcert", "sslcertmode",
	"sslcompression", "sslcrl", "sslcrldir", "sslkey", "sslmode", "sslnegotiation", "sslpassword",
	"sslrootcert", "sslsni", "target_session_attrs", "tcp_user_timeout", "user",
}

// pgxParams configure pgx itself, not the session: dropped.
var pgxParams = []string{
	"default_query_exec_mode", "description_cache_capacity", "max_conn_idle_time",
	"max_conn_lifetime", "max_conn_lifetime_jitter", "min_read_buffer_size",
	"statement_cache_capacity", "servicefile",
}

// libpqURL turns a URL golf's store accepts (pgx's) into one the
// PostgreSQL client tools accept, and takes the password out of it. pgx
// sends unknown query parameters as session settings (search_path=…);
// libpq wants those in options=-c…; pgx's own settings are dropped.
func libpqURL(raw string) (conninfo, password string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("database url: %v", redact(err))
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	var settings []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		switch {
		case slices.Contains(libpqParams, k):
		case strings.HasPrefix(k, "pool_") || slices.Contains(pgxParams, k):
			q.Del(k)
		default:
			// libpq's -c value ends at a space unless it is escaped.
			v := strings.ReplaceAll(strings.ReplaceAll(q.Get(k), `\`, `\\`), " ", `\ `)
			settings = append(settings, "-c "+k+"="+v)
			q.Del(k)
		}
	}
	if len(settings) > 0 {
		opts := strings.Join(settings, " ")
		if o := q.Get("options"); o != "" {
			opts = o + " " + opts
		}
		q.Set("options", opts)
	}
	u.RawQuery = q.Encode()
	return u.String(), password, nil
}

// redact keeps a URL parse error from repeating the URL (and its password).
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
