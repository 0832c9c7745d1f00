#!/usr/bin/env bash
# Starts the service on a SET filled by fill-directory.sql and reports what the directory costs at scale: the time
# from starting the process to /ready answering 200, the heap in use after a full GC (and the process's RSS), then a
# few requests that check memberships against that data (a member's open, a non-member's refusal), cold and warm.
#
#   deploy/scale/measure-start.sh target/hongbao.jar postgresql://postgres@127.0.0.1:5432/hongbao_scale [port] [java flags...]
#
# The users and groups are those of fill-directory.sql (u1.., g1.., group j = users (j-1)*10+1 .. j*10).
set -euo pipefail
jar=$1
store=$2
port=${3:-18090}
shift $(( $# < 3 ? $# : 3 ))
work=$(mktemp -d)
key=scale-measure-admin-key-0123456789
url=http://127.0.0.1:$port

started=$(date +%s%N)
java "$@" -jar "$jar" serve --store "$store" --host 127.0.0.1 --port "$port" --data-dir "$work" --admin-key "$key" \
    --drain-seconds 0 > "$work/log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "$url/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the service exited before it was ready:"; tail -20 "$work/log"; exit 1
    fi
    sleep 0.05
done
ready=$(date +%s%N)
echo "ready after: $(( (ready - started) / 1000000 )) ms"
jcmd "$pid" GC.run > /dev/null
echo "heap after full GC: $(jcmd "$pid" GC.heap_info | grep -m1 -o 'used [0-9]*K')"
echo "RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"

admin=(-H "Authorization: Bearer $key")
token() {
    curl -sf -XPOST "$url/v1/admin/users/$1/tokens" "${admin[@]}" | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
# prints the status and the time in ms of one request
timed() {
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@" | awk '{printf "%s in %.1f ms\n", $1, $2 * 1000}'
}
reference="scale-$(date +%s%N)"
curl -sf -o /dev/null -XPOST "$url/v1/admin/users/u1/deposits" "${admin[@]}" -d "{\"amount\":10000,\"reference\":\"$reference\"}"
u1=$(token u1); u2=$(token u2); u3=$(token u3); u11=$(token u11)
packet=$(curl -sf -XPOST "$url/v1/packets" -H "Authorization: Bearer $u1" \
    -d '{"kind":"GROUP_EQUAL","groupId":"g1","total":300,"count":3}' | sed 's/^{"id":"\([0-9]*\)".*/\1/')
echo "u2 (member of g1) opens:        $(timed -XPOST "$url/v1/packets/$packet/open" -H "Authorization: Bearer $u2")"
echo "u3 (member of g1) opens:        $(timed -XPOST "$url/v1/packets/$packet/open" -H "Authorization: Bearer $u3")"
echo "u11 (not in g1) is refused:     $(timed -XPOST "$url/v1/packets/$packet/open" -H "Authorization: Bearer $u11")"
far=$(token u7654321)  # in g765433
echo "u7654321, g765433's history, first: $(timed "$url/v1/groups/g765433/packets" -H "Authorization: Bearer $far")"
echo "u7654321, g765433's history, again: $(timed "$url/v1/groups/g765433/packets" -H "Authorization: Bearer $far")"
echo "u7654321, g1's history (refused):   $(timed "$url/v1/groups/g1/packets" -H "Authorization: Bearer $far")"
echo "u7654321's groups:                  $(timed "$url/v1/groups" -H "Authorization: Bearer $far")"
