-- 006: the teacher pool (师资库) of the community science university, the certification chain
-- (proposed -> certified -> filed -> city pool) with every step kept, appointment letters (聘书)
-- with per-issuer yearly serial counters and public verification codes, and the yearly
-- excellent-teacher selection (优秀教师评选).
CREATE TABLE teachers (
    id               {{ID_PK}},
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    org_path         {{TEXT_C}} NOT NULL,      -- the owner (point or district) keeping the record
    name             TEXT NOT NULL,
    gender           TEXT,                     -- male | female
    unit             TEXT,                     -- employer (工作单位)
    title            TEXT,                     -- 职称
    specialties      TEXT NOT NULL DEFAULT '[]',   -- JSON array of text
    topics           TEXT NOT NULL DEFAULT '[]',   -- JSON array of text
    id_number_enc    TEXT NOT NULL,            -- pii_encrypt; never in clear
    id_number_blind  TEXT NOT NULL UNIQUE,     -- pii_blind("id_number"): one record per person
    phone_enc        TEXT,
    phone_blind      TEXT,
    pool_level       TEXT NOT NULL DEFAULT 'district',   -- district | city
    status           TEXT NOT NULL DEFAULT 'draft',      -- draft | proposed | returned | certified | filed | city_pool | retired
    created_by       BIGINT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX teachers_path ON teachers(org_path);
CREATE INDEX teachers_phone ON teachers(phone_blind);

-- Every step of the chain: who, from which unit, when, and why.
CREATE TABLE teacher_steps (
    id           {{ID_PK}},
    teacher_id   BIGINT NOT NULL REFERENCES teachers(id),
    org_path     {{TEXT_C}} NOT NULL,          -- the teacher's path when the step was taken
    action       TEXT NOT NULL,                -- create | propose | certify | return | file | city_pool | retire
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    reason       TEXT,
    actor_id     BIGINT,
    actor_name   TEXT,
    actor_org_id BIGINT,
    at           TEXT NOT NULL
);
CREATE INDEX teacher_steps_teacher ON teacher_steps(teacher_id);

-- Serial numbers: one counter per issuer and year, advanced inside the issuing transaction;
-- the pattern is fixed for the year at its first letter.
CREATE TABLE letter_counters (
    issuer_org_id BIGINT NOT NULL REFERENCES orgs(id),
    year          INTEGER NOT NULL,
    pattern       TEXT NOT NULL,
    last_seq      BIGINT NOT NULL,
    PRIMARY KEY (issuer_org_id, year)
);

CREATE TABLE teacher_letters (
    id            {{ID_PK}},
    teacher_id    BIGINT NOT NULL REFERENCES teachers(id),
    org_path      {{TEXT_C}} NOT NULL,         -- the teacher's path
    issuer_org_id BIGINT NOT NULL REFERENCES orgs(id),
    issuer_name   TEXT NOT NULL,
    teacher_name  TEXT NOT NULL,               -- as printed
    serial        TEXT NOT NULL,              -- unique per issuer (issuers may share a pattern)
    year          INTEGER NOT NULL,
    seq           BIGINT NOT NULL,
    code          TEXT NOT NULL UNIQUE,        -- random verification token (hex of 16 bytes)
    term_from     TEXT NOT NULL,
    term_to       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'valid',   -- valid | revoked
    issued_by     BIGINT,
    issued_at     TEXT NOT NULL,
    UNIQUE (issuer_org_id, year, seq),
    UNIQUE (issuer_org_id, serial)
);
CREATE INDEX teacher_letters_teacher ON teacher_letters(teacher_id);

CREATE TABLE teacher_selections (
    id                 {{ID_PK}},
    year               INTEGER NOT NULL,
    teacher_id         BIGINT NOT NULL REFERENCES teachers(id),
    org_path           {{TEXT_C}} NOT NULL,    -- the teacher's path
    nominator_org_id   BIGINT REFERENCES orgs(id),
    reason             TEXT NOT NULL,
    status             TEXT NOT NULL,          -- nominated | approved | rejected
    decision_reason    TEXT,
    nominated_by       BIGINT,
    nominated_at       TEXT NOT NULL,
    decided_by         BIGINT,
    decided_at         TEXT,
    UNIQUE (year, teacher_id)
);
CREATE INDEX teacher_selections_path ON teacher_selections(org_path);
