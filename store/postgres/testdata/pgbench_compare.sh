#!/usr/bin/env bash
# Compares Append throughput with what pgbench gets from the same server for
# durable single-row inserts, interleaving the two for each concurrency so
# that both see the same background load. See docs/BENCHMARKS.md.
#
#   GOLF_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
#     store/postgres/testdata/pgbench_compare.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")"
url=${GOLF_TEST_DATABASE_URL:?set GOLF_TEST_DATABASE_URL}
rounds=${1:-3}
bin=$(mktemp -d)/postgres.test
go test -c -o "$bin" ..
psql "$url" -q -f pgbench_setup.sql
trap 'psql "$url" -q -c "DROP TABLE IF EXISTS pgbench_events"; rm -f "$bin"' EXIT
for n in 1 16 64 256; do
  c=$n
  max=$(psql "$url" -Atc 'SHOW max_connections')
  if (( c > max - 10 )); then c=$((max - 10)); fi
  for _ in $(seq "$rounds"); do
    printf 'pgbench clients=%d: ' "$c"
    pgbench -n -c "$c" -j 2 -T 10 -f pgbench_insert.sql "$url" 2>/dev/null |
      awk '/^latency average/{lat=$4} /^tps/{print $3 " tps, mean latency " lat " ms"}'
    GOLF_TEST_DATABASE_URL=$url "$bin" -test.run '^$' -test.bench "Append/games=$n\$" -test.benchtime 10s | grep '^Benchmark'
  done
done
uptime
