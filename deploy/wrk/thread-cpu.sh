# Sourced by open-vs-grab.sh and deploy/cluster/bench.sh: where a server's CPU went, by thread, from /proc.
#   thread_ticks PID... > FILE     each thread's id, name and user+system clock ticks so far
#   thread_split BEFORE AFTER [N]  the N (8) thread groups that used the most CPU in between, with their share;
#                                  a group is a name without its trailing digits (shard-worker-0 and -1 are one)

thread_ticks() {
  local pid task
  for pid in "$@"; do
    for task in /proc/"$pid"/task/*; do
      # A thread may end between the listing and the read: it is left out.
      awk -v id="$pid/${task##*/}" -v name="$(cat "$task/comm" 2>/dev/null)" \
        '{ sub(/^.*\) /, ""); print id "|" name "|" $12 + $13 }' "$task/stat" 2>/dev/null || true
    done
  done
}

thread_split() {
  awk -F'|' -v top="${3:-8}" -v hz="$(getconf CLK_TCK)" '
    NR == FNR { before[$1] = $3; next }
    { group = $2; sub(/[0-9#]+$/, "", group); used[group] += $3 - before[$1]; total += $3 - before[$1] }
    END {
      if (total == 0) { exit }
      n = asorti(used, names, "@val_num_desc")
      line = sprintf("  cpu %.2f s:", total / hz)
      for (i = 1; i <= n && i <= top; i++) { line = line sprintf(" %s %.0f%%;", names[i], 100 * used[names[i]] / total) }
      print line
    }' "$1" "$2"
}
