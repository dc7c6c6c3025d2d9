-- 002: the activity register and the statistics roll-ups.

-- The dictionary of activity kinds; admins may add more.
CREATE TABLE activity_kinds (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    sort    INTEGER NOT NULL DEFAULT 0,
    active  INTEGER NOT NULL DEFAULT 1
);
INSERT INTO activity_kinds (code, name, sort) VALUES
    ('lecture', '讲座', 1), ('training', '培训', 2), ('publicity', '科普宣传', 3),
    ('exhibition', '展览', 4), ('contest', '竞赛', 5), ('volunteer', '科普志愿服务', 6),
    ('campus', '科普进校园', 7), ('community', '科普进社区', 8), ('rural', '科普进乡村', 9),
    ('live', '线上直播', 10), ('video', '短视频/作品', 11);

CREATE TABLE activities (
    id              {{ID_PK}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,     -- copy of the organizer's path: scope and roll-ups
    kind            TEXT NOT NULL REFERENCES activity_kinds(code),
    title           TEXT NOT NULL,
    start_date      TEXT NOT NULL,           -- YYYY-MM-DD; the activity counts on this day
    end_date        TEXT NOT NULL,
    place           TEXT,
    audience        TEXT,
    tags            TEXT,                    -- JSON array of theme tags
    co_organizers   TEXT,
    description     TEXT,
    participants    BIGINT NOT NULL DEFAULT 0,
    materials       BIGINT NOT NULL DEFAULT 0,
    videos          BIGINT NOT NULL DEFAULT 0,
    views           BIGINT NOT NULL DEFAULT 0,
    volunteers      BIGINT NOT NULL DEFAULT 0,
    volunteer_hours BIGINT NOT NULL DEFAULT 0,
    funds           BIGINT NOT NULL DEFAULT 0,   -- yuan
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX activities_path ON activities(org_path, start_date);
CREATE INDEX activities_date ON activities(start_date);

-- Roll-ups: for every node, the totals of its whole subtree per day (grain 'd', bucket
-- YYYY-MM-DD) and per month (grain 'm', bucket YYYY-MM), kept exact inside each writer's
-- transaction. Any period is at most one month range plus two day ranges.
CREATE TABLE stat_rollups (
    org_id          BIGINT NOT NULL,
    grain           TEXT NOT NULL,
    bucket          TEXT NOT NULL,
    activities      BIGINT NOT NULL DEFAULT 0,
    participants    BIGINT NOT NULL DEFAULT 0,
    materials       BIGINT NOT NULL DEFAULT 0,
    videos          BIGINT NOT NULL DEFAULT 0,
    views           BIGINT NOT NULL DEFAULT 0,
    volunteers      BIGINT NOT NULL DEFAULT 0,
    volunteer_hours BIGINT NOT NULL DEFAULT 0,
    funds           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, grain, bucket)
);

-- Activity counts per kind, rolled up the same way.
CREATE TABLE stat_kind_rollups (
    org_id  BIGINT NOT NULL,
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, grain, bucket, kind)
);
