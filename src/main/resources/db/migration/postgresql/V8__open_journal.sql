-- The write path appends each acknowledged open to this journal (new rows at the end of its key order) and derives
-- claims, transfers, balances and packet progress from it later, in large batches. journal_marks says how far the
-- derivation has got; it is updated in the same transaction as the rows derived, so each entry is applied once.
CREATE TABLE open_journal (
    op             BIGINT PRIMARY KEY,
    packet_id      BIGINT NOT NULL,
    seq            INTEGER NOT NULL,
    user_id        TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    at_ms          BIGINT NOT NULL,
    crediting      INTEGER NOT NULL,
    opened_amount  BIGINT NOT NULL,
    finished       INTEGER NOT NULL
);

CREATE TABLE journal_marks (
    id               INTEGER PRIMARY KEY CHECK (id = 0),
    derived_through  BIGINT NOT NULL
);
INSERT INTO journal_marks (id, derived_through) VALUES (0, 0);
