-- 028 (issue 15): two builtin templates say more of their seed rules. A call copied from a
-- template before keeps its own config.
--
-- The usual deadline as a day of the call's year (config deadline_md, "MM-DD"): a call created
-- without a deadline takes that day's end in Shanghai (src/calls/calls_api.c copy_template):
-- 示范教学点 nominations by 31 October, the lecture collection by 28 February.
UPDATE call_templates SET config = replace(config, '{"eligible":', '{"deadline_md":"10-31","eligible":')
 WHERE code = 'demo_point' AND builtin = 1;
UPDATE call_templates SET config = replace(config, '{"eligible":', '{"deadline_md":"02-28","eligible":')
 WHERE code = 'lecture_collection' AND builtin = 1;

-- 优秀科普教师评选 nominates teachers of the pool, not districts. 024 seeded it as a call entered
-- by districts with a person field, so its titles landed on the district and no teacher ever
-- moved into the city pool. Now the entrant is the teacher (eligible persons, person_kind
-- teacher: certified, filed or in the city pool), entered by the teacher's unit or a level
-- above, and each district recommends at most two upward (the seed's quota), so the title is the
-- teacher's and the title hook (src/calls/title_hooks.c) moves a filed teacher into the city pool.
UPDATE call_templates
   SET config = replace(config, '"eligible":"types","eligible_types":["district"],"stages":[],',
                        '"eligible":"persons","person_kind":"teacher","stages":[{"org_type":"district","max_recommend":2}],')
 WHERE code = 'excellent_teacher' AND builtin = 1;
