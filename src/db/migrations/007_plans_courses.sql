-- 007: teaching plans (教学计划) of the community science university with their review steps,
-- and courses (课程) held at teaching points. Teachers are named by text plus an optional id
-- (teacher_id, no foreign key: the teacher pool arrives in another migration and is linked
-- later). Held courses feed the statistics as keyed counters (courses, attendance,
-- teaching_hours) in stat_kind_rollups.

-- The topics residents care about: 衣食住行用、生长老病死, plus emergency, health, anti-fraud ...
CREATE TABLE teaching_categories (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    sort    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO teaching_categories (code, name, sort) VALUES
    ('clothing', '衣', 1), ('food', '食', 2), ('housing', '住', 3), ('travel', '行', 4), ('daily_use', '用', 5),
    ('birth', '生', 6), ('growth', '长', 7), ('ageing', '老', 8), ('illness', '病', 9), ('death', '死', 10),
    ('emergency', '应急', 11), ('health', '健康', 12), ('anti_fraud', '防诈骗', 13), ('environment', '环境', 14),
    ('digital', '数字技能', 15), ('other', '其他', 99);

-- One plan per teaching point and term; term_from/term_to are the term's days (spring Mar 1 -
-- Jul 31, autumn Sep 1 - Jan 31, year Jan 1 - Dec 31), every item's date falls inside.
CREATE TABLE teaching_plans (
    id              {{ID_PK}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        {{TEXT_C}} NOT NULL,
    year            INTEGER NOT NULL,
    term            TEXT NOT NULL,            -- spring | autumn | year
    term_from       TEXT NOT NULL,
    term_to         TEXT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,            -- draft | submitted | approved | returned
    returned_reason TEXT,
    submitted_at    TEXT,
    reviewed_at     TEXT,
    reviewed_by     BIGINT,
    created_by      BIGINT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (org_id, year, term)
);
CREATE INDEX teaching_plans_path ON teaching_plans(org_path);

CREATE TABLE teaching_plan_items (
    id            {{ID_PK}},
    plan_id       BIGINT NOT NULL REFERENCES teaching_plans(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    topic         TEXT NOT NULL,
    category      TEXT NOT NULL,
    teacher_name  TEXT,
    teacher_id    BIGINT,                     -- the teacher pool's id, linked after the merge
    planned_date  TEXT NOT NULL,
    place         TEXT
);
CREATE INDEX teaching_plan_items_plan ON teaching_plan_items(plan_id);

-- Every step of the review workflow: who, when, from which status to which, and why.
CREATE TABLE teaching_plan_steps (
    id           {{ID_PK}},
    plan_id      BIGINT NOT NULL REFERENCES teaching_plans(id) ON DELETE CASCADE,
    action       TEXT NOT NULL,               -- create | submit | approve | return | revise
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    reason       TEXT,
    user_id      BIGINT,
    username     TEXT,
    at           TEXT NOT NULL
);
CREATE INDEX teaching_plan_steps_plan ON teaching_plan_steps(plan_id);

-- A session at a teaching point, from a plan item or ad hoc. day is the Shanghai day of
-- starts_at: a held course counts on it. hours is the held duration in whole hours.
CREATE TABLE courses (
    id            {{ID_PK}},
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      {{TEXT_C}} NOT NULL,
    plan_item_id  BIGINT REFERENCES teaching_plan_items(id),
    title         TEXT NOT NULL,
    topic         TEXT,
    category      TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    day           TEXT NOT NULL,
    place         TEXT,
    capacity      BIGINT NOT NULL DEFAULT 0,
    teachers      TEXT NOT NULL,              -- JSON [{"name", "id"}]
    audience      TEXT,
    materials     TEXT,
    status        TEXT NOT NULL,              -- scheduled | held | cancelled
    record        TEXT,
    attendance    BIGINT NOT NULL DEFAULT 0,
    hours         BIGINT NOT NULL DEFAULT 0,
    held_at       TEXT,
    cancel_reason TEXT,
    created_by    BIGINT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX courses_path ON courses(org_path, day);
CREATE INDEX courses_item ON courses(plan_item_id);
CREATE INDEX courses_day ON courses(day);

CREATE TABLE course_files (
    id          {{ID_PK}},
    course_id   BIGINT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX course_files_course ON course_files(course_id);
