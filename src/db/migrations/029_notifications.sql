-- Issue 16: in-app notifications (站内提醒) and each user's reminder channels.
-- A notification is a row per user; its email and text message ride on it as an outbox: a state
-- NULL (not asked), 'pending', 'sent' or 'failed', delivered by the reminder worker of any node.
CREATE TABLE notifications (
    id          {{ID_PK}},
    user_id     BIGINT NOT NULL REFERENCES users(id),
    org_path    {{TEXT_C}} NOT NULL,        -- the user's org when notified, for scoped views
    kind        TEXT NOT NULL,              -- the source: 'notice_reply', 'task_due', 'notice_chase', ...
    ref_id      BIGINT NOT NULL DEFAULT 0,  -- the record it is about
    title       TEXT NOT NULL,
    body        TEXT,
    link        TEXT,                       -- the UI path that opens the record
    email_state TEXT,
    sms_state   TEXT,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);
CREATE INDEX notifications_email ON notifications(email_state, id);
CREATE INDEX notifications_sms ON notifications(sms_state, id);

-- A user's channels besides the in-app one (always on) and how many days before a deadline the
-- reminders go out (a JSON array of days, e.g. [3,1]). No row: the defaults (in-app only, [3,1]).
CREATE TABLE notify_prefs (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id),
    email      INTEGER NOT NULL DEFAULT 0,
    sms        INTEGER NOT NULL DEFAULT 0,
    lead_days  TEXT NOT NULL DEFAULT '[3,1]',
    updated_at TEXT NOT NULL
);
