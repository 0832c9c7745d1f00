#!/bin/sh
# What a synchronous standby costs a storm: `hongbao bench --scenarios storm --designs engine` against one PostgreSQL
# primary of its own, alone and then with a streaming standby at each synchronous level given, interleaved (the order
# rotated every round), on this machine's loopback. The primary and standby are made here, as DatabaseFailoverIT's
# ReplicatedPostgres makes them (Debian's PostgreSQL 15, initdb and pg_basebackup on free ports), but with fsync on:
# the cost of waiting for a second disk is the point. Run from the project after `mvn -q -DskipTests package`:
#
#   deploy/ha/bench-sync-standby.sh [ROUNDS] [LEVELS]     # defaults: 3 rounds, level "on"
# (HONGBAO=path/to/hongbao runs another build: a copy, so that rebuilding the project meanwhile is safe)
#
# "alone": no standby at all. "on": commits wait for the standby's flush (what docs/cluster.md recommends);
# "remote_write": for its kernel; "remote_apply": for its replay. Prints one line per run and a table of medians.
# As root (CI, containers), the servers run as the user postgres (initdb refuses root).
set -eu
ROUNDS=${1:-3}
LEVELS=${2:-on}
# 200 clients: the storm of BENCHMARKS.md's headline figure; smaller batches, so more commits wait for the standby.
STORM_CLIENTS=${STORM_CLIENTS:-200}
BIN=/usr/lib/postgresql/15/bin
HONGBAO=${HONGBAO:-$(cd "$(dirname "$0")/../.." && pwd)/target/hongbao}
[ -x "$BIN/initdb" ] || { echo "bench-sync-standby: PostgreSQL 15's server binaries are not in $BIN" >&2; exit 2; }
[ -x "$HONGBAO" ] || { echo "bench-sync-standby: build first: mvn -q -DskipTests package" >&2; exit 2; }

DIR=$(mktemp -d /tmp/hongbao-sync-bench-XXXXXX)
chmod 700 "$DIR"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PRIMARY_PORT=$(free_port)
STANDBY_PORT=$(free_port)
ctl() { as_postgres "$BIN/pg_ctl" -D "$DIR/$1" -l "$DIR/$1.log" -w -t 60 \
    -o "-p $2 -k $DIR -c listen_addresses=127.0.0.1" "$3" >/dev/null; }
sql() { as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"; }
cleanup() {
    for server in primary standby; do
        [ -f "$DIR/$server/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DIR/$server" -m immediate -w stop >/dev/null
    done
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

as_postgres "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust >/dev/null
cat >>"$DIR/primary/postgresql.conf" <<EOF
wal_level = replica
max_wal_senders = 4
wal_keep_size = 1GB
synchronous_standby_names = ''
max_connections = 100
EOF
ctl primary "$PRIMARY_PORT" start
# A replication slot keeps the WAL the standby has not received while it is stopped for the "alone" runs: without it,
# two storms' WAL outgrow wal_keep_size, and the restarted standby can never catch up.
as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/standby" -X stream -R \
    --checkpoint=fast --create-slot --slot=bench_standby
echo "synchronous_standby_names = ''" >>"$DIR/standby/postgresql.conf"

standby_running() { [ -f "$DIR/standby/postmaster.pid" ]; }
# One set-up per run: "alone" stops the standby; a level starts it (if need be) and waits until it is synchronous.
set_up() {
    if [ "$1" = alone ]; then
        sql "ALTER SYSTEM SET synchronous_standby_names = ''"
        sql "SELECT pg_reload_conf()" >/dev/null
        standby_running && as_postgres "$BIN/pg_ctl" -D "$DIR/standby" -m fast -w stop >/dev/null
        return 0
    fi
    standby_running || ctl standby "$STANDBY_PORT" start
    sql "ALTER SYSTEM SET synchronous_standby_names = '*'"
    sql "ALTER SYSTEM SET synchronous_commit = '$1'"
    sql "SELECT pg_reload_conf()" >/dev/null
    # Catching up on the WAL of the runs it missed takes a while after a storm.
    deadline=$(($(date +%s) + 300))
    until [ "$(sql "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync' AND state = 'streaming'")" = 1 ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "bench-sync-standby: the standby is not synchronous after 300 s" >&2; exit 1; }
        sleep 0.1
    done
}

URL="postgresql://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
MODES="alone $LEVELS"
echo "bench-sync-standby: $ROUNDS rounds of: $MODES; storm, $STORM_CLIENTS clients; load average $(cut -d' ' -f1-3 /proc/loadavg)"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    # Rotate the order each round, so that no mode always runs first (a cold cache) or last.
    order=$(echo "$MODES" | tr ' ' '\n' | awk -v r="$round" '{m[NR-1]=$0} END {for (i=0;i<NR;i++) print m[(i+r-1)%NR]}')
    for mode in $order; do
        set_up "$mode"
        # A run whose audit outlasts the pool's 4 s statement bound (a loaded machine) is run once more, and says so.
        for try in 1 2; do
            if "$HONGBAO" bench --scenarios storm --designs engine --storm-clients "$STORM_CLIENTS" --postgres "$URL" \
                --out "$DIR/$mode-$round.json" >"$DIR/$mode-$round.out" 2>&1; then
                break
            fi
            echo "round $round $mode: the run failed ($(grep -m1 -o 'StoreException: .*' "$DIR/$mode-$round.out"))"
            [ "$try" = 1 ] || { tail -20 "$DIR/$mode-$round.out" >&2; exit 1; }
        done
        jq -r --arg mode "$mode" --arg round "$round" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
            '.scenarios[0].designs[0] | "round \($round) \($mode): \(.opensPerSecondMedian | floor) opens/s, p99 \(.p99Micros / 1000 | floor) ms (median of \(.reps)), load \($load)"' \
            "$DIR/$mode-$round.json"
    done
    round=$((round + 1))
done

echo
echo "| mode | opens/s (median of rounds) | ratio to alone | p99 ms (median) |"
echo "|---|---:|---:|---:|"
alone=$(jq -s '[.[].scenarios[0].designs[0].opensPerSecondMedian] | sort | .[length/2|floor]' "$DIR"/alone-*.json)
for mode in $MODES; do
    jq -rs --argjson alone "$alone" --arg mode "$mode" '
        def median: sort | .[length/2|floor];
        ([.[].scenarios[0].designs[0].opensPerSecondMedian] | median) as $opens
        | ([.[].scenarios[0].designs[0].p99Micros] | median) as $p99
        | "| \($mode) | \($opens | floor) | \($opens / $alone * 100 | floor / 100) | \($p99 / 1000 | floor) |"' \
        "$DIR/$mode"-*.json
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
