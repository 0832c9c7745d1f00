-- Which node owns this SET, fenced by an epoch: taking the SET over raises the epoch, and every write transaction of
-- the owner reads it FOR SHARE first, so a paused old owner can never commit after a new owner took over (the
-- takeover's UPDATE waits for the old owner's transactions that hold the row, then every later one sees the new epoch).
-- expires_at is the database's clock, so nodes' clocks do not matter.
CREATE TABLE set_lease (
    id         integer PRIMARY KEY CHECK (id = 0),
    epoch      bigint      NOT NULL,
    owner      text        NOT NULL,
    expires_at timestamptz NOT NULL
);
INSERT INTO set_lease (id, epoch, owner, expires_at) VALUES (0, 0, '', '-infinity');
