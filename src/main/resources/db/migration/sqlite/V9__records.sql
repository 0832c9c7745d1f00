-- GET /v1/packets?role=received: a user's claims of a year, newest first, and the year's count and sum, read as
-- one range of this index (amount is in it, so the totals need no row lookups).
CREATE INDEX claims_by_user ON claims (user_id, claimed_ms, packet_id, amount);
-- GET /v1/packets?role=sent: a packet id starts with its creation time, so a sender's year is one range here.
CREATE INDEX packets_sender ON packets (sender_id, packet_id);
