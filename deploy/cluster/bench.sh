#!/usr/bin/env bash
# The cluster bench: 1, 2 and 3 node processes over the same three PostgreSQL SETs, behind nginx with the map
# `cluster-nginx` prints; fresh opens through nginx with wrk. Prints, per node count: successful opens/s (the nodes'
# hongbao_opens_total{outcome="ok"}), wrk's p50/p99, and opens per CPU-second the node processes used; under it,
# where the nodes' CPU went, by thread (deploy/wrk/thread-cpu.sh), with IDLE=1 also over 10 s idle after it.
#
#   deploy/cluster/bench.sh            (from the project directory, after `mvn -q package -DskipTests`)
#   NODE_COUNTS="1-direct 1 2" deploy/cluster/bench.sh    (1-direct: one node without nginx in front)
#   JAR=/tmp/other/hongbao.jar deploy/cluster/bench.sh    (another build; its lib/ beside it)
#
# Needs: a JDK 21+ as java (or JAVA_HOME), PostgreSQL at $PG (a superuser URL: it creates and drops databases
# hongbao_cluster_bench_*), nginx and wrk on the PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/wrk/thread-cpu.sh

PG=${PG:-postgresql://postgres@127.0.0.1:5432/postgres}
DURATION=${DURATION:-15s}
WARM_UP=${WARM_UP:-5s}
NODE_COUNTS=${NODE_COUNTS:-1 2 3}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR=${JAR:-target/hongbao.jar}
ADMIN_KEY=cluster-bench-admin-key-0123456789
WORK=$(mktemp -d /tmp/hongbao-cluster-bench.XXXXXX)
PIDS=()

stop_all() {
  # nginx gets SIGTERM, so that its master stops its workers (killed, it would leave them holding the port).
  if [ -n "${NGINX_PID:-}" ]; then kill -TERM "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
  NGINX_PID=
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT

database() {  # database NAME: a fresh database; prints its URL
  psql -q "$PG" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "${PG%/*}/$1"
}

cpu_ticks() {  # the user+system clock ticks of the given processes
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}

counted() {  # counted PATTERN PORT...: the sum of the series matching PATTERN over the nodes on these ports
  local pattern=$1 total=0 port
  shift
  for port in "$@"; do
    total=$((total + $(curl -s "http://127.0.0.1:$port/metrics" \
      | awk -v p="$pattern" '$0 ~ p {sum += $2} END {printf "%d", sum}')))
  done
  echo "$total"
}
OK_OPENS='^hongbao_opens_total[{].*outcome="ok"'
PASSED_ON='^hongbao_passed_on_total[{]'


wait_for() {  # wait_for FILE TEXT: until the file holds the text (a node's log line)
  for _ in $(seq 1 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; return 1
}

printf '%-6s %-12s %-10s %-10s %-14s %-10s %s\n' nodes opens/s p50_ms p99_ms opens/cpu-s passed_on "SETs per node"
for entry in $NODE_COUNTS; do
  # "1-direct": one node, and wrk talks to it without nginx (the baseline a node behind nginx is compared with).
  nodes=${entry%-direct}
  stop_all
  store=$(database "hongbao_cluster_bench_${nodes}_0"),$(database "hongbao_cluster_bench_${nodes}_1"),$(database "hongbao_cluster_bench_${nodes}_2")
  # SET s belongs to node s mod nodes, as cluster-nginx assumes by default.
  ports=() node_args=() owned_by=()
  for ((n = 0; n < nodes; n++)); do ports+=($((18081 + n))); owned_by+=(""); done
  for set in 0 1 2; do
    n=$((set % nodes))
    owned_by[$n]=${owned_by[$n]:+${owned_by[$n]},}$set
  done
  for ((n = 0; n < nodes; n++)); do node_args+=(--node "$n=127.0.0.1:${ports[$n]}"); done
  for ((n = 0; n < nodes; n++)); do
    dir=$WORK/$entry/node-$n; mkdir -p "$dir"
    echo "cluster-bench-token-secret-shared-by-all" > "$dir/token.secret"
    HONGBAO_STORE=$store HONGBAO_ADMIN_KEY=$ADMIN_KEY HONGBAO_PAYMENT_KEY=cluster-bench-payment-key \
      "$JAVA" -XX:+UseParallelGC -jar "$JAR" serve --host 127.0.0.1 --port "${ports[$n]}" --data-dir "$dir" \
      --own "${owned_by[$n]}" --node-url "http://127.0.0.1:${ports[$n]}" >"$dir/log" 2>&1 &
    PIDS+=($!)
  done
  node_pids=("${PIDS[@]}")
  for ((n = 0; n < nodes; n++)); do wait_for "$WORK/$entry/node-$n/log" "hongbao listening on"; done

  url=http://127.0.0.1:${ports[0]}
  if [ "$entry" = "$nodes" ]; then
    url=http://127.0.0.1:18080
    mkdir -p "$WORK/$entry/nginx"
    "$JAVA" -jar "$JAR" cluster-nginx --sets 3 "${node_args[@]}" --listen 127.0.0.1:18080 \
      >"$WORK/$entry/nginx/nginx.conf"
    nginx -p "$WORK/$entry/nginx" -c "$WORK/$entry/nginx/nginx.conf" -g 'daemon off;' &
    NGINX_PID=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "$url/health" && break; sleep 0.1; done
  fi

  "$JAVA" -jar "$JAR" bench --http "$url" --admin-key "$ADMIN_KEY" \
    --wrk-plan "$WORK/$entry/plan.txt" >"$WORK/$entry/setup.log" 2>&1
  # A fifth of the plan warms the nodes' JIT up; the rest is measured (wrk starts each plan from its first line).
  lines=$(wc -l <"$WORK/$entry/plan.txt")
  head -n $((lines / 5)) "$WORK/$entry/plan.txt" >"$WORK/$entry/warm.txt"
  tail -n +$((lines / 5 + 1)) "$WORK/$entry/plan.txt" >"$WORK/$entry/measured.txt"
  PLAN=$WORK/$entry/warm.txt WRK_THREADS=2 wrk -t2 -c200 -d"$WARM_UP" -s deploy/wrk/opens.lua "$url" >/dev/null
  before_ok=$(counted "$OK_OPENS" "${ports[@]}")
  before_passed=$(counted "$PASSED_ON" "${ports[@]}")
  before_cpu=$(cpu_ticks "${node_pids[@]}"); thread_ticks "${node_pids[@]}" >"$WORK/$entry/threads.before"
  PLAN=$WORK/$entry/measured.txt WRK_THREADS=2 wrk -t2 -c200 -d"$DURATION" -s deploy/wrk/opens.lua \
    "$url" >"$WORK/$entry/wrk.txt"
  after_cpu=$(cpu_ticks "${node_pids[@]}"); thread_ticks "${node_pids[@]}" >"$WORK/$entry/threads.after"
  after_ok=$(counted "$OK_OPENS" "${ports[@]}")
  after_passed=$(counted "$PASSED_ON" "${ports[@]}")
  seconds=$(awk '/^requests/ {print $4}' "$WORK/$entry/wrk.txt")
  p50=$(awk '/^requests/ {print $8}' "$WORK/$entry/wrk.txt")
  p99=$(awk '/^requests/ {print $11}' "$WORK/$entry/wrk.txt")
  ok=$((after_ok - before_ok))
  cpu_seconds=$(awk -v t=$((after_cpu - before_cpu)) -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')
  printf '%-6s %-12.0f %-10s %-10s %-14.0f %-10s %s\n' "$entry" "$(awk -v o=$ok -v s="$seconds" 'BEGIN {print o / s}')" \
    "$p50" "$p99" "$(awk -v o=$ok -v c="$cpu_seconds" 'BEGIN {print o / c}')" "$((after_passed - before_passed))" \
    "${owned_by[*]}"
  thread_split "$WORK/$entry/threads.before" "$WORK/$entry/threads.after" 10
  if [ "${IDLE:-0}" = 1 ]; then
    thread_ticks "${node_pids[@]}" >"$WORK/$entry/idle.before"; sleep 10
    thread_ticks "${node_pids[@]}" >"$WORK/$entry/idle.after"
    echo "  idle 10 s: $(thread_split "$WORK/$entry/idle.before" "$WORK/$entry/idle.after" 10)"
  fi
  audit=$(curl -s -H "Authorization: Bearer $ADMIN_KEY" "$url/v1/admin/audit")
  case "$audit" in *'"balanced":true'*) ;; *) echo "audit after $nodes node(s) does not balance: $audit" >&2; exit 1 ;; esac
done
