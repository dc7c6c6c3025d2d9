-- 035 (issue 17): the question bank (题库, src/quiz/) and the resident population of a node.
-- A question's text, options and answer live in versions: an edit that changes what is asked or
-- what is right adds a version, and a paper drawn earlier points at the version it showed, so an
-- old attempt is scored by the key it was asked with. Options are a JSON array of texts (labels
-- A, B, C ... follow their order); the answer key is JSON: "B" (single), ["A","C"] (multiple),
-- true/false (true_false), ["答案", "同义答案"] (fill_in: any of them, trimmed, case folded).
CREATE TABLE questions (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),   -- the bank's owner; its subtree may use it
    org_path    {{TEXT_C}} NOT NULL,
    type        TEXT NOT NULL,          -- single | multiple | true_false | fill_in
    category    TEXT NOT NULL,          -- a course topic code or a literacy dimension (see quiz.h)
    difficulty  INTEGER NOT NULL,       -- 1 easy .. 5 hard
    status      TEXT NOT NULL,          -- drafted | reviewed | retired
    version     INTEGER NOT NULL,       -- the current version's number
    stem        TEXT NOT NULL,          -- the current version's text (copied for search and lists)
    source      TEXT,
    tags        TEXT,
    reviewed_by BIGINT,
    reviewed_at TEXT,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX questions_path ON questions(org_path);
-- A draw (quiz_draw_unscoped) reads one range of this index per rule: status, category,
-- difficulty and the few bank paths of the node's ancestors, with the version to copy (covering).
CREATE INDEX questions_draw ON questions(status, category, difficulty, org_path, version);

CREATE TABLE question_versions (
    id           {{ID_PK}},
    question_id  BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    stem         TEXT NOT NULL,
    options      TEXT,                  -- JSON array of option texts; NULL for true_false, fill_in
    answer       TEXT NOT NULL,         -- JSON, as above
    explanation  TEXT,
    created_by   BIGINT,
    created_at   TEXT NOT NULL,
    UNIQUE (question_id, version)
);

-- The people living under a node (常住人口), entered on the node: the weight of its literacy
-- rate in the roll-up and the base of a contest's participation per 10,000 residents.
ALTER TABLE orgs ADD COLUMN population BIGINT;
