CREATE TABLE users (
    user_id     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_ms  BIGINT NOT NULL
);

CREATE TABLE chat_groups (
    group_id    TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_ms  BIGINT NOT NULL
);

CREATE TABLE group_members (
    group_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE accounts (
    account_id  TEXT PRIMARY KEY,
    balance     BIGINT NOT NULL
);

CREATE TABLE transfers (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_id         TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    from_account        TEXT NOT NULL,
    to_account          TEXT NOT NULL,
    amount              BIGINT NOT NULL CHECK (amount > 0),
    from_balance_after  BIGINT NOT NULL,
    to_balance_after    BIGINT NOT NULL,
    packet_id           BIGINT,
    at_ms               BIGINT NOT NULL
);
CREATE INDEX transfers_from ON transfers (from_account, seq);
CREATE INDEX transfers_to ON transfers (to_account, seq);

-- Packets and claims are partitioned by day. A packet id starts with its creation time, so a day is a range of
-- ids and every lookup by id prunes to one partition. Day partitions are created ahead by PostgresDayPartitions;
-- the default partitions only catch rows if that job has not run for days.
CREATE TABLE packets (
    packet_id       BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    sender_id       TEXT NOT NULL,
    group_id        TEXT,
    to_user_id      TEXT,
    greeting        TEXT NOT NULL,
    total           BIGINT NOT NULL,
    share_count     INTEGER NOT NULL,
    shares          TEXT NOT NULL,
    status          TEXT NOT NULL,
    pay_status      SMALLINT NOT NULL,
    created_ms      BIGINT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    finished_ms     BIGINT,
    opened_count    INTEGER NOT NULL,
    opened_amount   BIGINT NOT NULL,
    refunded        BIGINT NOT NULL,
    PRIMARY KEY (packet_id)
) PARTITION BY RANGE (packet_id);
CREATE TABLE packets_default PARTITION OF packets DEFAULT;
CREATE INDEX packets_group ON packets (group_id, packet_id);
CREATE INDEX packets_due ON packets (status, expires_ms);

CREATE TABLE claims (
    packet_id   BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    user_id     TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    claimed_ms  BIGINT NOT NULL,
    credited    SMALLINT NOT NULL,
    PRIMARY KEY (packet_id, seq),
    UNIQUE (packet_id, user_id)
) PARTITION BY RANGE (packet_id);
CREATE TABLE claims_default PARTITION OF claims DEFAULT;

CREATE TABLE idempotency (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
