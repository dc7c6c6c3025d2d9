-- 036 (issue 17, package B): knowledge contests and self-assessments (知识竞赛 / 科学素质自测,
-- src/contests/). A contest is owned by an org (its subtree takes part); each attempt draws its own
-- paper from the question bank (035) by the contest's rules, stored with the question versions
-- it showed; answers are kept one row per (attempt, question number), so a resend counts once.
-- Times the server compares are unix seconds (deadline_s, served_s); the texts are for people.
CREATE TABLE contests (
    id               {{ID_PK}},
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    org_path         {{TEXT_C}} NOT NULL,
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL,             -- contest | self_assessment
    description      TEXT,
    opens_at         TEXT NOT NULL,             -- RFC 3339 (+08:00)
    closes_at        TEXT NOT NULL,
    audience         TEXT NOT NULL,             -- JSON list of public | student | volunteer | staff
    rules            TEXT NOT NULL,             -- JSON [{category, difficulty, count, points}]
    shuffle_questions INTEGER NOT NULL DEFAULT 1,
    shuffle_options  INTEGER NOT NULL DEFAULT 1,
    time_limit_s     INTEGER NOT NULL,          -- per paper
    question_time_s  INTEGER NOT NULL DEFAULT 0,-- per question (0: none)
    attempts_per_day INTEGER NOT NULL DEFAULT 0,-- 0: no daily limit
    attempts_total   INTEGER NOT NULL DEFAULT 0,-- 0: no limit
    certificate_top  INTEGER NOT NULL DEFAULT 0,
    scoring          TEXT NOT NULL,             -- points | literacy_national
    status           TEXT NOT NULL,             -- draft | published | closed
    published_at     TEXT,
    created_by       BIGINT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX contests_path ON contests(org_path);
CREATE INDEX contests_status ON contests(status, closes_at);

-- Public participants (the general public), one per contest and phone.
CREATE TABLE contest_players (
    id           {{ID_PK}},
    contest_id   BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),   -- the district they live in
    org_path     {{TEXT_C}} NOT NULL,
    name         TEXT NOT NULL,
    phone_enc    TEXT NOT NULL,
    phone_blind  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (contest_id, phone_blind)
);
CREATE INDEX contest_players_path ON contest_players(org_path);

-- One attempt of one person. org_id/org_path: the person's district (the unit they count for);
-- contest_path: the contest's org path (scope of the organizer's lists). day: the Shanghai day
-- it started (the daily limit). One active attempt per person: the partial unique index.
CREATE TABLE contest_attempts (
    id            {{ID_PK}},
    contest_id    BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    contest_path  {{TEXT_C}} NOT NULL,
    person_kind   TEXT NOT NULL,                -- player | student | volunteer | staff
    person_id     BIGINT NOT NULL,
    person_name   TEXT NOT NULL,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,
    token_hash    TEXT NOT NULL,
    seed          BIGINT NOT NULL,
    day           TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    started_s     BIGINT NOT NULL,
    deadline_s    BIGINT NOT NULL,
    question_time_s INTEGER NOT NULL DEFAULT 0,
    submitted_at  TEXT,
    used_s        INTEGER,
    score         INTEGER,
    max_score     INTEGER NOT NULL,
    correct       INTEGER,
    total         INTEGER NOT NULL,
    literacy      TEXT,                         -- JSON result of a self-assessment
    status        TEXT NOT NULL                 -- active | submitted | expired
);
CREATE UNIQUE INDEX contest_attempts_active ON contest_attempts(contest_id, person_kind, person_id) WHERE status = 'active';
CREATE INDEX contest_attempts_person ON contest_attempts(contest_id, person_kind, person_id, day);
CREATE INDEX contest_attempts_sweep ON contest_attempts(contest_id, status, deadline_s);
CREATE INDEX contest_attempts_path ON contest_attempts(contest_path);

-- The paper of an attempt: question no (1..) shows version `version` of question_id, its options
-- in option_order (JSON: shown position -> stored index), worth points. served_s: when the
-- question was put to the person (per-question time).
CREATE TABLE contest_papers (
    attempt_id    BIGINT NOT NULL REFERENCES contest_attempts(id) ON DELETE CASCADE,
    no            INTEGER NOT NULL,
    question_id   BIGINT NOT NULL,
    version       INTEGER NOT NULL,
    option_order  TEXT,
    points        INTEGER NOT NULL,
    category      TEXT NOT NULL,
    served_s      BIGINT,
    PRIMARY KEY (attempt_id, no)
);

-- One answer per question of a paper (a resend replaces it); correct/points set when scored.
CREATE TABLE contest_answers (
    attempt_id    BIGINT NOT NULL REFERENCES contest_attempts(id) ON DELETE CASCADE,
    no            INTEGER NOT NULL,
    answer        TEXT NOT NULL,
    answered_at   TEXT NOT NULL,
    correct       INTEGER,
    points        INTEGER,
    PRIMARY KEY (attempt_id, no)
);

-- Each person's best attempt of a contest: the ranking reads one index range.
CREATE TABLE contest_best (
    contest_id    BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    person_kind   TEXT NOT NULL,
    person_id     BIGINT NOT NULL,
    person_name   TEXT NOT NULL,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,
    attempt_id    BIGINT NOT NULL,
    score         INTEGER NOT NULL,
    used_s        INTEGER NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (contest_id, person_kind, person_id)
);
CREATE INDEX contest_best_rank ON contest_best(contest_id, score DESC, used_s, at);

-- Per district (the unit a person counts for): participants and the sum of their best scores,
-- moved in the submit's transaction.
CREATE TABLE contest_districts (
    contest_id    BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,
    participants  INTEGER NOT NULL,
    score_sum     BIGINT NOT NULL,
    PRIMARY KEY (contest_id, org_id)
);

CREATE TABLE contest_certificates (
    id            {{ID_PK}},
    contest_id    BIGINT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    attempt_id    BIGINT NOT NULL REFERENCES contest_attempts(id),
    code          TEXT NOT NULL UNIQUE,
    rank          INTEGER NOT NULL,
    person_name   TEXT NOT NULL,
    org_path      {{TEXT_C}} NOT NULL,
    score         INTEGER NOT NULL,
    issued_at     TEXT NOT NULL,
    UNIQUE (contest_id, attempt_id)
);

