-- 018 (issue 14 items 20 and 22): the ninth team category, community science university volunteer
-- teams (XX社区科普大学科技志愿服务队, DOMAIN.md §2.2's example), and the people a volunteer project
-- served (受益群众人次), entered by the organizer and rolled up as the vol_people_served metric.
INSERT INTO volunteer_team_categories (code, name, suffix, sort) VALUES
    ('community_university', '社区科普大学科技志愿服务队', '社区科普大学科技志愿服务队', 9);
ALTER TABLE volunteer_projects ADD COLUMN people_served INTEGER NOT NULL DEFAULT 0;
