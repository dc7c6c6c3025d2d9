-- 013: volunteer projects (志愿项目), sign-up, check-in/out, service hours and certificates,
-- DOMAIN.md §2.2. A team publishes a project (time window, place, positions with headcounts, who
-- may join); volunteers sign up for a position and the organizer accepts or declines; on the day
-- the rotating QR of check-in (owner kind "volunteer_activity", person kind "volunteer") records
-- check-in and check-out; the organizer confirms the hours, which then count in the statistics
-- engine and on certificates. org_path is always the team's owner org, for scope.

-- Check-out, generic for every owner kind of check-in: when the person left (NULL: still there).
ALTER TABLE checkins ADD COLUMN out_at TEXT;

CREATE TABLE volunteer_projects (
    id              {{ID_PK}},
    team_id         BIGINT NOT NULL REFERENCES volunteer_teams(id),
    org_path        {{TEXT_C}} NOT NULL,
    title           TEXT NOT NULL,
    content         TEXT,
    starts_at       TEXT NOT NULL,                 -- RFC 3339 +08:00
    ends_at         TEXT NOT NULL,
    day             TEXT NOT NULL,                 -- starts_at's day: where the figures count
    place           TEXT,
    lat             TEXT,                          -- decimal degrees as text (portable), optional
    lng             TEXT,
    audience        TEXT NOT NULL,                 -- team (members only) | public (any active volunteer)
    credit_share    INTEGER NOT NULL DEFAULT 60,   -- percent of the window to be present for credit
    status          TEXT NOT NULL,                 -- draft | published | cancelled | finished
    confirmed_at    TEXT,                          -- hours confirmed (谁记录谁证明): locked after
    confirmed_by    BIGINT,
    credited        INTEGER NOT NULL DEFAULT 0,    -- volunteers credited at confirmation
    present         INTEGER NOT NULL DEFAULT 0,    -- volunteers present (checked in): held when > 0
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX volunteer_projects_path ON volunteer_projects(org_path);
CREATE INDEX volunteer_projects_team ON volunteer_projects(team_id, day);

CREATE TABLE volunteer_positions (
    id          {{ID_PK}},
    project_id  BIGINT NOT NULL REFERENCES volunteer_projects(id),
    name        TEXT NOT NULL,
    headcount   INTEGER NOT NULL,
    sort        INTEGER NOT NULL
);
CREATE INDEX volunteer_positions_project ON volunteer_positions(project_id);

-- One sign-up per volunteer and project. checkin_at / checkout_at: from the QR (method qr) or
-- marked by the organizer (method staff). minutes: time present clipped to the window; credited
-- when minutes >= credit_share x window; hours_status confirmed locks minutes (corrections audited).
CREATE TABLE volunteer_signups (
    id            {{ID_PK}},
    project_id    BIGINT NOT NULL REFERENCES volunteer_projects(id),
    position_id   BIGINT NOT NULL REFERENCES volunteer_positions(id),
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers(id),
    org_path      {{TEXT_C}} NOT NULL,
    status        TEXT NOT NULL,                   -- pending | accepted | declined | cancelled
    source        TEXT NOT NULL,                   -- self | staff
    checkin_at    TEXT,
    checkout_at   TEXT,
    attendance    TEXT,                            -- qr | staff
    minutes       INTEGER NOT NULL DEFAULT 0,
    credited      INTEGER NOT NULL DEFAULT 0,
    hours_status  TEXT NOT NULL DEFAULT 'open',    -- open | confirmed
    decided_by    BIGINT,
    decided_at    TEXT,
    created_by    BIGINT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (project_id, volunteer_id)
);
CREATE INDEX volunteer_signups_volunteer ON volunteer_signups(volunteer_id, status);
CREATE INDEX volunteer_signups_path ON volunteer_signups(org_path);

-- Certificates of service hours: a number unique per year (VC + year + 6 digits) and a random
-- code for the public verification page; the figures are frozen at issue.
CREATE TABLE volunteer_cert_counters (
    year      INTEGER PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);

CREATE TABLE volunteer_certificates (
    id            {{ID_PK}},
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers(id),
    org_path      {{TEXT_C}} NOT NULL,             -- the volunteer's org, for scope
    cert_no       TEXT NOT NULL UNIQUE,
    code          TEXT NOT NULL UNIQUE,
    year          INTEGER NOT NULL,                -- 0: every year
    activities    INTEGER NOT NULL,
    minutes       INTEGER NOT NULL,
    content       TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    created_by    BIGINT
);
CREATE INDEX volunteer_certificates_volunteer ON volunteer_certificates(volunteer_id);
