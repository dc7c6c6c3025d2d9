-- 030 (issue 16, package A): notices (通知公告) sent down the tree with read receipts and replies
-- (src/notices/). A notice is targeted at units by type and subtree or by name; publishing
-- resolves the target into one notice_recipients row per unit in one INSERT ... SELECT. Times are
-- RFC 3339 text in Asia/Shanghai (+08:00), compared as text.
CREATE TABLE notices (
    id              {{ID_PK}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),   -- the sender
    org_path        {{TEXT_C}} NOT NULL,
    title           TEXT NOT NULL,
    doc_no          TEXT,                   -- 文号
    body            TEXT,                   -- sanitized HTML (notice_html.c)
    contact_name    TEXT,
    contact_phone   TEXT,                   -- a work number: shown as is
    category        TEXT NOT NULL,          -- 通知 | 公告 | 工作要点 | 实施意见 | 其他
    public          INTEGER NOT NULL DEFAULT 0,
    publish_at      TEXT,                   -- visible from then on (NULL while a draft without one)
    reply_required  INTEGER NOT NULL DEFAULT 0,
    reply_deadline  TEXT,
    reply_names     INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,          -- draft | published | withdrawn
    withdraw_reason TEXT,
    corrects_id     BIGINT REFERENCES notices(id),
    target          TEXT,                   -- JSON {"org_types": [...], "under": id, "org_ids": [...]}
    recipients_total INTEGER NOT NULL DEFAULT 0,
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    published_at    TEXT
);
CREATE INDEX notices_path ON notices(org_path, id);
CREATE INDEX notices_public ON notices(public, status, publish_at);
CREATE INDEX notices_corrects ON notices(corrects_id);

-- One row per recipient unit: its receipt (first reader) and its reply.
CREATE TABLE notice_recipients (
    id          {{ID_PK}},
    notice_id   BIGINT NOT NULL REFERENCES notices(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',   -- active | withdrawn (the notice withdrawn)
    read_at     TEXT,
    read_by     BIGINT,
    replied_at  TEXT,
    reply_text  TEXT,
    reply_by    BIGINT,
    chased_on   TEXT,                   -- the day the unit was last chased (at most once a day)
    created_by  BIGINT,
    UNIQUE (notice_id, org_id)
);
-- (notice_id, read_at, replied_at) also covers the board's one aggregate of its counts
CREATE INDEX notice_recipients_read ON notice_recipients(notice_id, read_at, replied_at);
CREATE INDEX notice_recipients_replied ON notice_recipients(notice_id, replied_at);
CREATE INDEX notice_recipients_org ON notice_recipients(org_id, notice_id);
CREATE INDEX notice_recipients_path ON notice_recipients(notice_id, org_path);

-- The names a reply carries when the notice asks for them (phone encrypted at rest).
CREATE TABLE notice_reply_names (
    id            {{ID_PK}},
    recipient_id  BIGINT NOT NULL REFERENCES notice_recipients(id),
    org_path      {{TEXT_C}} NOT NULL,
    pos           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT,                 -- unit or position
    phone         TEXT                  -- pii_encrypt
);
CREATE INDEX notice_reply_names_recipient ON notice_reply_names(recipient_id, pos);

CREATE TABLE notice_files (
    id          {{ID_PK}},
    notice_id   BIGINT NOT NULL REFERENCES notices(id),
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX notice_files_owner ON notice_files(notice_id);

CREATE TABLE notice_reply_files (
    id            {{ID_PK}},
    recipient_id  BIGINT NOT NULL REFERENCES notice_recipients(id),
    org_path      {{TEXT_C}} NOT NULL,
    name          TEXT NOT NULL,
    mime          TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    created_by    BIGINT,
    created_at    TEXT NOT NULL
);
CREATE INDEX notice_reply_files_owner ON notice_reply_files(recipient_id);
CREATE INDEX notice_files_sha ON notice_files(sha256);
CREATE INDEX notice_reply_files_sha ON notice_reply_files(sha256);
