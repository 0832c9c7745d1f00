-- The same names as PostgreSQL's hot + cold views; SQLite keeps all history in one table.
CREATE VIEW packets_all AS SELECT * FROM packets;
CREATE VIEW claims_all AS SELECT * FROM claims;
