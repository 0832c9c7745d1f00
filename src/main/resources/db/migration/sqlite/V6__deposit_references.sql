-- A deposit's bank reference, recorded in the SET its reference hashes to before the wallet (in the user's SET) is
-- credited: the transfer id deposit:<reference> is unique only within one database, this row makes the reference
-- unique across every SET of the deployment.
CREATE TABLE deposit_references (
    reference   TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    at_ms       INTEGER NOT NULL
) WITHOUT ROWID;
