-- 034 (issue 16, package E): the district assessment (目标管理考核, src/assessments/). A scheme of a
-- year by an assessing unit (the city) over the units of a type below it, with weighted indicators
-- whose figures come from the modules' sources (assessments/sources.h) or are scored by hand with
-- evidence; finalizing freezes every unit's values and scores into assessment_results.
-- Scores are kept in hundredths of a point and values in ten-thousandths (integers on both engines).
CREATE TABLE assessment_schemes (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    unit_type   TEXT NOT NULL,                -- the assessed units: the nodes of this type under org
    status      TEXT NOT NULL,                -- draft | open | final
    frozen_at   TEXT,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX assessment_schemes_path ON assessment_schemes(org_path);

CREATE TABLE assessment_indicators (
    id          {{ID_PK}},
    scheme_id   BIGINT NOT NULL REFERENCES assessment_schemes(id) ON DELETE CASCADE,
    no          INTEGER NOT NULL,             -- the order shown, 1..
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,                -- a source key, or 'manual'
    param       TEXT,
    weight      INTEGER NOT NULL,             -- points
    max_points  INTEGER NOT NULL DEFAULT 0,   -- manual items: the most a unit may be given
    description TEXT
);
CREATE INDEX assessment_indicators_scheme ON assessment_indicators(scheme_id, no);

-- A manual item's score for one unit (the scheme's org scores); org_path: the scored unit's.
CREATE TABLE assessment_manual_scores (
    id            {{ID_PK}},
    scheme_id     BIGINT NOT NULL REFERENCES assessment_schemes(id) ON DELETE CASCADE,
    indicator_id  BIGINT NOT NULL REFERENCES assessment_indicators(id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,
    score_e2      BIGINT NOT NULL,            -- hundredths of a point
    note          TEXT,
    scored_by     BIGINT,
    scored_at     TEXT NOT NULL,
    created_by    BIGINT,
    UNIQUE (indicator_id, org_id)
);
CREATE INDEX assessment_manual_scores_path ON assessment_manual_scores(org_path);

-- Evidence of a manual score (files/attachments.h kind assessment_evidence).
CREATE TABLE assessment_evidence (
    id          {{ID_PK}},
    score_id    BIGINT NOT NULL REFERENCES assessment_manual_scores(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX assessment_evidence_score ON assessment_evidence(score_id);
CREATE INDEX assessment_evidence_sha ON assessment_evidence(sha256);

-- The frozen copy: one row per unit and indicator, and the unit's total under indicator_id 0.
CREATE TABLE assessment_results (
    scheme_id     BIGINT NOT NULL REFERENCES assessment_schemes(id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,
    indicator_id  BIGINT NOT NULL,
    value_e4      BIGINT NOT NULL,            -- the measured value x 10,000 (a ratio 0..10000, a count x 10,000)
    score_e2      BIGINT NOT NULL,            -- hundredths of a point
    rank          INTEGER NOT NULL DEFAULT 0,
    detail        TEXT,
    PRIMARY KEY (scheme_id, org_id, indicator_id)
);
CREATE INDEX assessment_results_path ON assessment_results(org_path);
