-- 041 (issue 18 C): the public portal (/portal/). Enrolments in a course made from a phone on the
-- portal (one per course and student; the course's point's staff list them), and the views of
-- portal pages per node (the page's: the course's point, the resource's uploader, the city root
-- for the home page) and Shanghai day: the raw records of the statistics' keyed metric
-- portal_views (stats verify recomputes it from here). No visitor is recorded anywhere.
CREATE TABLE course_enrolments (
    id          {{ID_PK}},
    course_id   BIGINT NOT NULL REFERENCES courses(id),
    student_id  BIGINT NOT NULL REFERENCES students(id),
    org_path    {{TEXT_C}} NOT NULL,            -- the course's point, for scope
    source      TEXT NOT NULL,                  -- portal
    created_at  TEXT NOT NULL,
    UNIQUE (course_id, student_id)
);
CREATE INDEX course_enrolments_path ON course_enrolments(org_path);

CREATE TABLE portal_view_days (
    org_path    {{TEXT_C}} NOT NULL,            -- the node the page belongs to
    day         TEXT NOT NULL,                  -- YYYY-MM-DD, Shanghai
    n           BIGINT NOT NULL,
    PRIMARY KEY (org_path, day)
);
