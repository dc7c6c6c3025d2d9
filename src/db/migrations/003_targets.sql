-- 003: targets (目标任务): a goal for a metric over a period, for a node's whole subtree or for
-- each descendant of a type (each 教学点: at least 24 courses a year).
CREATE TABLE targets (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    title       TEXT NOT NULL,
    metric      TEXT NOT NULL,
    period      TEXT NOT NULL,            -- as written: 2026, 2026Q2, 2026-05-18..2026-05-24
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    goal        BIGINT NOT NULL,
    applies     TEXT NOT NULL,            -- 'subtree' | 'each'
    each_type   TEXT,                     -- org type when applies = 'each'
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX targets_path ON targets(org_path);
