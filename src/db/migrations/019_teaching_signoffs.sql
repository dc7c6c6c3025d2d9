-- 019 (issue 14 item 21): a district's sign-off (签认) of a teaching point's completion of its
-- teaching tasks for a term (src/teaching/signoffs.c): confirmed, or returned with comments, by an
-- upper level; the planned and held items are the figures it saw. One per point and term; a
-- revision replaces it (the audit log keeps every version).
CREATE TABLE teaching_signoffs (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    year        INTEGER NOT NULL,
    term        TEXT NOT NULL,
    status      TEXT NOT NULL,
    comments    TEXT,
    planned     INTEGER NOT NULL DEFAULT 0,
    held        INTEGER NOT NULL DEFAULT 0,
    signed_by   BIGINT REFERENCES users(id),
    signed_at   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (org_id, year, term)
);
CREATE INDEX teaching_signoffs_path ON teaching_signoffs(org_path);
