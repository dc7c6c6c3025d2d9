-- 026 (issue 15, package H): the standing expert pool (专家库) and follow-up reports with their
-- performance evaluation (绩效评价) (src/calls/experts.c, reports.c).

-- An expert of the pool: always an account (user_id; usually of the role reviewer, any node), the
-- unit keeping the pool entry (org_id/org_path: who manages it, not where the expert works),
-- optionally the city-pool teacher the expert is. specialties: a JSON array of short texts.
CREATE TABLE expert_pool (
    id          {{ID_PK}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    {{TEXT_C}} NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    teacher_id  BIGINT REFERENCES teachers(id),
    name        TEXT NOT NULL,
    specialties TEXT NOT NULL DEFAULT '[]',
    affiliation TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (org_id, user_id)
);
CREATE INDEX expert_pool_path ON expert_pool(org_path);
CREATE INDEX expert_pool_user ON expert_pool(user_id);

-- The pool entry a call's reviewer was taken from (NULL: named by account).
ALTER TABLE call_reviewers ADD COLUMN expert_id BIGINT REFERENCES expert_pool(id);

-- A follow-up report (call_entries of kind midterm | final, parent_id the funded entry): its due
-- day (Shanghai), and after its performance round the grade (优秀 | 良好 | 合格 | 不合格), which
-- its parent entry carries too (the latest graded report's).
ALTER TABLE call_entries ADD COLUMN report_due TEXT;
ALTER TABLE call_entries ADD COLUMN grade TEXT;
