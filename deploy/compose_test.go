package deploy

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// testEnv is what an operator puts in deploy/.env.
var testEnv = []string{
	"POSTGRES_PASSWORD=pw0123456789",
	"GOLF_SECRET=0123456789abcdef0123456789abcdef",
}

func loadCompose(t *testing.T, env []string) (*types.Project, error) {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{"docker-compose.yml"},
		cli.WithWorkingDirectory("."),
		cli.WithEnv(env),
		cli.WithInterpolation(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

// documented returns the environment variables docs/operations.md's
// configuration table names: the only ones the server reads.
var documented = sync.OnceValues(func() (map[string]bool, error) {
	b, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		return nil, err
	}
	vars := map[string]bool{}
	cell := regexp.MustCompile("`([A-Z][A-Z0-9_]+)`")
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line, "|", 3)[1]
		for _, m := range cell.FindAllStringSubmatch(first, -1) {
			vars[m[1]] = true
		}
	}
	return vars, nil
})

func checkDocumented(t *testing.T, where string, names []string) {
	t.Helper()
	vars, err := documented()
	if err != nil {
		t.Fatal(err)
	}
	if len(vars) < 10 || !vars["DATABASE_URL"] || !vars["GOLF_SECRET"] {
		t.Fatalf("read %d variables from docs/operations.md: its table changed shape", len(vars))
	}
	for _, n := range names {
		if !vars[n] {
			t.Errorf("%s sets %s, which the server does not read (not in docs/operations.md)", where, n)
		}
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	p, err := loadCompose(t, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	names := p.ServiceNames()
	slices.Sort(names)
	if want := []string{"app1", "app2", "backup", "db", "nginx", "redis"}; !slices.Equal(names, want) {
		t.Fatalf("services %q, want %q", names, want)
	}
	svc := func(name string) types.ServiceConfig {
		s, err := p.GetService(name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	healthy := func(s types.ServiceConfig, deps ...string) {
		t.Helper()
		for _, d := range deps {
			if dep, ok := s.DependsOn[d]; !ok || dep.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s: depends_on %s %+v, want condition service_healthy", s.Name, d, dep)
			}
		}
	}
	hasHealthcheck := func(s types.ServiceConfig, cmd string) {
		t.Helper()
		if s.HealthCheck == nil || s.HealthCheck.Disable || !strings.Contains(strings.Join(s.HealthCheck.Test, " "), cmd) {
			t.Errorf("%s: healthcheck %+v, want one running %q", s.Name, s.HealthCheck, cmd)
		}
	}

	// Two golf instances sharing PostgreSQL, Redis and the secret.
	ids := map[string]bool{}
	for _, name := range []string{"app1", "app2"} {
		s := svc(name)
		if s.Build == nil || s.Build.Target != "app" {
			t.Errorf("%s: build %+v, want the Dockerfile's app stage", name, s.Build)
		}
		healthy(s, "db", "redis")
		hasHealthcheck(s, "/golf health")
		env := map[string]string{}
		var keys []string
		for k, v := range s.Environment {
			if v != nil {
				env[k] = *v
			}
			keys = append(keys, k)
		}
		checkDocumented(t, name, keys)
		if !strings.HasPrefix(env["DATABASE_URL"], "postgres://golf:pw0123456789@db:5432/golf") {
			t.Errorf("%s: DATABASE_URL %q, want the db service with the password from .env", name, env["DATABASE_URL"])
		}
		if env["REDIS_URL"] != "redis://redis:6379/0" || env["GOLF_SECRET"] != "0123456789abcdef0123456789abcdef" {
			t.Errorf("%s: REDIS_URL %q, GOLF_SECRET %q", name, env["REDIS_URL"], env["GOLF_SECRET"])
		}
		ids[env["GOLF_INSTANCE_ID"]] = true
		if len(s.Ports) > 0 {
			t.Errorf("%s publishes ports %+v: only nginx should", name, s.Ports)
		}
	}
	if len(ids) != 2 || ids[""] {
		t.Errorf("instance ids %v: want two distinct ones", ids)
	}

	db, redis := svc("db"), svc("redis")
	if !strings.HasPrefix(db.Image, "postgres:16") || !strings.HasPrefix(redis.Image, "redis:7") {
		t.Errorf("images %q, %q: want PostgreSQL 16 and Redis 7", db.Image, redis.Image)
	}
	hasHealthcheck(db, "pg_isready")
	hasHealthcheck(redis, "redis-cli ping")
	mounted := func(s types.ServiceConfig, source, target string) {
		t.Helper()
		for _, v := range s.Volumes {
			if v.Target == target && (v.Source == source || strings.HasSuffix(v.Source, source)) {
				return
			}
		}
		t.Errorf("%s: nothing mounts %s at %s (volumes %+v)", s.Name, source, target, s.Volumes)
	}
	mounted(db, "pgdata", "/var/lib/postgresql/data")

	nginx := svc("nginx")
	healthy(nginx, "app1", "app2")
	mounted(nginx, "/deploy/nginx/golf.conf", "/etc/nginx/conf.d/default.conf")
	mounted(nginx, "/deploy/certs", "/etc/nginx/certs")
	var published []uint32
	for _, port := range nginx.Ports {
		published = append(published, port.Target)
	}
	slices.Sort(published)
	if !slices.Equal(published, []uint32{80, 443}) {
		t.Errorf("nginx publishes %v, want 80 and 443", published)
	}

	b := svc("backup")
	if b.Build == nil || b.Build.Target != "backup" {
		t.Errorf("backup: build %+v, want the Dockerfile's backup stage", b.Build)
	}
	healthy(b, "db")
	mounted(b, "backups", "/backups")
	cmd := strings.Join(b.Command, " ")
	if cmd != "backup --to /backups --keep 14 --every 24h" {
		t.Errorf("backup command %q", cmd)
	}

	var vols []string
	for name := range p.Volumes {
		vols = append(vols, name)
	}
	slices.Sort(vols)
	if !slices.Equal(vols, []string{"backups", "pgdata"}) {
		t.Errorf("named volumes %q, want backups and pgdata", vols)
	}

	// The Dockerfile has the stages the compose file builds.
	df, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"AS backup", "AS app", `HEALTHCHECK`, `CMD ["/golf", "health"]`, "CGO_ENABLED=0", "USER 65532"} {
		if !strings.Contains(string(df), stage) {
			t.Errorf("Dockerfile lacks %q", stage)
		}
	}
}

// Without the secrets set, compose refuses to start rather than run with
// empty passwords.
func TestComposeNeedsSecrets(t *testing.T) {
	t.Parallel()
	for _, missing := range []string{"POSTGRES_PASSWORD", "GOLF_SECRET"} {
		var env []string
		for _, kv := range testEnv {
			if !strings.HasPrefix(kv, missing+"=") {
				env = append(env, kv)
			}
		}
		_, err := loadCompose(t, env)
		if err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: error %v, want one naming it", missing, err)
		}
	}
	p, err := loadCompose(t, append(testEnv, "BACKUP_KEEP=3", "BACKUP_EVERY=6h"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.GetService("backup")
	if err != nil {
		t.Fatal(err)
	}
	if cmd := strings.Join(b.Command, " "); cmd != "backup --to /backups --keep 3 --every 6h" {
		t.Errorf("backup command %q: want BACKUP_KEEP and BACKUP_EVERY from .env", cmd)
	}
}
