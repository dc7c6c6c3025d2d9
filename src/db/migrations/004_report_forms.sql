-- 004: periodic report forms (DHIS2's data sets): an upper level defines a form, the units of
-- a type below it fill and submit it every period; submitted figures join the roll-ups.
CREATE TABLE report_forms (
    id            {{ID_PK}},
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,        -- the owner: its descendants of filler_type fill it
    title         TEXT NOT NULL,
    period_type   TEXT NOT NULL,              -- month | quarter | year
    filler_type   TEXT NOT NULL,              -- org type of the units that fill it
    deadline_days INTEGER NOT NULL,           -- days after the period's end
    fields        TEXT NOT NULL,              -- JSON [{"key","label","metric"}]
    active        INTEGER NOT NULL DEFAULT 1,
    created_by    BIGINT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE report_submissions (
    id              {{ID_PK}},
    form_id         BIGINT NOT NULL REFERENCES report_forms(id),
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,
    period          TEXT NOT NULL,            -- 2026-05 | 2026Q2 | 2026
    period_day      TEXT NOT NULL,            -- the first day of the period: figures count there
    field_values    TEXT NOT NULL,            -- JSON {"key": n} as filled
    status          TEXT NOT NULL,            -- draft | submitted | returned
    submitted_at    TEXT,
    returned_reason TEXT,
    -- the figures the fields map to, summed per metric: what joins the roll-ups when submitted
    activities      BIGINT NOT NULL DEFAULT 0,
    participants    BIGINT NOT NULL DEFAULT 0,
    materials       BIGINT NOT NULL DEFAULT 0,
    videos          BIGINT NOT NULL DEFAULT 0,
    views           BIGINT NOT NULL DEFAULT 0,
    volunteers      BIGINT NOT NULL DEFAULT 0,
    volunteer_hours BIGINT NOT NULL DEFAULT 0,
    funds           BIGINT NOT NULL DEFAULT 0,
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (form_id, org_id, period)
);
CREATE INDEX report_submissions_path ON report_submissions(org_path);
