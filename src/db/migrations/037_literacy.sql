-- 037 (issue 17, package C): literacy surveys (公民科学素质调查, src/literacy/). One row per year x
-- node x population group: the share of scientifically literate citizens the survey found, in
-- ten-thousandths (1437 = 14.37%), and the population the row stands for (its weight in the
-- roll-up). The statistics keep num = rate x population and den = population as keyed counters on
-- the day YYYY-12-31; a node's rate is their ratio (stats/ratios.c), never an average of rates.
CREATE TABLE literacy_surveys (
    id                {{ID_PK}},
    org_id            BIGINT NOT NULL REFERENCES orgs(id),
    org_path          {{TEXT_C}} NOT NULL,
    year              INTEGER NOT NULL,
    group_dim         TEXT NOT NULL,              -- all | age | gender | area | education | occupation
    group_value       TEXT NOT NULL,              -- '' for all; a code of literacy.h for the others
    sample_size       INTEGER NOT NULL DEFAULT 0,
    rate_bp           INTEGER NOT NULL,           -- literate share in ten-thousandths, 0..10000
    weight_population BIGINT NOT NULL,            -- the people the row stands for
    source            TEXT,
    note              TEXT,
    created_by        BIGINT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (year, org_id, group_dim, group_value)
);
CREATE INDEX literacy_surveys_path ON literacy_surveys(org_path);
CREATE INDEX literacy_surveys_year ON literacy_surveys(year, group_dim, group_value);
