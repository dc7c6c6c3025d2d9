-- 044 (issue 18): the premium selection of the resource library (精品课程资源评选) as a builtin call
-- template of the calls engine: a call for persons whose pool is the library's approved resources
-- (person_kind resource); the entry is the resource's uploader's, districts recommend upward, the
-- city reviews and decides, and finalizing gives each winner the title premium_course (精品课程,
-- subject resource, migration 022); the title's grant sets resources.premium (039) and its revoke
-- clears it (src/calls/title_hooks.c). One standing entry
-- per resource and call, as per person: the partial unique index of 027 now covers resources.
DROP INDEX call_entries_person;
CREATE UNIQUE INDEX call_entries_person ON call_entries(call_id, subject_kind, subject_id)
    WHERE subject_kind IN ('teacher', 'volunteer', 'resource') AND status <> 'withdrawn';
INSERT INTO call_templates (code, name, kind, config, builtin, org_id, org_path, created_by, created_at, updated_at) VALUES
    ('premium_resource', '精品课程资源评选', 'selection',
     '{"eligible":"persons","person_kind":"resource","stages":[{"org_type":"district","max_recommend":5}],"min_per_unit":0,"max_per_unit":3,"late_policy":"refuse","form":[{"key":"resource","label":"参评资源","type":"person","required":true,"person_kind":"resource"},{"key":"reason","label":"推荐理由","type":"long_text","required":true,"max":2000},{"key":"use","label":"教学使用情况","type":"long_text","max":2000},{"key":"files","label":"佐证材料","type":"file","max_files":10}],"review":{"per_entry":3,"blind":false,"aggregate":"mean","criteria":[{"key":"science","label":"科学性","max":30,"weight":1},{"key":"teaching","label":"教学适用性","max":30,"weight":1},{"key":"production","label":"制作质量","max":20,"weight":1},{"key":"originality","label":"原创性","max":20,"weight":1}]},"awards":[{"level":"精品","count":20}],"designation":{"kind":"premium_course"}}',
     1, NULL, '', NULL, '2026-12-07T00:00:00+08:00', '2026-12-07T00:00:00+08:00');
