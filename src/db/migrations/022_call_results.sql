-- 022 (issue 15, package C): results and titles of the calls engine (src/calls/decisions.c,
-- publicity.c, designations.c, award_cert.c). Decisions live on call_entries (020: outcome,
-- award_level, award_amount, decision_reason, decided_by/at); here: the 公示 window and its
-- objections, standing titles (命名) with their history and revocation, and award certificates
-- verified by a public code. Times are RFC 3339 text in Asia/Shanghai, days YYYY-MM-DD.

-- The kinds of title. subject: org | teacher | volunteer | resource; levels: JSON array or NULL.
CREATE TABLE designation_kinds (
    code        {{TEXT_C}} PRIMARY KEY,
    name        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    org_type    TEXT,
    levels      TEXT,
    valid_years INTEGER NOT NULL DEFAULT 0,     -- 0: no end
    builtin     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO designation_kinds (code, name, subject, org_type, levels, valid_years, builtin) VALUES
    ('demo_point', '示范教学点', 'org', 'point', NULL, 2, 1),
    ('base', '科普教育基地', 'org', NULL, '["A","B"]', 3, 1),
    ('excellent_teacher', '优秀教师', 'teacher', NULL, NULL, 0, 1),
    ('rural_top10', '十强农技协', 'org', NULL, NULL, 3, 1),
    ('rural_base10', '十佳农村科普示范基地', 'org', NULL, NULL, 3, 1),
    ('premium_course', '精品课程', 'resource', NULL, NULL, 0, 1),
    ('excellent_work', '优秀科普作品', 'org', NULL, '["一等奖","二等奖","三等奖"]', 0, 1);

-- A standing title on a node (or a person, subject_id then the person's id; org_id/org_path the
-- unit it is filed under). status active | revoked; expired is read, not stored (valid_to passed).
CREATE TABLE designations (
    id              {{ID_PK}},
    kind            TEXT NOT NULL REFERENCES designation_kinds(code),
    level           TEXT,
    subject_kind    TEXT NOT NULL,          -- org | teacher | volunteer | resource
    subject_id      BIGINT,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,
    name            TEXT NOT NULL,          -- the holder's name as named
    call_id         BIGINT REFERENCES calls(id),
    entry_id        BIGINT REFERENCES call_entries(id),
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    status          TEXT NOT NULL,
    revoked_at      TEXT,
    revoked_by      BIGINT,
    revoke_reason   TEXT,
    revoke_call_id  BIGINT REFERENCES calls(id),
    created_by      BIGINT,
    created_at      TEXT NOT NULL
);
CREATE INDEX designations_path ON designations(org_path);
CREATE INDEX designations_kind ON designations(kind, status, org_id);
CREATE INDEX designations_subject ON designations(subject_kind, subject_id);
CREATE INDEX designations_entry ON designations(entry_id);

-- The 公示 window of a call: objections are taken between starts_at and ends_at.
CREATE TABLE call_publicities (
    id          {{ID_PK}},
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    org_path    {{TEXT_C}} NOT NULL,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    body        TEXT,
    status      TEXT NOT NULL,          -- open | ended
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX call_publicities_call ON call_publicities(call_id);
CREATE INDEX call_publicities_path ON call_publicities(org_path);

-- An objection from the public (no login): the phone encrypted (core/pii.h) with a blind index.
CREATE TABLE call_objections (
    id              {{ID_PK}},
    publicity_id    BIGINT NOT NULL REFERENCES call_publicities(id),
    call_id         BIGINT NOT NULL REFERENCES calls(id),
    entry_id        BIGINT REFERENCES call_entries(id),
    org_path        {{TEXT_C}} NOT NULL,    -- the call owner's
    name            TEXT NOT NULL,
    phone_enc       TEXT NOT NULL,
    phone_blind     TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,          -- received | upheld | dismissed
    response        TEXT,
    responded_by    BIGINT,
    responded_at    TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX call_objections_call ON call_objections(call_id, status);
CREATE INDEX call_objections_path ON call_objections(org_path);

-- Award certificates (获奖证书): serial per issuer and year, verified by code (16 random bytes, hex).
CREATE TABLE award_certificates (
    id              {{ID_PK}},
    call_id         BIGINT NOT NULL REFERENCES calls(id),
    entry_id        BIGINT NOT NULL REFERENCES call_entries(id),
    designation_id  BIGINT REFERENCES designations(id),
    org_path        {{TEXT_C}} NOT NULL,    -- the holder unit's
    serial          TEXT NOT NULL,
    code            TEXT NOT NULL UNIQUE,
    holder_name     TEXT NOT NULL,
    title           TEXT NOT NULL,
    level           TEXT,
    issuer_org_id   BIGINT NOT NULL REFERENCES orgs(id),
    issuer_name     TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    status          TEXT NOT NULL           -- valid | revoked
);
CREATE INDEX award_certificates_call ON award_certificates(call_id);
CREATE INDEX award_certificates_path ON award_certificates(org_path);
CREATE UNIQUE INDEX award_certificates_entry ON award_certificates(entry_id);
