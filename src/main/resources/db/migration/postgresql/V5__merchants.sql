-- A group made for a merchant's fission packet belongs to the packet's first receiver, who alone may add members to
-- it (share the packet). Groups the admin makes have no owner.
ALTER TABLE chat_groups ADD COLUMN owner_id TEXT;

-- Merchants of the WeChat-compatible merchant API; kept in SET 0 and cached in memory. The API key is kept as given:
-- verifying an MD5 or HMAC-SHA256 signature needs the key itself, so this table is as secret as the data dir's keys.
CREATE TABLE merchants (
    mch_id      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    api_key     TEXT NOT NULL,
    wxappid     TEXT NOT NULL,
    created_ms  BIGINT NOT NULL
);

-- Which of our users an app's openid is (SET 0, cached). As in WeChat, an openid names one user of one app and a
-- user has one openid per app.
CREATE TABLE merchant_openids (
    wxappid     TEXT NOT NULL,
    openid      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    PRIMARY KEY (wxappid, openid),
    UNIQUE (wxappid, user_id)
);

-- A sendredpack / sendgroupredpack bill, in the SET of the merchant's wallet (where its packets are), written before
-- its packet is sent. packet_id is the packet of the latest attempt: if that packet exists, the bill was paid (and
-- its answer is in idempotency, committed with the packet); if not, the attempt failed (failure set) or its outcome
-- was cut off (a crash, a store failure) and a retry with the same mch_billno sends it.
CREATE TABLE merchant_bills (
    mch_id          TEXT NOT NULL,
    mch_billno      TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    hb_type         TEXT NOT NULL,
    re_openid       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    total_amount    BIGINT NOT NULL CHECK (total_amount > 0),
    total_num       INTEGER NOT NULL CHECK (total_num > 0),
    send_name       TEXT NOT NULL,
    wishing         TEXT NOT NULL,
    act_name        TEXT NOT NULL,
    remark          TEXT NOT NULL,
    packet_id       BIGINT NOT NULL,
    quota_day       TEXT,
    failure         TEXT,
    failure_reason  TEXT,
    created_ms      BIGINT NOT NULL,
    PRIMARY KEY (mch_id, mch_billno)
);

-- Packets a merchant sent a user per Beijing day (SENDNUM_LIMIT): counted by a guarded upsert, so the limit holds
-- under concurrent sends without a check-then-insert.
CREATE TABLE merchant_daily_sends (
    mch_id   TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    day      TEXT NOT NULL,
    sends    INTEGER NOT NULL CHECK (sends >= 0),
    PRIMARY KEY (mch_id, user_id, day)
);

-- One-win-per-user campaigns, in the merchant wallet's SET. reserved is the money promised to wins so far; the CHECK
-- is the last line that keeps it within the budget.
CREATE TABLE campaigns (
    mch_id        TEXT NOT NULL,
    campaign_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    wishing       TEXT NOT NULL,
    budget        BIGINT NOT NULL CHECK (budget > 0),
    amount_min    BIGINT NOT NULL CHECK (amount_min > 0),
    amount_max    BIGINT NOT NULL CHECK (amount_max >= amount_min),
    win_permille  INTEGER NOT NULL CHECK (win_permille BETWEEN 1 AND 1000),
    starts_ms     BIGINT NOT NULL,
    ends_ms       BIGINT NOT NULL CHECK (ends_ms > starts_ms),
    reserved      BIGINT NOT NULL CHECK (reserved >= 0 AND reserved <= budget),
    wins          INTEGER NOT NULL CHECK (wins >= 0),
    created_ms    BIGINT NOT NULL,
    PRIMARY KEY (mch_id, campaign_id)
);

-- The primary key is what makes a second win of a user impossible. PENDING until the dispatcher's packet commits.
CREATE TABLE campaign_wins (
    mch_id       TEXT NOT NULL,
    campaign_id  TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount > 0),
    state        TEXT NOT NULL,
    packet_id    BIGINT,
    created_ms   BIGINT NOT NULL,
    paid_ms      BIGINT,
    PRIMARY KEY (mch_id, campaign_id, user_id)
);
-- The dispatcher's queue: the campaigns with pending wins, and each one's oldest pending wins.
CREATE INDEX campaign_wins_due ON campaign_wins (state, mch_id, campaign_id, created_ms);
