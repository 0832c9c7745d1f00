-- GET /v1/inbox: the personal packets addressed to a user, newest first, read from this index rather than a scan.
-- Group packets have no to_user_id, so the index holds personal packets only.
CREATE INDEX packets_to_user ON packets (to_user_id, packet_id) WHERE to_user_id IS NOT NULL;
