-- A derivation's opens share rows (docs/events.md, "How opens' events are stored"): a row of type 'packed' holds the
-- events seq through last_seq as lines of text, rendered when read; at_ms is then its newest event's time, so trimming
-- waits for all of them. last_seq is NULL in a row holding the one event seq.
ALTER TABLE events ADD COLUMN last_seq bigint;
