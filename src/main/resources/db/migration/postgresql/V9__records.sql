-- GET /v1/packets?role=received: a user's claims of a year, newest first, and the year's count and sum, read as
-- one range of this index in each day partition (amount is included, so the totals need no heap lookups).
-- On the partitioned tables each day partition gets its own index, those created later too; cold partitions keep
-- theirs when they move. Building them locks the tables against writes once, for as long as it takes.
CREATE INDEX claims_by_user ON claims (user_id, claimed_ms, packet_id) INCLUDE (amount);
CREATE INDEX cold_claims_by_user ON cold.claims (user_id, claimed_ms, packet_id) INCLUDE (amount);
-- GET /v1/packets?role=sent: a packet id starts with its creation time, so a sender's year is one range here,
-- and only the year's day partitions are read.
CREATE INDEX packets_sender ON packets (sender_id, packet_id);
CREATE INDEX cold_packets_sender ON cold.packets (sender_id, packet_id);
