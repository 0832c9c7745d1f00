-- A bank reference of a deposit or a withdrawal, recorded in the SET the reference hashes to before the wallet (in
-- the user's SET) moves: the transfer id deposit:<reference> or withdrawal:<reference> is unique only within one
-- database, this row makes the reference unique across every SET of the deployment.
CREATE TABLE bank_references (
    kind        TEXT NOT NULL,
    reference   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    at_ms       BIGINT NOT NULL,
    PRIMARY KEY (kind, reference)
);
