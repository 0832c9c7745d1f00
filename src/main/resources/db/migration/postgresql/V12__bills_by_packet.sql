-- Packet views name a merchant's packet by its bill's send_name (as WeChat does), not by the merchant's wallet id:
-- the bill of a packet, read by packet id.
CREATE INDEX merchant_bills_by_packet ON merchant_bills (packet_id);
