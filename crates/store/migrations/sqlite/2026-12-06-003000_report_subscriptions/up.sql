-- Monthly reports a coordinator subscribed to, and each delivery made.
-- A delivery is unique per subscription and month, so a report goes out
-- once however many workers run.
-- Keep in step with ../../postgres/2026-12-06-003000_report_subscriptions/up.sql.

CREATE TABLE report_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    report TEXT NOT NULL,
    delivery TEXT NOT NULL,
    recipient_key TEXT,
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX report_subscriptions_user_idx ON report_subscriptions (user_id);

CREATE TABLE report_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES report_subscriptions (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    UNIQUE (subscription_id, period)
);
