-- 001_init: the organization tree, accounts, sessions, audit and login logs.
-- Portable SQL: {{ID_PK}} and {{TEXT_C}} (byte-order text) are the dialect words; db/ replaces
-- them per engine.
-- Times are RFC 3339 text in Asia/Shanghai; booleans are integers 0/1.

CREATE TABLE orgs (
    id          {{ID_PK}},
    parent_id   BIGINT REFERENCES orgs(id),
    type        TEXT NOT NULL,
    name        TEXT NOT NULL,
    code        TEXT UNIQUE,
    path        {{TEXT_C}} NOT NULL UNIQUE,   -- '/1/7/42/': ids from the root down, for prefix scans
    depth       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE users (
    id            {{ID_PK}},
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    role          TEXT NOT NULL,
    data_scope    TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT NOT NULL,
    phone         TEXT,
    email         TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0,  -- unix seconds
    last_login_at TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- Extra org memberships: a user's scope is the union of its home org and these.
CREATE TABLE user_orgs (
    user_id BIGINT NOT NULL REFERENCES users(id),
    org_id  BIGINT NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (user_id, org_id)
);
CREATE INDEX user_orgs_org ON user_orgs(org_id);

-- Sessions live in the database so that several nodes share them; only a hash of the token
-- is stored, so a copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    id          {{ID_PK}},
    token_hash  TEXT NOT NULL UNIQUE,
    csrf_token  TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,   -- unix seconds
    last_seen   BIGINT NOT NULL,
    ip          TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    id          {{ID_PK}},
    at          TEXT NOT NULL,
    user_id     BIGINT,
    username    TEXT,
    org_path    {{TEXT_C}} NOT NULL, -- path of the org the entity belongs to: the scope filter
    entity      TEXT NOT NULL,
    entity_id   BIGINT NOT NULL,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL,     -- JSON {"field": {"before": x, "after": y}}, personal data masked
    request_id  TEXT,
    ip          TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_path ON audit_log(org_path);

CREATE TABLE login_log (
    id          {{ID_PK}},
    at          TEXT NOT NULL,
    username    TEXT NOT NULL,
    user_id     BIGINT,
    org_path    {{TEXT_C}},        -- NULL for unknown usernames: visible to scope 'all' only
    success     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    ip          TEXT,
    user_agent  TEXT
);
CREATE INDEX login_log_path ON login_log(org_path);
