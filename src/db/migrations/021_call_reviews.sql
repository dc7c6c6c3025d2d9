-- 021 (issue 15, package B): review and ranking of a call's entries (src/calls/reviewers.c,
-- reviews.c, ranking.c). A call's reviewers are accounts named for that call; each assignment is
-- one score sheet (call_reviews) with its scores per weighted criterion (call_review_scores, in
-- tenths of a point); a round closes once every sheet is submitted. The aggregates (mean, trimmed
-- mean, spread) are kept on call_entries (020) by each submit, so the ranking reads an index.

-- The reviewers of one call: any active account the call's managers name (专家). branch_path is
-- the reviewer's unit's ancestor one level below the call's owner (its district for a city call;
-- its own path when it is not below the owner): a reviewer never scores an entry of its branch.
CREATE TABLE call_reviewers (
    id          {{ID_PK}},
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    user_id     BIGINT NOT NULL REFERENCES users(id),
    org_path    {{TEXT_C}} NOT NULL,    -- the call owner's path (the scope of the row)
    user_path   {{TEXT_C}} NOT NULL,    -- the reviewer's unit's path
    branch_path {{TEXT_C}} NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    UNIQUE (call_id, user_id)
);
CREATE INDEX call_reviewers_path ON call_reviewers(org_path);
CREATE INDEX call_reviewers_user ON call_reviewers(user_id);

-- A round of review of a call (1: the selection). status: open | closed.
CREATE TABLE call_rounds (
    call_id     BIGINT NOT NULL REFERENCES calls(id),
    round_no    INTEGER NOT NULL,
    purpose     TEXT NOT NULL,          -- selection | performance | recertification
    status      TEXT NOT NULL,
    per_entry   INTEGER NOT NULL DEFAULT 0,
    opened_at   TEXT NOT NULL,
    closed_at   TEXT,
    PRIMARY KEY (call_id, round_no)
);

-- One assignment and its score sheet. total: 0..10000 (round(10000 * sum w*s / sum w*max)).
-- status: assigned (a draft may be saved) | submitted (locked) | reopened (a draft again).
CREATE TABLE call_reviews (
    id              {{ID_PK}},
    call_id         BIGINT NOT NULL REFERENCES calls(id),
    round_no        INTEGER NOT NULL,
    entry_id        BIGINT NOT NULL REFERENCES call_entries(id),
    reviewer_id     BIGINT NOT NULL REFERENCES call_reviewers(id),
    user_id         BIGINT NOT NULL REFERENCES users(id),
    entry_path      {{TEXT_C}} NOT NULL,    -- the entrant's path (the managers' scope)
    status          TEXT NOT NULL,
    total           INTEGER NOT NULL DEFAULT 0,
    outlier         INTEGER NOT NULL DEFAULT 0,
    comment         TEXT,
    submitted_at    TEXT,
    reopened_reason TEXT,
    reopened_by     BIGINT,
    reopened_at     TEXT,
    assigned_by     BIGINT,
    assigned_at     TEXT NOT NULL,
    UNIQUE (entry_id, round_no, user_id)
);
CREATE INDEX call_reviews_user ON call_reviews(user_id, status);
CREATE INDEX call_reviews_call ON call_reviews(call_id, round_no, status);
CREATE INDEX call_reviews_entry ON call_reviews(entry_id);
CREATE INDEX call_reviews_path ON call_reviews(entry_path);

-- The score of one criterion (criterion_no: its place in the call's review.criteria), in tenths.
CREATE TABLE call_review_scores (
    review_id    BIGINT NOT NULL REFERENCES call_reviews(id),
    criterion_no INTEGER NOT NULL,
    score        INTEGER NOT NULL,
    comment      TEXT,
    PRIMARY KEY (review_id, criterion_no)
);

-- The ranked set of a call (entries under review or decided) in ranking order: a page's ids, its
-- count and the "strictly better" counts read this index alone (ranking.c); kind and status are
-- in its key so that it covers those queries and the planner prefers it to call_entries_ranking.
CREATE INDEX call_entries_ranked ON call_entries(call_id, kind, score_agg DESC, score_mean DESC, tie1 DESC,
                                                 first_submitted_at, id, status)
    WHERE kind = 'entry' AND status IN ('under_review', 'decided');
