-- Binds this file's tables to their journal (journal.db), so that a journal lost, emptied or taken from another data
-- directory is refused instead of silently dropping acknowledged opens. journal_id is the random identity written in
-- both files when they are first bound; journal_open is 1 while a server has the journal open: after a stop that did
-- not close it (a kill -9, a power cut) acknowledged opens may live only in journal.db-wal, which must then be there.
ALTER TABLE journal_marks ADD COLUMN journal_id TEXT;
ALTER TABLE journal_marks ADD COLUMN journal_open INTEGER NOT NULL DEFAULT 0;
