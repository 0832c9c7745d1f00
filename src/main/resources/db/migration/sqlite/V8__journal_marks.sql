-- The write path appends each acknowledged open to a journal (a separate file, journal.db, so that appending never
-- waits for this file's writer) and derives claims, transfers, balances and packet progress from it later, in large
-- batches. This row says how far the derivation has got: journal entries up to this op are in the tables here,
-- committed in the same transaction as the rows derived from them, so recovery applies each entry exactly once.
CREATE TABLE journal_marks (
    id               INTEGER PRIMARY KEY CHECK (id = 0),
    derived_through  INTEGER NOT NULL
);
INSERT INTO journal_marks (id, derived_through) VALUES (0, 0);
