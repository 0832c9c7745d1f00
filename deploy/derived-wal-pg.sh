#!/bin/bash
# WAL bytes and dirtied buffers of a derived open's rows on PostgreSQL, main's schema (V1..V13) vs V14,
# from EXPLAIN (ANALYZE, WAL, BUFFERS) of each batch's statements: counts of this session's statements only.
set -e
URL=${PG:-postgresql://postgres@127.0.0.1:5432}
MIG=$(dirname "$0")/../src/main/resources/db/migration/postgresql
variant=$1; db=derived_rows_wal_$(echo $variant | tr A-Z a-z)
psql $URL/postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
upto=$([ $variant = B ] && echo 14 || echo 13)
for v in $(seq 1 $upto); do psql -q -v ON_ERROR_STOP=1 $URL/$db -f $(ls $MIG/V${v}__*.sql) > /dev/null; done
psql -q $URL/$db <<SQL
INSERT INTO accounts SELECT 'wallet:u' || u, 1000000 FROM generate_series(0, 19999) u;
INSERT INTO accounts SELECT 'escrow:' || s, 10000000 FROM generate_series(0, 63) s;
INSERT INTO packets SELECT (1::bigint << 40) + (i::bigint << 22) + ((i % 64)::bigint << 16), 'GROUP', 'u0', 'g', NULL, 'x', 5400, 54, '',
  'OPEN', 1, 0, 1, NULL, 0, 0, 0 FROM generate_series(0, 1999) i;
-- the opens, shuffled: packet i's share s goes to user (i * 7919 + s * 104729) % 20000
CREATE TABLE opens AS SELECT row_number() OVER (ORDER BY md5(i::text || ':' || s)) AS n,
  (1::bigint << 40) + (i::bigint << 22) + ((i % 64)::bigint << 16) AS packet_id, s AS seq,
  'u' || ((i * 7919 + s * 104729) % 20000) AS user_id FROM generate_series(0, 1999) i, generate_series(1, 54) s;
CREATE INDEX ON opens (n);
VACUUM ANALYZE;
CHECKPOINT;
SQL
total_wal=0; total_dirty=0
for b in $(seq 0 119); do
  lo=$((b * 900 + 1)); hi=$((b * 900 + 900))
  if [ $variant = B ]; then
    stmts="INSERT INTO claims (packet_id, seq, user_id, amount, claimed_ms, credited, ledger_seq, balance_after) SELECT packet_id, seq, user_id, 100, 1, 1, n, 1 FROM opens WHERE n BETWEEN $lo AND $hi"
  else
    stmts="INSERT INTO claims (packet_id, seq, user_id, amount, claimed_ms, credited) SELECT packet_id, seq, user_id, 100, 1, 1 FROM opens WHERE n BETWEEN $lo AND $hi;
INSERT INTO transfers (transfer_id, kind, from_account, to_account, amount, from_balance_after, to_balance_after, packet_id, at_ms) SELECT 'claim:' || packet_id || ':' || seq, 'CLAIM', 'escrow:' || ((packet_id >> 16) & 63), 'wallet:' || user_id, 100, 1, 1, packet_id, 1 FROM opens WHERE n BETWEEN $lo AND $hi"
  fi
  stmts="$stmts;
UPDATE accounts a SET balance = balance + 100 FROM (SELECT DISTINCT 'wallet:' || user_id AS account_id FROM opens WHERE n BETWEEN $lo AND $hi) w WHERE a.account_id = w.account_id;
UPDATE packets p SET opened_count = opened_count + 1 FROM (SELECT DISTINCT packet_id FROM opens WHERE n BETWEEN $lo AND $hi) o WHERE p.packet_id = o.packet_id"
  out=$( { echo "BEGIN;"; echo "$stmts" | sed 's/;$//' | sed 's/^/EXPLAIN (ANALYZE, WAL, BUFFERS, FORMAT JSON) /; s/$/;/'; echo "COMMIT;"; } | psql -qAt $URL/$db)
  wal=$(echo "$out" | grep -o '"WAL Bytes": [0-9]*' | awk '{s+=$3} END {print s}')
  dirty=$(echo "$out" | grep -o '"Shared Dirtied Blocks": [0-9]*' | awk '{s+=$4} END {print s}')
  total_wal=$((total_wal + wal)); total_dirty=$((total_dirty + dirty))
done
echo "$variant: opens 108000, WAL bytes per open $(echo "scale=1; $total_wal / 108000" | bc), blocks dirtied per open (sum over plan nodes) $(echo "scale=3; $total_dirty / 108000" | bc)"
psql $URL/postgres -qc "DROP DATABASE $db"
