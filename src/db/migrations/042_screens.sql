-- 042 (issue 18 D): 科普e站 screens. A screen is a kiosk registered to a node with a pairing code
-- it showed (screen_pairings: short-lived rows the kiosk asks for without login); once paired it
-- holds a device token (stored as its keyed hash). Playlists are ordered items assigned to a
-- screen (screens.playlist_id) or to every screen on nodes of one type under the playlist's node
-- (playlists.for_type). Heartbeats carry the plays since the last one; screen_play_days holds
-- them per screen, node and Shanghai day: the raw records of the statistics' metric screen_plays.
-- Screen administrators are people on a node with their trainings and awards (JSON lists).
CREATE TABLE playlists (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    items       TEXT NOT NULL DEFAULT '[]',   -- JSON [{kind, ref_id, seconds}]
    for_type    TEXT,                          -- an org type: the default of those nodes' screens
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX playlists_path ON playlists(org_path, id);

CREATE TABLE screens (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    place       TEXT,
    status      TEXT NOT NULL,                 -- active | revoked
    token_hash  TEXT,                          -- keyed hash of the device token (NULL: none yet or revoked)
    playlist_id BIGINT REFERENCES playlists(id),
    last_seq    BIGINT NOT NULL DEFAULT 0,     -- the newest heartbeat's client sequence
    last_seen   TEXT,
    last_seen_s BIGINT,                        -- unix seconds of the newest heartbeat
    plays       BIGINT NOT NULL DEFAULT 0,
    paired_at   TEXT,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX screens_path ON screens(org_path, id);
CREATE UNIQUE INDEX screens_token ON screens(token_hash);

CREATE TABLE screen_pairings (
    id          {{ID_PK}},
    code        TEXT NOT NULL UNIQUE,          -- the 6 digits the screen shows
    secret_hash TEXT NOT NULL,                 -- the kiosk's poll secret, hashed
    expires_s   BIGINT NOT NULL,
    screen_id   BIGINT REFERENCES screens(id), -- set when staff register the code
    created_at  TEXT NOT NULL
);

CREATE TABLE screen_play_days (
    screen_id   BIGINT NOT NULL REFERENCES screens(id),
    org_path    {{TEXT_C}} NOT NULL,           -- the screen's node
    day         TEXT NOT NULL,                 -- YYYY-MM-DD, Shanghai
    n           BIGINT NOT NULL,
    PRIMARY KEY (screen_id, org_path, day)
);
CREATE INDEX screen_play_days_path ON screen_play_days(org_path, day);

CREATE TABLE screen_admins (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    phone_enc   TEXT,
    trainings   TEXT NOT NULL DEFAULT '[]',    -- JSON [{date, title}]
    awards      TEXT NOT NULL DEFAULT '[]',    -- JSON [{date, title}]
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX screen_admins_path ON screen_admins(org_path, id);
