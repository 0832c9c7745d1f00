-- Day partitions past the retention window move here (PostgresDayPartitions): out of the hot tables that opens
-- touch, still one query away. The *_all views are what lookups by id, group histories and the audit read.
CREATE SCHEMA cold;
CREATE TABLE cold.packets (LIKE public.packets INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (packet_id);
ALTER TABLE cold.packets ADD PRIMARY KEY (packet_id);
CREATE TABLE cold.claims (LIKE public.claims INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (packet_id);
ALTER TABLE cold.claims ADD PRIMARY KEY (packet_id, seq);
CREATE VIEW packets_all AS SELECT * FROM public.packets UNION ALL SELECT * FROM cold.packets;
CREATE VIEW claims_all AS SELECT * FROM public.claims UNION ALL SELECT * FROM cold.claims;
