-- 010: the teacher's page (courses taught, hours, attendance, ratings).
-- course_teachers links a course to the teachers of the pool its teachers JSON names by id, so
-- that a teacher's courses are found through an index on both databases (no JSON functions:
-- SQLite's and PostgreSQL's differ). The courses module keeps it in step on every write.
-- course_ratings: the stars (1-5) and a short comment a student who checked in gives a course
-- from the phone, once per student and course (a second rating replaces the first).

CREATE TABLE course_teachers (
    course_id   BIGINT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    teacher_id  BIGINT NOT NULL REFERENCES teachers(id),
    PRIMARY KEY (course_id, teacher_id)
);
CREATE INDEX course_teachers_teacher ON course_teachers(teacher_id);

-- The courses written so far: our own compact serialization holds `"id":N}` for a linked
-- teacher, exactly (names are escaped strings, so `"id":12}` never matches id 112 or a name).
INSERT INTO course_teachers (course_id, teacher_id)
SELECT x.id, t.id FROM courses x JOIN teachers t ON x.teachers LIKE ('%"id":' || t.id || '}%');

CREATE TABLE course_ratings (
    id          {{ID_PK}},
    course_id   BIGINT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    org_path    {{TEXT_C}} NOT NULL,      -- the course's, for scope
    student_id  BIGINT NOT NULL,
    stars       INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (course_id, student_id)
);
CREATE INDEX course_ratings_path ON course_ratings(org_path);
