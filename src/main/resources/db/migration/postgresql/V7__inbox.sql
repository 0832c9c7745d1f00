-- GET /v1/inbox: the personal packets addressed to a user, newest first, read from this index rather than a scan.
-- Group packets have no to_user_id, so the index holds personal packets only. On the partitioned tables each day
-- partition gets its own index, those created later too; cold partitions keep theirs when they move.
CREATE INDEX packets_to_user ON packets (to_user_id, packet_id) WHERE to_user_id IS NOT NULL;
CREATE INDEX cold_packets_to_user ON cold.packets (to_user_id, packet_id) WHERE to_user_id IS NOT NULL;
