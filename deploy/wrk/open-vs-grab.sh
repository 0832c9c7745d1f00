#!/usr/bin/env bash
# Fresh opens against grabs over HTTP, one server at a time, each on a fresh store: `bench --http URL --wrk-plan`
# sets a storm's packets up (2,000 packets, 108,691 shares) and writes one fresh open per share; wrk grabs for
# $GRABS (grabs take nothing, so the same plan serves both), then opens for $OPENS. Before that, a second plan of its
# own is opened for $WARM_UP, so that the open's path (engine, journal, derivation, events) is compiled by the JIT
# before it is measured, as the grab's is by the grabs (WARM_UP=0 to measure a cold open, as before issue 24).
# Prints per run: successful opens/s (the server's hongbao_opens_total{outcome="ok"} over wrk's time), grabs/s, their
# ratio, wrk's p99 of each, and the opens and grabs per CPU-second of the server process; under it, where the
# server's CPU went while it grabbed and while it opened, by thread (thread-cpu.sh; ForkJoinPool-1- are the carriers
# of the request threads, which are virtual).
#
#   deploy/wrk/open-vs-grab.sh [JAR ...]   (from the project directory; default target/hongbao.jar; a jar needs its
#                                          lib/ beside it, so copy both to compare another build)
#
# With several jars (say main's, copied to /tmp, and this branch's), each round runs every jar once, the order
# rotated each round, and the medians per jar are printed at the end. Settings (environment):
#   ROUNDS=3  CONNECTIONS=200  GRABS=8s  OPENS=3s (at 36k opens/s the plan lasts 3 s)  WARM_UP=3s
#   PG=postgresql://postgres@127.0.0.1:5432/postgres  a PostgreSQL node instead of SQLite (a fresh database per run)
#   SERVER_OPTS="-XX:StartFlightRecording=..."        extra JVM options for the server
# Needs: a JDK 21+ as java (or JAVA_HOME), wrk, curl; with PG also psql.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/wrk/thread-cpu.sh

ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-200}
GRABS=${GRABS:-8s}
OPENS=${OPENS:-3s}
WARM_UP=${WARM_UP:-3s}
PG=${PG:-}
SERVER_OPTS=${SERVER_OPTS:-}
PORT=${PORT:-18090}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
ADMIN_KEY=open-vs-grab-admin-key-0123456789
URL=http://127.0.0.1:$PORT
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=(target/hongbao.jar)
WORK=$(mktemp -d /tmp/hongbao-open-vs-grab.XXXXXX)
SERVER_PID=
ulimit -n 65536 2>/dev/null || true

stop_server() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=
}
drop_database() {
  if [ -n "$PG" ]; then psql -q "$PG" -c "DROP DATABASE IF EXISTS hongbao_open_vs_grab" >/dev/null 2>&1 || true; fi
}
trap 'stop_server; drop_database; rm -rf "$WORK"' EXIT

ok_opens() {
  curl -s "$URL/metrics" | awk '/^hongbao_opens_total[{].*outcome="ok"/ {sum += $2} END {printf "%d", sum}'
}

cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"
}

wrk_field() {  # wrk_field FILE N: the N-th field of the line the plan's done() prints
  awk -v n="$2" '/^requests/ {print $n}' "$1"
}

run() {  # run JAR LABEL: one server, one plan, grabs then opens; appends a line to $WORK/results
  local jar=$1 label=$2 dir=$WORK/run store
  rm -rf "$dir"; mkdir -p "$dir"
  store=()
  if [ -n "$PG" ]; then
    psql -q "$PG" -c "DROP DATABASE IF EXISTS hongbao_open_vs_grab" -c "CREATE DATABASE hongbao_open_vs_grab" >/dev/null
    store=(--store "${PG%/*}/hongbao_open_vs_grab")
  fi
  # shellcheck disable=SC2086
  HONGBAO_ADMIN_KEY=$ADMIN_KEY HONGBAO_PAYMENT_KEY=open-vs-grab-payment-key "$JAVA" $SERVER_OPTS -jar "$jar" serve \
    --host 127.0.0.1 --port "$PORT" --data-dir "$dir" "${store[@]}" >"$dir/log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -s -o /dev/null "$URL/health" && break; sleep 0.1; done
  curl -s -o /dev/null "$URL/health" || { echo "$label: the server did not start" >&2; tail -20 "$dir/log" >&2; exit 1; }
  "$JAVA" -jar "$jar" bench --http "$URL" --admin-key "$ADMIN_KEY" --wrk-plan "$dir/plan.txt" >"$dir/setup.log" 2>&1 \
    || { echo "$label: the set-up failed" >&2; tail -20 "$dir/setup.log" >&2; exit 1; }
  if [ "$WARM_UP" != 0 ]; then
    "$JAVA" -jar "$jar" bench --http "$URL" --admin-key "$ADMIN_KEY" --wrk-plan "$dir/warm-up.txt" >>"$dir/setup.log" 2>&1
    PLAN=$dir/warm-up.txt WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"$WARM_UP" -s deploy/wrk/opens.lua "$URL" >/dev/null
  fi
  local before_ok before_cpu after_ok after_cpu grab_cpu
  before_cpu=$(cpu_ticks); thread_ticks "$SERVER_PID" >"$dir/grabs.before"
  PLAN=$dir/plan.txt WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"$GRABS" -s deploy/wrk/grabs.lua "$URL" >"$dir/grabs.txt"
  grab_cpu=$(($(cpu_ticks) - before_cpu)); thread_ticks "$SERVER_PID" >"$dir/grabs.after"
  before_ok=$(ok_opens); before_cpu=$(cpu_ticks); thread_ticks "$SERVER_PID" >"$dir/opens.before"
  PLAN=$dir/plan.txt WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"$OPENS" -s deploy/wrk/opens.lua "$URL" >"$dir/opens.txt"
  after_cpu=$(cpu_ticks); after_ok=$(ok_opens); thread_ticks "$SERVER_PID" >"$dir/opens.after"
  local audit
  audit=$(curl -s -H "Authorization: Bearer $ADMIN_KEY" "$URL/v1/admin/audit")
  case "$audit" in *'"balanced":true'*) ;; *) echo "$label: the audit does not balance: $audit" >&2; exit 1 ;; esac
  stop_server
  awk -v label="$label" -v ok=$((after_ok - before_ok)) -v s="$(wrk_field "$dir/opens.txt" 4)" \
    -v grabs="$(wrk_field "$dir/grabs.txt" 6)" -v gp99="$(wrk_field "$dir/grabs.txt" 11)" \
    -v op99="$(wrk_field "$dir/opens.txt" 11)" -v ticks=$((after_cpu - before_cpu)) -v hz="$(getconf CLK_TCK)" \
    -v grab_requests="$(wrk_field "$dir/grabs.txt" 2)" -v grab_ticks="$grab_cpu" \
    'BEGIN { sub(/\/s;?/, "", grabs); opens = ok / s;
             printf "%-28s %10.0f %10.0f %7.2f %10s %10s %12.0f %12.0f\n", label, opens, grabs, opens / grabs, op99, gp99,
                    ok / (ticks / hz), grab_requests / (grab_ticks / hz) }' | tee -a "$WORK/results"
  echo "  grabs $(thread_split "$dir/grabs.before" "$dir/grabs.after")"
  echo "  opens $(thread_split "$dir/opens.before" "$dir/opens.after")"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); ${CONNECTIONS} connections; store: ${PG:-SQLite}"
printf '%-28s %10s %10s %7s %10s %10s %12s %12s\n' jar opens/s grabs/s ratio open_p99 grab_p99 opens/cpu-s grabs/cpu-s
for ((round = 0; round < ROUNDS; round++)); do
  for ((i = 0; i < ${#JARS[@]}; i++)); do
    jar=${JARS[$(((i + round) % ${#JARS[@]}))]}
    run "$jar" "$jar"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians:"
for jar in "${JARS[@]}"; do
  awk -v jar="$jar" '$1 == jar' "$WORK/results" | awk -v jar="$jar" '
    { for (c = 2; c <= 8; c++) { v[c][NR] = $c + 0 } }
    END { printf "%-28s", jar
          for (c = 2; c <= 8; c++) { n = asort(v[c], s); m = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
            printf(c == 4 ? " %7.2f" : " %10.1f", m) }
          printf "\n" }'
done
