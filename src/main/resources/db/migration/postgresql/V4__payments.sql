-- The reconciler's durable queue: pass 1 right after a payment notification, pass 2 a few seconds later.
CREATE TABLE reconcile_jobs (
    packet_id   BIGINT NOT NULL,
    pass        INTEGER NOT NULL,
    due_ms      BIGINT NOT NULL,
    PRIMARY KEY (packet_id, pass)
);
CREATE INDEX reconcile_jobs_due ON reconcile_jobs (due_ms);

-- Money a provider reported paid for a packet that had already been cancelled: owed back, for operators.
CREATE TABLE refunds_due (
    payment_id  TEXT PRIMARY KEY,
    packet_id   BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    at_ms       BIGINT NOT NULL
);

CREATE INDEX packets_awaiting_payment ON packets (pay_status, created_ms);
