-- 025 (issue 15, package G): re-certification (称号复核, 末位淘汰) and the 24-course rule for title
-- holders only (src/calls/recert.c, src/targets/targets.c, docs/domain.md §2.6.1).
--
-- A target may apply to each node of its type only while that node holds a title of this kind
-- (active on the day progress is read): the demo point's "≥24 courses a year" binds the holders
-- of 示范教学点 alone. NULL: every node of the type, as before.
ALTER TABLE targets ADD COLUMN each_title TEXT;

-- The builtin re-certification template reviews the current holders of its title (eligible =
-- holders: opening the call gives each active holder a submitted entry) and proposes the last
-- 10% of the ranked holders (at least one) for revocation besides those below min_figures.
-- 024 seeded it as a call over every point; a call copied from it since keeps its own config.
UPDATE call_templates
   SET config = replace(config, '"eligible":"types","eligible_types":["point"],', '"eligible":"holders","revoke_share":10,')
 WHERE code = 'recertification' AND builtin = 1;
