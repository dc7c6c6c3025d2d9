-- 008: students (学员) of teaching points, and check-in by rotating QR code (扫码签到):
-- sessions owned by a record of another module (a course now, a volunteer activity later),
-- the attendance records they collect, and the opaque keys phones remember to check in with
-- one tap. Phones and ID numbers are stored encrypted (pii_encrypt) with a blind index.

CREATE TABLE students (
    id              {{ID_PK}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,
    name            TEXT NOT NULL,
    gender          TEXT,                     -- male | female
    age_group       TEXT,                     -- under18 | 18_35 | 36_59 | 60_69 | 70_plus
    phone_enc       TEXT NOT NULL,
    phone_blind     TEXT NOT NULL,
    id_number_enc   TEXT,
    id_number_blind TEXT,
    informant       INTEGER NOT NULL DEFAULT 0,   -- 科普中国信息员
    status          TEXT NOT NULL,            -- active | left
    source          TEXT NOT NULL,            -- staff | checkin
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (org_id, phone_blind)
);
CREATE INDEX students_path ON students(org_path);
CREATE INDEX students_phone ON students(phone_blind);

-- One check-in session per owner record (kind + id); org_path is the owner's, for scope.
-- code: the 6-digit fallback typed on a phone while the session is open.
CREATE TABLE checkin_sessions (
    id          {{ID_PK}},
    owner_kind  TEXT NOT NULL,
    owner_id    BIGINT NOT NULL,
    org_path    {{TEXT_C}} NOT NULL,
    code        TEXT NOT NULL,
    status      TEXT NOT NULL,                -- open | closed
    checked_in  INTEGER NOT NULL DEFAULT 0,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (owner_kind, owner_id)
);
CREATE INDEX checkin_sessions_path ON checkin_sessions(org_path);

-- Who checked in: a person of the owner kind's person kind (students for courses), once per
-- session. method: qr | code | staff (marked by the teacher).
CREATE TABLE checkins (
    id          {{ID_PK}},
    session_id  BIGINT NOT NULL REFERENCES checkin_sessions(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    person_kind TEXT NOT NULL,
    person_id   BIGINT NOT NULL,
    method      TEXT NOT NULL,
    created_by  BIGINT,
    at          TEXT NOT NULL,
    UNIQUE (session_id, person_kind, person_id)
);
CREATE INDEX checkins_person ON checkins(person_kind, person_id);

-- The key a phone remembers after its first check-in: random, stored only as a hash.
CREATE TABLE checkin_keys (
    key_hash    TEXT PRIMARY KEY,
    person_kind TEXT NOT NULL,
    person_id   BIGINT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX checkin_keys_person ON checkin_keys(person_kind, person_id);
