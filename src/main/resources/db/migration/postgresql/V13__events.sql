-- The SET's event log (docs/events.md): one row per change the host app and the clients may learn of, written in the
-- transaction (or journal derivation) that makes the change, so an event exists if and only if its change does.
-- seq is the SET's own order: taken from event_marks at the end of the writing transaction, whose row lock makes
-- seq order commit order, so a reader that has seen seq N never later meets a smaller one.
CREATE TABLE events (
    seq         bigint  PRIMARY KEY,
    type        text    NOT NULL,
    at_ms       bigint  NOT NULL,
    packet_id   bigint,
    sender_id   text,
    receiver_id text,
    group_id    text,
    data        text    NOT NULL
);
CREATE TABLE event_marks (
    id        integer PRIMARY KEY CHECK (id = 0),
    last_seq  bigint  NOT NULL
);
INSERT INTO event_marks (id, last_seq) VALUES (0, 0);
-- How far each webhook endpoint has been served from this SET's log, and the events it gave up on.
CREATE TABLE webhook_cursors (
    endpoint           text    PRIMARY KEY,
    delivered_through  bigint  NOT NULL
);
CREATE TABLE webhook_dead_letters (
    endpoint    text    NOT NULL,
    seq         bigint  NOT NULL,
    attempts    integer NOT NULL,
    last_error  text    NOT NULL,
    at_ms       bigint  NOT NULL,
    PRIMARY KEY (endpoint, seq)
);
