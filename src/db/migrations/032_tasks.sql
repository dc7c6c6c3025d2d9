-- Issue 16, package C: yearly work points (工作要点) broken into tasks for the units below.
-- A plan is issued by a unit (the city, or a district for its streets); each task goes to one or
-- more owner units (task_owners, resolved when the task is saved); an owner reports progress
-- with evidence, and the issuer returns a report or accepts the task done. The live status of an
-- owner (overdue, at risk) is computed when read, never stored.
CREATE TABLE work_plans (
    id           {{ID_PK}},
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    org_path     {{TEXT_C}} NOT NULL,
    year         INTEGER NOT NULL,
    title        TEXT NOT NULL,
    doc_no       TEXT,
    body         TEXT,
    status       TEXT NOT NULL DEFAULT 'draft',   -- draft | published
    published_at TEXT,
    created_by   BIGINT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX work_plans_path ON work_plans(org_path, year);

CREATE TABLE tasks (
    id          {{ID_PK}},
    plan_id     BIGINT NOT NULL REFERENCES work_plans(id) ON DELETE CASCADE,
    plan_path   {{TEXT_C}} NOT NULL,           -- the issuer's org path (the plan's), for the scope
    no          INTEGER NOT NULL,               -- 1, 2, 3 ... the order in the plan
    title       TEXT NOT NULL,
    description TEXT,
    lead_org_id BIGINT,                         -- one of the owners (checked when saved)
    deadline    TEXT NOT NULL,                  -- YYYY-MM-DD
    outputs     TEXT,
    target_id   BIGINT REFERENCES targets(id) ON DELETE SET NULL,
    weight      INTEGER,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX tasks_plan ON tasks(plan_id, no);

CREATE TABLE task_owners (
    id          {{ID_PK}},
    task_id     BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    progress    INTEGER NOT NULL DEFAULT 0,     -- 0..100, the last report not returned
    done_at     TEXT,                           -- the accepted report's time: done on that day
    UNIQUE (task_id, org_id)
);
CREATE INDEX task_owners_path ON task_owners(org_path, task_id);

CREATE TABLE task_reports (
    id          {{ID_PK}},
    task_id     BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    owner_id    BIGINT NOT NULL REFERENCES task_owners(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    plan_path   {{TEXT_C}} NOT NULL,
    progress    INTEGER NOT NULL,
    text        TEXT,
    done        INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'submitted',   -- submitted | accepted | returned
    reason      TEXT,
    reported_by BIGINT,
    reported_at TEXT NOT NULL,
    decided_by  BIGINT,
    decided_at  TEXT
);
CREATE INDEX task_reports_task ON task_reports(task_id, id);
CREATE INDEX task_reports_owner ON task_reports(owner_id, id);

CREATE TABLE task_report_files (
    id          {{ID_PK}},
    report_id   BIGINT NOT NULL REFERENCES task_reports(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  TEXT NOT NULL
);
CREATE INDEX task_report_files_report ON task_report_files(report_id);
CREATE INDEX task_report_files_sha ON task_report_files(sha256);
