-- 027 (issue 15, package J): persons as entrants, the youth contest's recommendation upward.
-- A person (teacher or volunteer of the pools) is the subject of at most one standing entry per
-- call: the guard under the check of src/calls/persons.c, for two creates at once. A withdrawn
-- entry leaves the index, so the person may be entered again.
CREATE UNIQUE INDEX call_entries_person ON call_entries(call_id, subject_kind, subject_id)
    WHERE subject_kind IN ('teacher', 'volunteer') AND status <> 'withdrawn';
-- 推荐上报: the entry is among the top N of its call's ranking sent to the level above
-- (src/calls/recommend_up.c); 0 or 1.
ALTER TABLE call_entries ADD COLUMN recommended_up INTEGER NOT NULL DEFAULT 0;
-- The youth contest's defaults: the top 75 are recommended upward (POST /calls/:id/recommend-up
-- without a count). A builtin template is never changed in place by an admin; the migration may.
UPDATE call_templates SET config = REPLACE(config, '"awards":[{"level":"一等奖","share":10}', '"recommend_up":75,"awards":[{"level":"一等奖","share":10}')
    WHERE code = 'youth_contest' AND builtin = 1;
