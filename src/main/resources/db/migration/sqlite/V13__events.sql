-- The SET's event log (docs/events.md): one row per change the host app and the clients may learn of, written in the
-- transaction (or journal derivation) that makes the change, so an event exists if and only if its change does.
-- seq is the SET's own order: taken from event_marks at the end of the writing transaction, whose row lock makes
-- seq order commit order, so a reader that has seen seq N never later meets a smaller one.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    type        TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    packet_id   INTEGER,
    sender_id   TEXT,
    receiver_id TEXT,
    group_id    TEXT,
    data        TEXT    NOT NULL
);
CREATE TABLE event_marks (
    id        INTEGER PRIMARY KEY CHECK (id = 0),
    last_seq  INTEGER NOT NULL
);
INSERT INTO event_marks (id, last_seq) VALUES (0, 0);
-- How far each webhook endpoint has been served from this SET's log, and the events it gave up on.
CREATE TABLE webhook_cursors (
    endpoint           TEXT    PRIMARY KEY,
    delivered_through  INTEGER NOT NULL
);
CREATE TABLE webhook_dead_letters (
    endpoint    TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    last_error  TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (endpoint, seq)
);
