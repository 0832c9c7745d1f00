-- Cross-SET credits waiting for the relay: written with the claim, deleted when the wallet's SET has the money.
CREATE TABLE credit_outbox (
    packet_id   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    user_id     TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    from_set    INTEGER NOT NULL,
    to_set      INTEGER NOT NULL,
    claimed_ms  INTEGER NOT NULL,
    PRIMARY KEY (packet_id, seq)
) WITHOUT ROWID;

-- Which SET of which layout this database is; checked on every start, since a misrouted wallet would be lost money.
CREATE TABLE set_placement (
    set_index   INTEGER NOT NULL,
    set_count   INTEGER NOT NULL,
    shards      INTEGER NOT NULL
);
